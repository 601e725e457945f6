"""Public dossier lookup under load: 1,000,000 dossiers on PostgreSQL, gunicorn, locust (issue 4).

Loads N dossiers (default 1,000,000; --small 50,000) and their timelines (5–6 events each for a
finished dossier) straight into a database of its own with COPY, then serves the app with gunicorn
on 127.0.0.1 and drives ``/tra-cuu/`` with locust (headless, 127.0.0.1 only, bounded in time):

* each simulated citizen opens the QR link (GET ``/tra-cuu/?ma=``, which gives the CSRF cookie) once,
  then looks dossiers up (POST code + last 4 phone digits) at a fixed pace, so the offered load is
  ``--rate`` requests/s; 5 % of the requests are wrong pairs (typos, each from another address)
  and 5 % are QR openings;
* gunicorn runs as behind one reverse proxy (``NUM_PROXIES=1``) and locust gives every citizen its
  own X-Forwarded-For address, so the per-client throttle is live and counts each citizen apart, as
  in production; a burst of wrong pairs from one address afterwards must be refused (429);
* the throttle counts in Redis (127.0.0.1:6379, shared by the workers) when it answers, else in
  each worker's memory (then said so).

Prints the load time, achieved throughput, p50/p95/p99 of the lookups (locust's figures), the
service's own time per lookup, the throttle check and gunicorn's peak memory.

    .venv/bin/python benchmarks/portal_lookup.py               # 1,000,000 dossiers, 550 req/s, 30 s
    .venv/bin/python benchmarks/portal_lookup.py --small       # 50,000 dossiers, 15 s (make bench)
    .venv/bin/python benchmarks/portal_lookup.py --rate 800 --duration 60 --workers 4
    .venv/bin/python benchmarks/portal_lookup.py --max          # also a closed-loop maximum-throughput run

PostgreSQL: postgres://postgres@127.0.0.1:5432 (``BENCH_PG_URL``), database
``motcua_bench_portal_lookup`` created and dropped by the run. Redis: ``BENCH_REDIS_URL``
(default redis://127.0.0.1:6379/15; keys carry a per-run prefix and expire by themselves).
"""
from __future__ import annotations

import argparse
import csv
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

