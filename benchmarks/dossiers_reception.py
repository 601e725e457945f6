"""Reception throughput: many counters receiving into one agency on one day (issue 8, performance).

Eight receivers at the provincial service centre receive N dossiers of one procedure through
``services.receive`` — all for Sở Tư pháp on the same day, so every reception takes the same
daily-sequence row lock: the worst case for the dossier code (Đ28). Afterwards it checks that
the codes are unique and the sequence numbers are exactly 1..N.

The clock is frozen (ticking) at 09:00 on Monday 23/11/2026 so the run never straddles
midnight. Each receiver has its own database connection in its own forked process (default:
the receivers are CPU-bound in Python, so processes use both cores; on the 2-core machine
they measured 40/s against 31/s for threads at 1,600 dossiers, and the same ~32/s at 6,000
while other jobs shared the machine) or, with ``--mode threads``, a thread.

    .venv/bin/python benchmarks/dossiers_reception.py            # PostgreSQL, 6,000 dossiers
    .venv/bin/python benchmarks/dossiers_reception.py --small    # 600 dossiers (make bench)
    .venv/bin/python benchmarks/dossiers_reception.py --sqlite   # temporary SQLite file
    .venv/bin/python benchmarks/dossiers_reception.py --profile  # + cProfile and queries of one receiver

PostgreSQL: postgres://postgres@127.0.0.1:5432 (``BENCH_PG_URL``), database
``motcua_bench_reception`` created and dropped by the run.
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import datetime
import io
import multiprocessing
import os
import pstats
import random
import re
import resource
import sys
import threading
import time
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BENCH_MOMENT = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=TZ)     # Monday, office hours
WARMUP_MOMENT = datetime.datetime(2026, 11, 24, 9, 0, tzinfo=TZ)    # another day: its own sequence

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quang", "Ngọc", "Đức", "Thanh", "Hữu", "Kim"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Long", "Mai",
         "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Việt", "Yến"]
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Lê Hồng Phong", "Đinh Tiên Hoàng", "Lương Văn Tụy", "Nguyễn Huệ"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", "-n", type=int, default=None, help="dossiers in total (default 6000)")
    parser.add_argument("--receivers", type=int, default=8, help="concurrent receivers (default 8)")
    parser.add_argument("--mode", choices=["threads", "processes"], default="processes",
                        help="one forked process (default) or one thread per receiver")
    parser.add_argument("--small", action="store_true", help="600 dossiers: the size `make bench` uses")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one receiver alone (cProfile) and list its queries")
    args = parser.parse_args(argv)
    if args.dossiers is None:
        args.dossiers = 600 if args.small else 6000
    return args


def _applicant(rng, services):
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return services.Applicant(
        name=name, id_number=f"0{rng.randint(10, 99)}0{rng.randint(10**7, 10**8 - 1)}",
        phone=f"09{rng.randint(10**7, 10**8 - 1)}", email=f"nguoinop{rng.randint(1, 10**6)}@example.vn",
        address=f"Số {rng.randint(1, 200)} phố {rng.choice(STREETS)}, phường Hoa Lư, tỉnh Ninh Bình")


def _reception_factory(version_id):
    """A function returning a fresh, complete Reception (objects loaded in the calling connection)."""
    from motcua.catalog.models import ProcedureVersion
    from motcua.dossiers import services
    from motcua.orgs.models import Agency
    version = ProcedureVersion.objects.select_related("procedure").get(pk=version_id)
    centre = Agency.objects.get(code=_common.PROVINCIAL_CENTRE)
    justice = Agency.objects.get(code=_common.JUSTICE)
    docs = [services.ReceivedDocument(name=d.name, required_id=d.id, originals=d.originals, copies=d.copies)
            for d in version.documents.filter(mandatory=True)]
    rng = random.Random(version_id)

    def make():
        return services.Reception(procedure_version=version, receiving_agency=centre, competent_agency=justice,
                                  applicant=_applicant(rng, services), documents=list(docs), fee_amount=200000)
    return make


def backend_cpu_seconds(pid):
    """CPU seconds (user + system) used so far by a PostgreSQL backend process (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _backend_pid():
    from django.db import connection
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _receive_many(user_id, version_id, count, moment, latencies, errors, start_barrier=None, server_cpu=None):
    """Receive ``count`` dossiers as one receiver; append per-reception seconds to ``latencies``.

    ``server_cpu`` (a list) receives the CPU seconds the receiver's PostgreSQL backend spent.
    """
    import time_machine
    from django.db import connections
    from motcua.dossiers import services
    from motcua.orgs.models import User
    try:
        user = User.objects.get(pk=user_id)
        make = _reception_factory(version_id)
        pid = _backend_pid()
        cpu_before = backend_cpu_seconds(pid) if pid else None
        if start_barrier is not None:
            start_barrier.wait()
        with time_machine.travel(moment, tick=True):
            for _ in range(count):
                reception = make()
                t0 = time.perf_counter()
                try:
                    services.receive(user, reception)
                except Exception as exc:  # noqa: BLE001 — counted and reported, never hidden
                    errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                latencies.append(time.perf_counter() - t0)
        if cpu_before is not None and server_cpu is not None:
            cpu_after = backend_cpu_seconds(pid)
            if cpu_after is not None:
                server_cpu.append(cpu_after - cpu_before)
    finally:
        connections.close_all()


def _process_worker(user_id, version_id, count, moment, barrier, queue):
    import resource
    latencies, errors, server_cpu = [], [], []
    usage = resource.getrusage(resource.RUSAGE_SELF)
    before = usage.ru_utime + usage.ru_stime
    _receive_many(user_id, version_id, count, moment, latencies, errors, barrier, server_cpu)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    queue.put((latencies, errors, usage.ru_maxrss, usage.ru_utime + usage.ru_stime - before, sum(server_cpu)))


def run_concurrent(args, user_ids, version_id):
    """All receivers at once.

    Returns a dict: wall (s), latencies (s), errors, worker_rss (KiB, processes only), client_cpu and
    server_cpu (CPU seconds spent by the receivers and by their PostgreSQL backends).
    """
    from django.db import connections
    shares = [args.dossiers // len(user_ids) + (1 if i < args.dossiers % len(user_ids) else 0)
              for i in range(len(user_ids))]
    latencies, errors, worker_rss, server_cpu = [], [], [], []
    client_cpu = 0.0
    if args.mode == "threads":
        barrier = threading.Barrier(len(user_ids) + 1)
        per_thread = [([], []) for _ in user_ids]
        threads = [threading.Thread(target=_receive_many,
                                    args=(uid, version_id, share, BENCH_MOMENT, lat, err, barrier, server_cpu))
                   for uid, share, (lat, err) in zip(user_ids, shares, per_thread)]
        for t in threads:
            t.start()
        barrier.wait()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu_start = usage.ru_utime + usage.ru_stime
        started = time.perf_counter()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = usage.ru_utime + usage.ru_stime - cpu_start
        for lat, err in per_thread:
            latencies += lat
            errors += err
    else:
        connections.close_all()  # never share a socket with the children
        ctx = multiprocessing.get_context("fork")
        barrier = ctx.Barrier(len(user_ids) + 1)
        queue = ctx.Queue()
        procs = [ctx.Process(target=_process_worker, args=(uid, version_id, share, BENCH_MOMENT, barrier, queue))
                 for uid, share in zip(user_ids, shares)]
        for p in procs:
            p.start()
        barrier.wait()
        started = time.perf_counter()
        results = [queue.get() for _ in procs]
        wall = time.perf_counter() - started
        for p in procs:
            p.join()
        for lat, err, rss, cpu, backend_cpu in results:
            latencies += lat
            errors += err
            worker_rss.append(rss)
            client_cpu += cpu
            server_cpu.append(backend_cpu)
    return {"wall": wall, "latencies": latencies, "errors": errors, "worker_rss": worker_rss,
            "client_cpu": client_cpu, "server_cpu": sum(server_cpu) if server_cpu else None}


def verify(n, moment):
    """(dossiers found, duplicate codes, missing sequence numbers, unexpected numbers, sequence.last)."""
    from django.db.models import Count
    from motcua.dossiers.models import DailySequence, Dossier
    prefix = f"{_common.JUSTICE}-{moment:%y%m%d}-"
    codes = list(Dossier.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    duplicates = len(codes) - len(set(codes))
    # The column is unique; also ask the database in case a constraint were ever dropped.
    duplicates += Dossier.objects.filter(code__startswith=prefix).values("code").annotate(c=Count("id")) \
        .filter(c__gt=1).count()
    numbers = collections.Counter(int(code.rsplit("-", 1)[1]) for code in codes)
    duplicates += sum(c - 1 for c in numbers.values() if c > 1)
    missing = len(set(range(1, n + 1)) - set(numbers))
    unexpected = len(set(numbers) - set(range(1, n + 1)))
    sequence = DailySequence.objects.filter(prefix=_common.JUSTICE, day=moment.date()).values_list("last", flat=True)
    return len(codes), duplicates, missing, unexpected, (sequence[0] if sequence else 0)


def queries_of_one_reception(user, make):
    """The SQL of one reception (on the warm-up day), grouped by statement shape."""
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from motcua.dossiers import services
    with time_machine.travel(WARMUP_MOMENT, tick=True):
        services.receive(user, make())  # caches warm
        with CaptureQueriesContext(connection) as ctx:
            services.receive(user, make())
    return [q["sql"] for q in ctx.captured_queries]


def sequence_lock_hold(user, make, count):
    """Seconds each reception holds the daily-sequence row lock: from the statement that takes it to COMMIT.

    Receptions into one agency and day cannot overlap inside that window, so 1 / hold is the
    most any number of counters can reach. Measured one receiver alone, on another day.
    """
    import time_machine
    from django.db import connection, transaction
    from motcua.dossiers import services
    holds, taken = [], []

    def released():
        holds.append(time.perf_counter() - taken[-1])

    def watch(execute, sql, params, many, context):
        if "dossiers_dailysequence" in sql and len(taken) == len(holds):
            taken.append(time.perf_counter())
            transaction.on_commit(released)  # registered first: runs right after COMMIT
        return execute(sql, params, many, context)

    with time_machine.travel(WARMUP_MOMENT + datetime.timedelta(days=2), tick=True):
        with connection.execute_wrapper(watch):
            for _ in range(count):
                services.receive(user, make())
    return holds


def _shape(sql):
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return sql[:150]


def profile_single(user, make, count):
    """cProfile of one receiver alone: throughput, and where the time goes."""
    import time_machine
    from motcua.dossiers import services
    profiler = cProfile.Profile()
    with time_machine.travel(WARMUP_MOMENT + datetime.timedelta(days=1), tick=True):
        t0 = time.perf_counter()
        profiler.enable()
        for _ in range(count):
            services.receive(user, make())
        profiler.disable()
        wall = time.perf_counter() - t0
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(r"motcua|django/db/models/(query|base)|psycopg", 30)
    return wall, out.getvalue()


def main(argv=None):
    args = parse_args(argv)
    with _common.bench_database("reception", sqlite=args.sqlite) as backend:
        from motcua.orgs.models import Role, StaffRole, User
        agencies = _common.load_province()
        version = _common.make_procedure(agencies)
        centre = agencies[_common.PROVINCIAL_CENTRE]
        receivers = []
        for i in range(1, args.receivers + 1):
            user = User.objects.create(username=f"tiepnhan.bench{i:02d}", full_name=f"Công chức một cửa {i:02d}",
                                       position="Công chức Bộ phận một cửa")
            StaffRole.objects.create(user=user, agency=centre, role=Role.RECEIVER)
            receivers.append(user)

        make = _reception_factory(version.pk)
        sqls = queries_of_one_reception(receivers[0], make)
        print(f"Queries of one reception ({len(sqls)}):")
        for shape, count in collections.Counter(_shape(s) for s in sqls).most_common():
            print(f"  {count} × {shape}")
        # One receiver alone: its CPU per reception does not depend on what else the machine runs,
        # unlike the throughput below (the 2-core machine is often shared).
        alone = 200 if args.dossiers >= 1000 else 30
        pid = _backend_pid()
        cpu_before, server_before = time.process_time(), backend_cpu_seconds(pid) if pid else None
        holds = sequence_lock_hold(receivers[0], make, alone)
        alone_client_cpu = (time.process_time() - cpu_before) / alone
        alone_server_cpu = (backend_cpu_seconds(pid) - server_before) / alone if server_before is not None else None
        single_rate = None
        if args.profile:
            count = min(500, max(100, args.dossiers // 10))
            wall, report = profile_single(receivers[0], make, count)
            single_rate = count / wall
            print(f"\ncProfile, one receiver alone, {count} receptions ({single_rate:.1f}/s under the profiler):")
            print(report)

        print(f"Receiving {args.dossiers} dossiers with {args.receivers} {args.mode} on {backend} …", flush=True)
        load_before = os.getloadavg()[0]
        run = run_concurrent(args, [u.pk for u in receivers], version.pk)
        wall, latencies, errors, worker_rss = run["wall"], run["latencies"], run["errors"], run["worker_rss"]
        found, duplicates, missing, unexpected, last = verify(args.dossiers, BENCH_MOMENT)
        if errors:
            print(f"{len(errors)} receptions failed, e.g.:")
            for line in collections.Counter(errors).most_common(5):
                print(f"  {line[1]} × {line[0][:300]}")

        figures = [
            ("backend", backend, ""),
            ("mode", f"{args.receivers} {args.mode}", ""),
            ("dossiers_received", found, "dossiers"),
            ("failed_receptions", len(errors), "dossiers"),
            ("wall_time", wall, "s"),
            ("throughput", len(latencies) / wall if wall else 0.0, "dossiers/s"),
            ("latency_p50", _common.percentile(latencies, 50) * 1000, "ms"),
            ("latency_p95", _common.percentile(latencies, 95) * 1000, "ms"),
            ("latency_max", max(latencies) * 1000 if latencies else float("nan"), "ms"),
            ("queries_per_reception", len(sqls), "queries"),
            ("sequence_lock_hold_p50", _common.percentile(holds, 50) * 1000, "ms"),
            ("sequence_lock_bound", 1 / _common.percentile(holds, 50), "dossiers/s"),
            ("client_cpu_per_reception", run["client_cpu"] / max(1, len(latencies)) * 1000, "ms"),
            ("client_cpu_per_reception_alone", alone_client_cpu * 1000, "ms"),
        ]
        if run["server_cpu"] is not None:
            per = (run["client_cpu"] + run["server_cpu"]) / max(1, len(latencies))
            figures += [
                ("server_cpu_per_reception", run["server_cpu"] / max(1, len(latencies)) * 1000, "ms"),
                # What the two cores could do if nothing serialised and nothing else ran (WAL writer,
                # huey queue, other programs excluded): a ceiling, not a measurement.
                ("cpu_bound_ceiling", (os.cpu_count() or 1) / per if per else 0.0, "dossiers/s"),
            ]
        if alone_server_cpu is not None:  # PostgreSQL only: SQLite runs inside the receiver
            figures.append(("server_cpu_per_reception_alone", alone_server_cpu * 1000, "ms"))
        figures.append(("load_average_at_start", load_before, ""))
        if single_rate is not None:
            figures.append(("single_receiver_profiled_throughput", single_rate, "dossiers/s"))
        own_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if worker_rss:  # processes: each child reported its own peak
            figures += [("peak_memory_main", own_kib / 1024, "MiB"),
                        ("peak_memory_worker_max", max(worker_rss) / 1024, "MiB"),
                        ("peak_memory_total", (own_kib + sum(worker_rss)) / 1024, "MiB")]
        else:
            figures.append(("peak_memory", _common.peak_rss_mb(), "MiB"))
        figures += [
            ("daily_sequence_last", last, ""),
            ("duplicate_codes", duplicates, ""),
            ("missing_sequence_numbers", missing, ""),
            ("unexpected_sequence_numbers", unexpected, ""),
        ]
        _common.print_figures(figures)
        ok = not errors and not duplicates and not missing and not unexpected and found == args.dossiers \
            and last == args.dossiers
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
