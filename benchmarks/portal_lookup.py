"""Public dossier lookup under load: 1,000,000 dossiers on PostgreSQL, gunicorn, wrk (issue 4).

Loads N dossiers (default 1,000,000; --small 50,000) and their timelines (5–6 events each for a
finished dossier) straight into a database of its own with COPY, then serves the app with gunicorn
on 127.0.0.1 and drives ``/tra-cuu/`` with wrk (Debian's, written in C, so the load generator takes
little of the two cores the server needs; 127.0.0.1 only, bounded in time), in two runs:

* **lookups**: every request a right pair (POST code + last 4 phone digits) as the page's form sends
  it (htmx: the answer panel comes back, not the whole page); the target is about this run
  (>= 500 requests/s at p95 under 50 ms);
* **lookups_without_js**: the same from a browser without JavaScript (the whole page back);
* **mix**: 90 % right pairs, 5 % wrong pairs (typos), 5 % QR openings (GET ``/tra-cuu/?ma=``).

wrk keeps ``--connections`` requests in flight (closed loop: each connection sends its next
request when the answer arrives), so the latency includes the time a request waits for a free
gunicorn worker. Every request comes from its own citizen address (X-Forwarded-For behind one
trusted proxy, ``NUM_PROXIES=1``), so the per-client throttle is live as in production, and every
answer is checked (status and a marker in the page). Afterwards a burst of wrong pairs from one
address must be refused (429). The throttle counts in Redis (127.0.0.1:6379, shared by the
workers) when it answers, else in each worker's memory (then said so).

Prints the load time, throughput and p50/p95/p99 of each run, CPU per request (gunicorn,
PostgreSQL, wrk), the service's own time per lookup, the throttle check and peak memory.

    .venv/bin/python benchmarks/portal_lookup.py               # 1,000,000 dossiers, 3 × 30 s
    .venv/bin/python benchmarks/portal_lookup.py --small       # 50,000 dossiers, 3 × 15 s (make bench)
    .venv/bin/python benchmarks/portal_lookup.py --connections 32 --workers 4

PostgreSQL: postgres://postgres@127.0.0.1:5432 (``BENCH_PG_URL``), database
``motcua_bench_portal_lookup`` created and dropped by the run. Redis: ``BENCH_REDIS_URL``
(default redis://127.0.0.1:6379/15; keys carry a per-run prefix and expire by themselves).
"""
from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

BIN = Path(sys.executable).parent
DAY = datetime.timedelta(days=1)
PHONE_DIGITS = 4

# Procedures the dossiers belong to: (code, name, competent agency code, days, weight)
PROCEDURES = [
    ("2.001417", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "000.00.14.H42", 10, 0.30),
    ("1.004227", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "000.01.10.H42",
     10, 0.35),
    ("1.009972", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II", "000.00.12.H42",
     20, 0.15),
    ("2.000986", "Cấp giấy chứng nhận đăng ký hộ kinh doanh", "000.00.03.H42", 3, 0.20),
]

MIX = (90, 5)  # % right pairs, % wrong pairs; the rest are QR openings
# (label, mix, sent as the page's htmx form does): the target is read on the first
RUNS = [("lookups", (100, 0), True), ("lookups_without_js", (100, 0), False), ("mix", MIX, True)]

