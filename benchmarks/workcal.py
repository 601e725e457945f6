"""Due-date computations per second: the workcal arithmetic against a plain day-by-day loop.

Usage: .venv/bin/python benchmarks/workcal.py [--pairs N | --small] [--max-days D] [--seed S]

Both sides answer the same question for random (start, n) pairs — "on which date does a
period of n whole working days that starts at this moment end?" — with the same semantics:
a start outside office hours moves to the next opening, a start at or after 17:00 or on a
non-working day moves to the next working day, then n working days are counted.

* fast: ``motcua.workcal.arithmetic.add_working_days`` (bisect over precomputed working-day
  ordinals, O(log n)), on a calendar built from ``motcua.workcal.data``;
* plain: step one calendar day at a time, skipping weekends and the dates of
  ``holidays.Vietnam(years=...)`` (a set lookup per day), plus the same làm bù data.

Every pair is compared; any mismatch makes the run exit with status 1. Starts are uniform
over 2021–2034 (minute resolution, Hà Nội time); n is uniform over 0..--max-days. The
arithmetic needs no database, so this benchmark does not set up Django. Times are the
process's CPU time (``time.process_time``), so other work on a shared machine does not
distort the rates; both sides run alternately in chunks of 10,000 pairs.
"""
import argparse
import random
import resource
import sys
import time as clock
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import holidays  # noqa: E402

from motcua.workcal.arithmetic import WorkCalendar, add_working_days  # noqa: E402
from motcua.workcal.data import SWAP_WORK, vietnam_calendar_days, vietnam_calendar_kwargs  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_YEAR, LAST_YEAR = 2020, 2040  # starts end in 2034; + 400 working days stays inside
CHUNK = 10_000


def make_pairs(count, max_days, seed):
    rng = random.Random(seed)
    base = datetime(2021, 1, 1, tzinfo=TZ)
    span = (datetime(2035, 1, 1, tzinfo=TZ) - base) // timedelta(minutes=1)
    return [(base + timedelta(minutes=rng.randrange(span)), rng.randint(0, max_days)) for _ in range(count)]


def run_fast(calendar, pairs):
    results = []
    append = results.append
    for start, n in pairs:
        append(add_working_days(calendar, start, n).date())
    return results


def plain_calendar():
    """The plain side's data: the holidays package's dates, and the làm bù Saturdays."""
    off = set(holidays.Vietnam(years=range(FIRST_YEAR, LAST_YEAR + 1)))
    work = {spec.date for spec in vietnam_calendar_days(FIRST_YEAR, LAST_YEAR) if spec.kind == SWAP_WORK}
    return off, work


def run_plain(pairs, off, work):
    one_day = timedelta(days=1)
    closing = time(17, 0)
    results = []
    append = results.append
    for start, n in pairs:
        local = start.astimezone(TZ)
        day = local.date()
        if not (day in work or (day.weekday() < 5 and day not in off)) or local.time() >= closing:
            day += one_day
            while not (day in work or (day.weekday() < 5 and day not in off)):
                day += one_day
        for _ in range(n):
            day += one_day
            while not (day in work or (day.weekday() < 5 and day not in off)):
                day += one_day
        append(day)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=1_000_000, help="number of random (start, n) pairs")
    parser.add_argument("--small", action="store_true", help="100,000 pairs (used by `make bench`)")
    parser.add_argument("--max-days", type=int, default=400, help="n is uniform over 0..MAX_DAYS (default 400)")
    parser.add_argument("--seed", type=int, default=20250430)
    args = parser.parse_args(argv)
    count = 100_000 if args.small else args.pairs
    if not 0 <= args.max_days <= 400:
        parser.error("--max-days must be within 0..400 (the calendar ends in 2040)")

    pairs = make_pairs(count, args.max_days, args.seed)
    started = clock.process_time()
    calendar = WorkCalendar(**vietnam_calendar_kwargs(FIRST_YEAR, LAST_YEAR))
    build_seconds = clock.process_time() - started

    # Alternate the two sides chunk by chunk so that a change in machine load during the run
    # weighs on both alike.
    off, work = plain_calendar()
    fast, plain, fast_seconds, plain_seconds = [], [], 0.0, 0.0
    for offset in range(0, count, CHUNK):
        chunk = pairs[offset:offset + CHUNK]
        started = clock.process_time()
        fast += run_fast(calendar, chunk)
        fast_seconds += clock.process_time() - started
        started = clock.process_time()
        plain += run_plain(chunk, off, work)
        plain_seconds += clock.process_time() - started

    mismatches = sum(a != b for a, b in zip(fast, plain))
    for (start, n), a, b in zip(pairs, fast, plain):
        if a != b:
            print(f"mismatch: start={start.isoformat()} n={n} fast={a} plain={b}", file=sys.stderr)
            break
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"pairs: {count}")
    print(f"mean_working_days: {sum(n for _, n in pairs) / count:.1f} days")
    print(f"calendar_build: {build_seconds * 1000:.0f} ms")
    print(f"fast_seconds: {fast_seconds:.2f} s")
    print(f"plain_seconds: {plain_seconds:.2f} s")
    print(f"fast_per_second: {count / fast_seconds:.0f} /s")
    print(f"plain_per_second: {count / plain_seconds:.0f} /s")
    print(f"speedup: {plain_seconds / fast_seconds:.1f} x")
    print(f"mismatches: {mismatches}")
    print(f"peak_memory: {peak_mib:.0f} MiB")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