LOCUSTFILE = r'''
import json, random, re
from locust import FastHttpUser, constant, constant_throughput, task

SAMPLE = json.load(open(__SAMPLE__))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PACE = __PACE__


def address():
    return "10.%d.%d.%d" % (random.randint(0, 255), random.randint(0, 255), random.randint(1, 254))


class Citizen(FastHttpUser):
    wait_time = constant_throughput(PACE) if PACE else constant(0)

    def on_start(self):
        self.ip = address()
        code, digits = random.choice(SAMPLE)
        with self.client.get("/tra-cuu/?ma=" + code, name="GET /tra-cuu/?ma= (QR)",
                             headers={"X-Forwarded-For": self.ip}, catch_response=True) as r:
            match = TOKEN.search(r.text or "")
            # The session's cookie jar keeps the csrftoken cookie for the POSTs that follow.
            if r.status_code != 200 or not match or "csrftoken" not in (r.headers.get("Set-Cookie") or ""):
                r.failure("no form or CSRF cookie")
                self.token = ""
                return
            self.token = match.group(1)

    def post(self, code, digits, ip, name, expected, marker):
        body = {"ma": code, "so": digits, "csrfmiddlewaretoken": self.token}
        headers = {"X-Forwarded-For": ip, "Content-Type": "application/x-www-form-urlencoded"}
        with self.client.post("/tra-cuu/", data=body, headers=headers, name=name, catch_response=True) as r:
            if r.status_code != expected or marker not in (r.text or ""):
                r.failure("HTTP %s" % r.status_code)
            else:
                r.success()  # a wrong pair's 404 is the expected answer

    @task(90)
    def lookup(self):
        code, digits = random.choice(SAMPLE)
        self.post(code, digits, self.ip, "POST /tra-cuu/ (right pair)", 200, 'id="dossier-status"')

    @task(5)
    def typo(self):
        code, digits = random.choice(SAMPLE)
        wrong = "%04d" % ((int(digits) + random.randint(1, 9999)) % 10000)
        self.post(code, wrong, address(), "POST /tra-cuu/ (wrong pair)", 404, 'id="lookup-error"')

    @task(5)
    def open_qr(self):
        code, _ = random.choice(SAMPLE)
        self.client.get("/tra-cuu/?ma=" + code, name="GET /tra-cuu/?ma= (QR)", headers={"X-Forwarded-For": self.ip})
'''


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", "-n", type=int, default=None, help="dossiers (default 1,000,000)")
    parser.add_argument("--small", action="store_true", help="50,000 dossiers, 15 s of load: what `make bench` runs")
    parser.add_argument("--rate", type=float, default=550, help="offered load in requests/s (default 550)")
    parser.add_argument("--users", type=int, default=40, help="simulated citizens (default 40)")
    parser.add_argument("--duration", type=int, default=None, help="seconds of measured load (default 30)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1: sync)")
    parser.add_argument("--max", action="store_true", help="also measure the closed-loop maximum throughput")
    parser.add_argument("--sample", type=int, default=20_000, help="dossiers the citizens look up (default 20,000)")
    parser.add_argument("--batch", type=int, default=20_000, help="dossiers per COPY batch (default 20,000)")
    parser.add_argument("--keep-server", action="store_true", help=argparse.SUPPRESS)
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
    command = [str(BIN / "gunicorn"), "motcua.wsgi:application", "--bind", f"127.0.0.1:{port}",
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


def run_locust(port, pairs, workdir, *, users, duration, pace, label):
    """Headless locust against 127.0.0.1 for ``duration`` s; returns {request name: stats row}."""
    sample_file = workdir / "sample.json"
    sample_file.write_text(json.dumps(pairs))
    locustfile = workdir / "locustfile.py"
    locustfile.write_text(LOCUSTFILE.replace("__SAMPLE__", repr(str(sample_file))).replace("__PACE__", repr(pace)))
    prefix = workdir / label
    command = [str(BIN / "locust"), "-f", str(locustfile), "--headless", "--host", f"http://127.0.0.1:{port}",
               "-u", str(users), "-r", str(users), "-t", f"{duration}s", "--csv", str(prefix), "--only-summary",
               "--loglevel", "WARNING", "--stop-timeout", "5"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=duration + 120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run_locust.cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.exists():
        raise SystemExit(f"locust failed ({result.returncode}):\n{result.stderr[-3000:]}")
    with stats_file.open() as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


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


def _f(row, key):
    try:
        return float(row[key])
    except (KeyError, TypeError, ValueError):
        return float("nan")


def main(argv=None):
    args = parse_args(argv)
    cache_url = redis_url()
    with _common.bench_database("portal_lookup") as backend:
        from django.utils import timezone
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
        try:
            run_locust(port, pairs, workdir, users=args.users, duration=5, pace=args.rate / args.users,
                       label="warmup")
            print(f"Offering {args.rate:.0f} requests/s from {args.users} citizens for {args.duration} s …",
                  flush=True)
            web0, db0 = cpu_seconds(server)
            stats = run_locust(port, pairs, workdir, users=args.users, duration=args.duration,
                               pace=args.rate / args.users, label="target")
            web1, db1 = cpu_seconds(server)
            cpu = {"web": web1 - web0, "db": db1 - db0, "load": run_locust.cpu}
            maximum = None
            if args.max:
                print(f"Closed loop (no pause) with {args.users} citizens for {args.duration} s …", flush=True)
                maximum = run_locust(port, pairs, workdir, users=args.users, duration=args.duration, pace=0,
                                     label="max")
            burst = throttle_burst(port, pairs[0][0])
            memory = peak_memory_mb(server)
        finally:
            stop(server)
            shutil.rmtree(workdir, ignore_errors=True)
        total, right = stats["Aggregated"], stats["POST /tra-cuu/ (right pair)"]
        wrong = stats.get("POST /tra-cuu/ (wrong pair)", {})
        allowed = burst.index(429) if 429 in burst else len(burst)
        figures = [
            ("backend", backend, ""), ("dossiers", n_dossiers, "rows"), ("dossier_events", n_events, "rows"),
            ("load_time", written, "s"), ("load_rate", (n_dossiers + n_events) / written, "rows/s"),
            ("gunicorn_workers", f"{args.workers}x{args.threads}", ""),
            ("throttle_store", "redis" if cache_url else "worker memory", ""),
            ("service_lookup_p50", _common.percentile(in_process, 50) * 1000, "ms"),
            ("service_lookup_p95", _common.percentile(in_process, 95) * 1000, "ms"),
            ("offered_rate", args.rate, "req/s"),
            ("throughput", _f(total, "Requests/s"), "req/s"),
            ("lookup_throughput", _f(right, "Requests/s"), "req/s"),
            ("failures", int(_f(total, "Failure Count")), "requests"),
            ("requests", int(_f(total, "Request Count")), "requests"),
            ("all_p50", _f(total, "50%"), "ms"), ("all_p95", _f(total, "95%"), "ms"),
            ("lookup_p50", _f(right, "50%"), "ms"), ("lookup_p95", _f(right, "95%"), "ms"),
            ("lookup_p99", _f(right, "99%"), "ms"),
            ("wrong_pair_p95", _f(wrong, "95%"), "ms"),
        ]
        served = max(1, int(_f(total, "Request Count")))
        per_request = {k: v / served * 1000 for k, v in cpu.items()}
        figures += [
            ("cpu_per_request_gunicorn", per_request["web"], "ms"),
            ("cpu_per_request_postgresql", per_request["db"], "ms"),
            ("cpu_per_request_locust", per_request["load"], "ms"),
            # What two otherwise idle cores could serve with the load generator on the same machine:
            ("capacity_2_cores", 2000 / sum(per_request.values()), "req/s"),
            ("capacity_2_cores_server_only", 2000 / (per_request["web"] + per_request["db"]), "req/s"),
        ]
        if maximum:
            figures += [("max_throughput", _f(maximum["Aggregated"], "Requests/s"), "req/s"),
                        ("max_p95", _f(maximum["Aggregated"], "95%"), "ms")]
        figures += [
            ("throttle_wrong_pairs_allowed", allowed, "of 30"),
            ("throttle_refused", burst.count(429), "of 30"),
            ("target_met", "yes" if _f(total, "Requests/s") >= 500 and _f(right, "95%") < 50
             and _f(total, "Failure Count") == 0 else "no", "(>= 500 req/s, lookup p95 < 50 ms)"),
            ("load_average", os.getloadavg()[0], ""),
            ("gunicorn_peak_memory", memory, "MiB"),
            ("peak_memory", _common.peak_rss_mb(), "MiB"),
        ]
        _common.print_figures(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