WRK_SCRIPT = r"""
-- Một Cửa public lookup under load (benchmarks/portal_lookup.py writes and runs this file).
-- Each request is a citizen at its own address (X-Forwarded-For, one trusted proxy): MIX_RIGHT %
-- right pairs (POST code + 4 digits), MIX_WRONG % wrong pairs, the rest QR openings (GET ?ma=).
-- Answers are checked by status and a marker, so an error page counts as a failure.
local sample, n = {}, 0
for line in io.lines(os.getenv("LOOKUP_SAMPLE")) do
  local code, digits = line:match("^(%S+) (%d%d%d%d)$")
  if code then n = n + 1; sample[n] = {code, digits} end
end
local token, cookie = os.getenv("LOOKUP_TOKEN"), os.getenv("LOOKUP_COOKIE")
local right, wrong = tonumber(os.getenv("MIX_RIGHT")), tonumber(os.getenv("MIX_WRONG"))
local htmx = os.getenv("LOOKUP_HTMX") == "1"  -- the page's form sends HX-Request and gets only the answer panel
counts = {found = 0, refused = 0, form = 0, failed = 0}
local threads, counter = {}, 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(seed * 7919 + os.time())
end

local function address()
  return string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
end

function request()
  local pick, roll = sample[math.random(n)], math.random(100)
  local headers = {["X-Forwarded-For"] = address(), ["Cookie"] = cookie}
  if roll > right + wrong then
    return wrk.format("GET", "/tra-cuu/?ma=" .. pick[1], headers)
  end
  local digits = pick[2]
  if roll > right then digits = string.format("%04d", (tonumber(digits) + math.random(1, 9999)) % 10000) end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  if htmx then headers["HX-Request"] = "true" end
  return wrk.format("POST", "/tra-cuu/", headers, "ma=" .. pick[1] .. "&so=" .. digits .. "&csrfmiddlewaretoken=" .. token)
end

function response(status, headers, body)
  if status == 200 and body:find('id="dossier-status"', 1, true) then counts.found = counts.found + 1
  elseif status == 404 and body:find('id="lookup-error"', 1, true) then counts.refused = counts.refused + 1
  elseif status == 200 and body:find('name="so"', 1, true) then counts.form = counts.form + 1
  else counts.failed = counts.failed + 1 end
end

function done(summary, latency, requests)
  local total = {found = 0, refused = 0, form = 0, failed = 0}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for k, v in pairs(c) do total[k] = total[k] + v end
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "socket_errors": %d, "found": %d, "refused": %d, "form": %d, ' ..
    '"failed": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, total.found, total.refused,
    total.form, total.failed, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    latency.mean))
end
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", "-n", type=int, default=None, help="dossiers (default 1,000,000)")
    parser.add_argument("--small", action="store_true", help="50,000 dossiers, 15 s of load: what `make bench` runs")
    parser.add_argument("--connections", "-c", type=int, default=16,
                        help="wrk's open connections, each a closed loop (default 16)")
    parser.add_argument("--duration", type=int, default=None, help="seconds of measured load per run (default 30)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() + 1,
                        help="gunicorn worker processes (default: cores + 1, as gunicorn.conf.py)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1: sync)")
    parser.add_argument("--sample", type=int, default=20_000, help="dossiers the citizens look up (default 20,000)")
    parser.add_argument("--batch", type=int, default=20_000, help="dossiers per COPY batch (default 20,000)")
    parser.add_argument("--keep", action="store_true", help="leave the loaded database in place (for --reuse)")
    parser.add_argument("--reuse", action="store_true", help="serve the database a --keep run left (no loading)")
    args = parser.parse_args(argv)
    if args.dossiers is None:
        args.dossiers = 50_000 if args.small else 1_000_000
    if args.duration is None:
        args.duration = 15 if args.small else 30
    args.sample = min(args.sample, args.dossiers)
    return args


# ------------------------------------------------------------------------------------------- loading


def load(args, agencies, now):
    """COPY the dossiers and their events; returns (seconds, dossiers, events)."""
    from django.db import connection, transaction
    from motcua.dossiers.models import Dossier, DossierEvent, Status
    from work_queue import FAMILY, GIVEN, MIDDLE, STREETS, TableWriter

    rng = random.Random(20261124)
    centre = agencies[_common.PROVINCIAL_CENTRE]
    plans = []
    for code, name, competent, days, weight in PROCEDURES:
        version = _common.make_procedure(agencies, code=code, days=days, name=name, competent=competent)
        plans.append((version.pk, agencies[competent], days, weight))
    weights = [p[-1] for p in plans]
    first_day = datetime.datetime(2025, 1, 2, 7, 30, tzinfo=now.tzinfo)
    span = int((now - first_day).total_seconds() // 60)
    sequences = {}
    flow = ["receive", "hand_over", "forward", "approve", "issue_result", "return"]
    open_flow = {Status.RECEIVED: 1, Status.IN_PROGRESS: 3, Status.AWAITING_SUPPLEMENT: 3, Status.APPROVED: 4,
                 Status.RESULT_READY: 5}

    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Rows are consistent by construction: skip per-row foreign-key triggers, build the
            # secondary indexes once at the end (the usual bulk-load practice, as work_queue.py).
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN (%s, %s) AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint)", [Dossier._meta.db_table, DossierEvent._meta.db_table])
            dropped = cursor.fetchall()
            for index_name, _definition in dropped:
                cursor.execute(f'DROP INDEX "{index_name}"')
        dossiers, events = TableWriter(Dossier), TableWriter(DossierEvent)
        dossier_rows, event_rows = [], []
        event_id = 0
        for dossier_id in range(1, args.dossiers + 1):
            version_id, competent, days, _w = rng.choices(plans, weights=weights)[0]
            received = (first_day + datetime.timedelta(minutes=rng.randrange(span))).replace(microsecond=0)
            due = received + days * 1.4 * DAY
            if due < now:
                roll = rng.random()
                status = (Status.RETURNED if roll < 0.93 else Status.REFUSED if roll < 0.95 else
                          Status.STOPPED if roll < 0.98 else Status.CLOSED)
            else:
                status = rng.choice(list(open_flow))
            local = received.astimezone(now.tzinfo)
            key = (competent.code, local.date())
            seq = sequences[key] = sequences.get(key, 0) + 1
            code = f"{competent.code}-{local:%y%m%d}-{seq:04d}"
            organisation = rng.random() < 0.03  # some organisations give no phone: lookup must refuse them
            returned = received + rng.uniform(0.5, days * 1.3) * DAY if status == Status.RETURNED else None
            dossier_rows.append(dossiers.row(
                id=dossier_id, code=code, status=status, channel=rng.choice(["counter", "counter", "online", "post"]),
                procedure_version_id=version_id, receiving_agency_id=centre.pk, competent_agency_id=competent.pk,
                applicant_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                applicant_id_number=f"0{rng.randint(30, 38)}{rng.randint(10**8, 10**9 - 1)}",
                applicant_phone="" if organisation else f"09{rng.randint(10**7, 10**8 - 1)}",
                applicant_address=f"Số {rng.randint(1, 300)} phố {rng.choice(STREETS)}, tỉnh Ninh Bình",
                received_at=received, clock_started_at=received, legal_due_at=due, appointment_at=due,
                finished_at=returned, returned_at=returned, created_at=received, updated_at=returned or received))
            steps = len(flow) if status == Status.RETURNED else open_flow.get(status, 2)
            moment = received
            for action in flow[:steps]:
                event_id += 1
                agency = centre if action in ("receive", "hand_over", "return") else competent
                at = returned if action == "return" else moment
                event_rows.append(events.row(id=event_id, dossier_id=dossier_id, at=at, action=action,
                                             from_status="", to_status=status, agency_id=agency.pk, data="{}"))
                moment += rng.uniform(0.05, days / 6) * DAY
            if len(dossier_rows) >= args.batch or dossier_id == args.dossiers:
                dossiers.write_batch(dossier_rows)
                events.write_batch(event_rows)
                dossier_rows, event_rows = [], []
            if dossier_id % 200_000 == 0 or dossier_id == args.dossiers:
                print(f"  {dossier_id:,} dossiers, {event_id:,} events, {time.perf_counter() - started:.0f} s",
                      flush=True)
        t_index = time.perf_counter()
        with connection.cursor() as cursor:
            for model, last in ((Dossier, args.dossiers), (DossierEvent, event_id)):
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [model._meta.db_table, last])
            for _index_name, definition in dropped:
                cursor.execute(definition)
        print(f"  {len(dropped)} secondary indexes rebuilt in {time.perf_counter() - t_index:.1f} s", flush=True)
    written = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return written, dossiers.count, events.count


def reopen():
    """What a ``--keep`` run left: (0 s of loading, dossiers, events)."""
    from motcua.dossiers.models import Dossier, DossierEvent
    n_dossiers, n_events = Dossier.objects.count(), DossierEvent.objects.count()
    if not n_dossiers:
        raise SystemExit("--reuse: no dossiers in this database (run once with --keep first)")
    print(f"Reopened: {n_dossiers:,} dossiers, {n_events:,} events.", flush=True)
    return 0.0, n_dossiers, n_events


def sample(n):
    """``n`` random dossiers with a phone: [(code, last 4 digits)]."""
    from motcua.dossiers.models import Dossier
    from motcua.portal.lookup import last_four
    top = Dossier.objects.order_by("-id").values_list("id", flat=True).first()
    ids = random.Random(7).sample(range(1, top + 1), min(top, int(n * 1.1)))
    rows = Dossier.objects.filter(id__in=ids).exclude(applicant_phone="").values_list("code", "applicant_phone")
    return [(code, last_four(phone)) for code, phone in rows][:n]


def service_times(pairs, repeat=500):
    """The service alone (one query + the public view), in this process: seconds per lookup."""
    from motcua.portal import lookup
    times = []
    for code, digits in random.Random(3).choices(pairs, k=repeat):
        t0 = time.perf_counter()
        lookup.find(code, digits)
        times.append(time.perf_counter() - t0)
    return times


# ------------------------------------------------------------------------------------------- serving


def redis_url():
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    parsed = urllib.parse.urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return url
    except OSError:
        pass
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(args, port, cache_url, workdir):
    env = dict(os.environ, DEBUG="0", CONN_MAX_AGE="600", NUM_PROXIES="1", ALLOWED_HOSTS="127.0.0.1",
               SECRET_KEY=secrets.token_urlsafe(40), LOG_LEVEL="ERROR", PUBLIC_LOOKUP_THROTTLE="10/15m",
               PUBLIC_BASE_URL=f"http://127.0.0.1:{port}")
    if cache_url:
        env.update(CACHE_REDIS_URL=cache_url, CACHE_KEY_PREFIX=f"bench{os.getpid()}")
    else:
        env.pop("CACHE_REDIS_URL", None)
    # The project's production settings (gunicorn.conf.py), with this run's address and worker count.
    command = [str(BIN / "gunicorn"), "-c", str(_common.ROOT / "gunicorn.conf.py"), "motcua.wsgi:application",
               "--bind", f"127.0.0.1:{port}",
               "--workers", str(args.workers), "--threads", str(args.threads), "--timeout", "60",
               "--error-logfile", str(workdir / "gunicorn.log"), "--log-level", "warning"]
    log = open(workdir / "gunicorn.out", "w")  # request warnings (the 429s) stay out of the figures
    process = subprocess.Popen(command, cwd=_common.ROOT, env=env, start_new_session=True, stdout=log, stderr=log)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/tra-cuu/")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            break
    stop(process)
    raise SystemExit(f"gunicorn did not start; see {workdir / 'gunicorn.log'}")


def peak_memory_mb(process):
    """Sum of the peak resident memory (VmHWM) of gunicorn's master and workers, in MiB."""
    import psutil
    total = 0
    for proc in [psutil.Process(process.pid)] + psutil.Process(process.pid).children(recursive=True):
        try:
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_seconds(server):
    """CPU time used so far by gunicorn (master + workers) and this database's PostgreSQL backends."""
    import psutil
    web = db = 0.0
    try:
        procs = [psutil.Process(server.pid)] + psutil.Process(server.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        procs = []
    for proc in procs:
        try:
            times = proc.cpu_times()
            web += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    for proc in psutil.process_iter(["name", "cmdline"]):
        try:
            if "motcua_bench_portal_lookup" in " ".join(proc.info["cmdline"] or []):
                times = proc.cpu_times()
                db += times.user + times.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return web, db


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def csrf_pair(port):
    """(token, cookie) of one QR opening: every simulated citizen reuses it, as a browser would."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/tra-cuu/")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    return token, cookie


def run_wrk(port, pairs, workdir, *, connections, duration, mix, htmx=True):
    """wrk against 127.0.0.1 for ``duration`` s, closed loop on ``connections``; returns its figures."""
    sample_file = workdir / "sample.txt"
    sample_file.write_text("".join(f"{code} {digits}\n" for code, digits in pairs))
    script = workdir / "lookup.lua"
    script.write_text(WRK_SCRIPT)
    token, cookie = csrf_pair(port)
    right, wrong = mix
    env = dict(os.environ, LOOKUP_SAMPLE=str(sample_file), LOOKUP_TOKEN=token, LOOKUP_COOKIE=cookie,
               MIX_RIGHT=str(right), MIX_WRONG=str(wrong), LOOKUP_HTMX="1" if htmx else "0")
    command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{duration}s", "--timeout", "5s", "-s", str(script),
               f"http://127.0.0.1:{port}"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True, env=env, timeout=duration + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = [line for line in result.stdout.splitlines() if line.startswith("WRKJSON ")]
    if result.returncode or not lines:
        raise SystemExit(f"wrk failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    figures = json.loads(lines[-1].removeprefix("WRKJSON "))
    figures["cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    figures["throughput"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def throttle_burst(port, code, attempts=30):
    """Wrong pairs from one address in a row: how many got 404 before the 429s began."""
    statuses = []
    for i in range(attempts):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/tra-cuu/", headers={"X-Forwarded-For": "192.0.2.66"})
        response = conn.getresponse()
        page = response.read().decode()
        cookie = response.getheader("Set-Cookie", "").split(";")[0]
        token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        body = urllib.parse.urlencode({"ma": code, "so": f"{i:04d}", "csrfmiddlewaretoken": token})
        conn.request("POST", "/tra-cuu/", body=body, headers={
            "X-Forwarded-For": "192.0.2.66", "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        statuses.append(conn.getresponse().status)
        conn.close()
    return statuses


def main(argv=None):
    args = parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make apt-bench` installs Debian's wrk")
    cache_url = redis_url()
    with _common.bench_database("portal_lookup", keep=args.keep, reuse=args.reuse) as backend:
        from django.utils import timezone
        if args.reuse:
            written, n_dossiers, n_events = reopen()
        else:
            agencies = _common.load_province()
            now = timezone.localtime(timezone.now()).replace(microsecond=0)
            print(f"Loading {args.dossiers:,} dossiers and their timelines into {backend} …", flush=True)
            written, n_dossiers, n_events = load(args, agencies, now)
            print(f"Loaded in {written:.1f} s.", flush=True)
        pairs = sample(args.sample)
        in_process = service_times(pairs)
        workdir = Path(tempfile.mkdtemp(prefix="motcua_bench_lookup_"))
        port = free_port()
        print(f"gunicorn: {args.workers} workers × {args.threads} threads on 127.0.0.1:{port}; throttle counters "
              f"in {'Redis ' + cache_url if cache_url else 'each worker (no Redis answered)'}", flush=True)
        server = start_gunicorn(args, port, cache_url, workdir)
        runs = {}
        try:
            run_wrk(port, pairs, workdir, connections=args.connections, duration=5, mix=MIX)  # warm-up
            for label, mix, htmx in RUNS:
                print(f"wrk: {args.connections} connections, {label} ({mix[0]} % right pairs, {mix[1]} % wrong, "
                      f"{100 - sum(mix)} % QR openings; {'htmx' if htmx else 'whole pages'}), {args.duration} s …",
                      flush=True)
                web0, db0 = cpu_seconds(server)
                run = run_wrk(port, pairs, workdir, connections=args.connections, duration=args.duration, mix=mix,
                              htmx=htmx)
                web1, db1 = cpu_seconds(server)
                served = max(1, run["requests"])
                run["cpu_ms"] = {"gunicorn": (web1 - web0) / served * 1000, "postgresql": (db1 - db0) / served * 1000,
                                 "wrk": run["cpu"] / served * 1000}
                runs[label] = run
            burst = throttle_burst(port, pairs[0][0])
            memory = peak_memory_mb(server)
        finally:
            stop(server)
            shutil.rmtree(workdir, ignore_errors=True)
        allowed = burst.index(429) if 429 in burst else len(burst)
        figures = [
            ("backend", backend, ""), ("dossiers", n_dossiers, "rows"), ("dossier_events", n_events, "rows"),
            *([("load_time", written, "s"), ("load_rate", (n_dossiers + n_events) / written, "rows/s")]
              if written else []),
            ("gunicorn_workers", f"{args.workers}x{args.threads}", ""),
            ("throttle_store", "redis" if cache_url else "worker memory", ""),
            ("service_lookup_p50", _common.percentile(in_process, 50) * 1000, "ms"),
            ("service_lookup_p95", _common.percentile(in_process, 95) * 1000, "ms"),
            ("wrk_connections", args.connections, "(closed loop)"),
        ]
        for label, run in runs.items():
            figures += [
                (f"{label}_throughput", run["throughput"], "req/s"),
                (f"{label}_requests", run["requests"], "requests"),
                (f"{label}_p50", run["p50_us"] / 1000, "ms"), (f"{label}_p95", run["p95_us"] / 1000, "ms"),
                (f"{label}_p99", run["p99_us"] / 1000, "ms"), (f"{label}_max", run["max_us"] / 1000, "ms"),
                (f"{label}_answers", f"{run['found']} found, {run['refused']} refused, {run['form']} forms", ""),
                (f"{label}_failures", run["failed"] + run["socket_errors"], "requests"),
                (f"{label}_cpu_per_request_gunicorn", run["cpu_ms"]["gunicorn"], "ms"),
                (f"{label}_cpu_per_request_postgresql", run["cpu_ms"]["postgresql"], "ms"),
                (f"{label}_cpu_per_request_wrk", run["cpu_ms"]["wrk"], "ms"),
            ]
        lookups = runs["lookups"]
        met = (lookups["throughput"] >= 500 and lookups["p95_us"] < 50_000 and lookups["failed"] == 0
               and lookups["refused"] == 0 and runs["mix"]["failed"] == 0)
        figures += [
            ("throttle_wrong_pairs_allowed", allowed, "of 30"),
            ("throttle_refused", burst.count(429), "of 30"),
            ("target_met", "yes" if met else "no", "(lookups: >= 500 req/s, p95 < 50 ms, no failure)"),
            ("load_average", os.getloadavg()[0], ""),
            ("gunicorn_peak_memory", memory, "MiB"),
            ("peak_memory", _common.peak_rss_mb(), "MiB"),
        ]
        _common.print_figures(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
