"""Work queue of a handler with 1,000,000 dossiers in the province (issue 8, performance).

Loads N dossiers (default 1,000,000; --small 50,000) with their five process steps straight
into the tables (PostgreSQL COPY, or executemany on SQLite) — spread over 2025–2026, over
the provincial departments and the communes, mostly finished — of which ``--open`` (10,000)
are open at Sở Tư pháp (000.00.14.H42) with the handler step active. Then it times
``services.queue_for(handler, scope=...)`` for each scope, as the desk shows its first page:
the 50-row slice evaluated and, per row, dossier.code, procedure_version.name,
applicant_name, agency.name and due_at read. It counts the queries of a page (must be
constant), times the matching count, and — when the desk view answers — ``GET /desk/?scope=``.

    .venv/bin/python benchmarks/work_queue.py              # PostgreSQL, 1,000,000 dossiers
    .venv/bin/python benchmarks/work_queue.py --small      # 50,000 dossiers (make bench)
    .venv/bin/python benchmarks/work_queue.py --explain    # + EXPLAIN ANALYZE of each page query
    .venv/bin/python benchmarks/work_queue.py --sqlite --dossiers 200000

PostgreSQL: postgres://postgres@127.0.0.1:5432 (``BENCH_PG_URL``), database
``motcua_bench_work_queue`` created and dropped by the run.
"""
from __future__ import annotations

import argparse
import datetime
import itertools
import os
import random
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

CHANNELS = ["counter", "online", "post"]
SCOPES = ["mine", "unit", "due_soon", "overdue"]
PAGE = 50
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Đinh", "Mai", "Trịnh"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quang", "Ngọc", "Đức", "Thanh", "Hữu", "Kim", "Xuân", "Hồng", "Công"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hùng", "Khoa", "Lan", "Linh", "Long",
         "Mai", "Minh", "Nam", "Nga", "Nhung", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang",
         "Trung", "Tuấn", "Việt", "Vinh", "Yến"]
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Lê Hồng Phong", "Đinh Tiên Hoàng", "Lương Văn Tụy", "Nguyễn Huệ",
           "Hoàng Hoa Thám", "Tràng An", "Xuân Thành", "Vạn Hạnh"]

# (code, name, competent agency, field, result, review step, days, share of all dossiers)
PROCEDURES = [
    ("2.001417", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "000.00.14.H42", ("LLTP", "Lý lịch tư pháp"),
     ("Phiếu lý lịch tư pháp", "LLTP"), "Thẩm định, tra cứu thông tin lý lịch", 10, 0.10),
    ("2.000635", "Cấp bản sao trích lục hộ tịch", "000.00.14.H42", ("HT", "Hộ tịch"),
     ("Bản sao trích lục hộ tịch", "BSTL"), "Kiểm tra, tra cứu sổ hộ tịch", 3, 0.06),
    ("1.009972", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II", "000.00.12.H42",
     ("XD", "Hoạt động xây dựng"), ("Giấy phép xây dựng", "GPXD"), "Thẩm định hồ sơ, kiểm tra thực địa", 20, 0.06),
    ("1.004227", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "000.01.10.H42",
     ("DD", "Đất đai"), ("Giấy chứng nhận quyền sử dụng đất", "GCN"), "Kiểm tra hồ sơ, xác nhận biến động", 10,
     0.18),
    ("1.001612", "Cấp giấy phép hoạt động đối với phòng khám đa khoa", "000.00.15.H42", ("KCB", "Khám bệnh, chữa bệnh"),
     ("Giấy phép hoạt động", "GPHD"), "Thẩm định hồ sơ, thẩm định cơ sở", 15, 0.04),
    ("2.000986", "Cấp giấy chứng nhận đăng ký hộ kinh doanh", "000.00.03.H42", ("DKKD", "Thành lập và hoạt động "
     "của hộ kinh doanh"), ("Giấy chứng nhận đăng ký hộ kinh doanh", "HKD"), "Xem xét hồ sơ đăng ký", 3, 0.08),
]
# Commune procedures (hộ tịch) at each commune's people's committee: the rest of the dossiers.
COMMUNE_PROCEDURES = [
    ("1.001193", "Đăng ký khai sinh", ("HT", "Hộ tịch"), ("Giấy khai sinh", "GKS"), "Kiểm tra, ghi sổ hộ tịch", 3),
    ("1.000656", "Đăng ký khai tử", ("HT", "Hộ tịch"), ("Trích lục khai tử", "TLKT"), "Kiểm tra, ghi sổ hộ tịch", 3),
    ("2.000908", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", ("CT", "Chứng thực"),
     ("Bản sao có chứng thực", "BSCT"), "Đối chiếu bản chính, chứng thực", 3),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", "-n", type=int, default=None, help="dossiers in total (default 1,000,000)")
    parser.add_argument("--open", type=int, default=10_000,
                        help="open dossiers at Sở Tư pháp with the handler step active (default 10,000)")
    parser.add_argument("--repeat", type=int, default=200, help="pages timed per scope (default 200)")
    parser.add_argument("--small", action="store_true", help="50,000 dossiers: the size `make bench` uses")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each scope's page query")
    parser.add_argument("--try-index", action="store_true",
                        help="PostgreSQL: afterwards add a candidate index (status, agency, role, due_at, id) "
                             "and measure the pages again")
    parser.add_argument("--batch", type=int, default=10_000,
                        help="dossiers per COPY / executemany batch (default 10,000; their steps go with them)")
    args = parser.parse_args(argv)
    if args.dossiers is None:
        args.dossiers = 50_000 if args.small else 1_000_000
    if args.small:
        args.repeat = min(args.repeat, 40)
    if args.open > args.dossiers // 2:
        parser.error("--open must be at most half of --dossiers")
    return args


# ------------------------------------------------------------------------------------------- loading


TableWriter = _common.TableWriter


def _people(rng):
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return (name, f"0{rng.randint(10, 99)}{rng.randint(0, 1)}{rng.randint(10**7, 10**8 - 1)}",
            f"09{rng.randint(10**7, 10**8 - 1)}",
            f"Số {rng.randint(1, 300)} phố {rng.choice(STREETS)}")


def load(args, agencies, now):
    """Write the dossiers and steps; returns (seconds, dossiers, steps) and the handlers' ids."""
    from django.db import connection, transaction
    from motcua.dossiers.models import Dossier, DossierStep, Status, StepStatus, Timeliness
    from motcua.orgs.models import Role, StaffRole, User
    from motcua.text import fold

    rng = random.Random(20261123)
    justice = agencies[_common.JUSTICE]
    centre = agencies[_common.PROVINCIAL_CENTRE]
    handler = User.objects.get(username="thuly.tuphap")
    colleague = User.objects.create(username="thuly.tuphap2", full_name="Nguyễn Hữu Phước",
                                    position="Chuyên viên Phòng Hành chính tư pháp")
    StaffRole.objects.create(user=colleague, agency=justice, role=Role.HANDLER)

    # Procedures: (version, competent agency, receiving agencies, step templates, days, weight, code prefix)
    plans = []
    for code, name, competent, field, result, review, days, share in PROCEDURES:
        version = _common.make_procedure(agencies, code=code, days=days, name=name, competent=competent,
                                         field=field, result=result, review=review)
        plans.append((version, agencies[competent], [centre], days, share))
    communes = sorted(code for code in agencies if code.endswith(".30.H42") and code != "000.00.30.H42")
    rest = 1 - sum(p[-1] for p in plans)
    for code, name, field, result, review, days in COMMUNE_PROCEDURES:
        for i, committee in enumerate(communes):
            version = _common.make_procedure(agencies, code=f"{code}.{i:02d}", days=days, name=name,
                                             competent=committee, field=field, result=result, review=review,
                                             approve="Lãnh đạo UBND xã phê duyệt, ký")
            centre_code = committee.replace(".30.", ".31.")
            plans.append((version, agencies[committee], [agencies[centre_code]], days,
                          rest / len(COMMUNE_PROCEDURES) / len(communes)))
    templates = {}
    for version, *_ in plans:
        templates[version.pk] = [(s.order, s.name, s.performer, s.role, s.budget)
                                 for s in version.steps.order_by("order")]
    justice_plans = [p for p in plans if p[1].pk == justice.pk]
    cum_weights = list(itertools.accumulate(p[-1] for p in plans))
    channel_cum = [70, 95, 100]

    n, n_open_handler = args.dossiers, args.open
    n_open_other_justice = n_open_handler // 5          # at the approver or clerk step
    n_open_elsewhere = max(0, int(n * 0.03))            # open in other agencies
    first_day = datetime.datetime(2025, 1, 2, 7, 30, tzinfo=now.tzinfo)
    span_minutes = int((now - first_day - 30 * DAY).total_seconds() // 60)
    sequences = {}
    folded = {}

    started = time.perf_counter()
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        dropped = []
        if postgres:
            with connection.cursor() as cursor:
                # Rows are consistent by construction: skip the per-row deferred foreign-key
                # triggers and build the secondary indexes once at the end (standard bulk-load practice).
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
                cursor.execute(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN (%s, %s) AND indexname NOT IN "
                    "(SELECT conname FROM pg_constraint)", [Dossier._meta.db_table, DossierStep._meta.db_table])
                dropped = cursor.fetchall()
                for index_name, _definition in dropped:
                    cursor.execute(f'DROP INDEX "{index_name}"')
        dossiers, steps = TableWriter(Dossier), TableWriter(DossierStep)
        dossier_rows, step_rows = [], []
        step_id = 0
        writing = 0.0
        for dossier_id in range(1, n + 1):
            # Which kind of dossier: the first ``n_open_handler`` are the queue under test.
            if dossier_id <= n_open_handler:
                kind, plan = "open_handler", rng.choice(justice_plans)
            elif dossier_id <= n_open_handler + n_open_other_justice:
                kind, plan = "open_later", rng.choice(justice_plans)
            elif dossier_id <= n_open_handler + n_open_other_justice + n_open_elsewhere:
                kind, plan = "open_elsewhere", rng.choices(plans, cum_weights=cum_weights)[0]
                if plan[1].pk == justice.pk:
                    plan = plans[3]  # keep Sở Tư pháp's open count exact: land office instead
            else:
                kind, plan = "finished", rng.choices(plans, cum_weights=cum_weights)[0]
            version, competent, receivers, days, _share = plan
            receiving = receivers[0]
            template = templates[version.pk]

            if kind == "open_handler":
                # Due moments spread around now: ~12 % overdue, ~20 % due within two days.
                roll = rng.random()
                if roll < 0.12:
                    handler_due = now - rng.uniform(0.1, 12) * DAY
                elif roll < 0.32:
                    handler_due = now + rng.uniform(0.05, 1.95) * DAY
                else:
                    handler_due = now + rng.uniform(2.05, days) * DAY
                received = handler_due - max(1.0, days * 0.9) * DAY
                active = 2
            elif kind in ("open_later", "open_elsewhere"):
                received = now - rng.uniform(1, days + 4) * DAY
                active = rng.choice([2, 3, 4]) if kind == "open_elsewhere" else rng.choice([3, 3, 3, 4])
            else:
                received = first_day + datetime.timedelta(minutes=rng.randrange(span_minutes))
                active = None
            received = received.replace(microsecond=0)

            if kind == "finished":
                roll = rng.random()
                status = (Status.RETURNED if roll < 0.93 else Status.REFUSED if roll < 0.96 else
                          Status.STOPPED if roll < 0.98 else Status.CLOSED)
            else:
                status = Status.IN_PROGRESS
            local = received.astimezone(now.tzinfo)
            prefix = competent.code
            seq = sequences[(prefix, local.date())] = sequences.get((prefix, local.date()), 0) + 1
            code = f"{prefix}-{local:%y%m%d}-{seq:04d}"
            name, id_number, phone, street = _people(rng)
            if name not in folded:
                folded[name] = fold(name)
            legal_due = received + days * 1.4 * DAY
            late = kind == "finished" and rng.random() < 0.04
            finished_at = (legal_due + rng.uniform(0.1, 5) * DAY if late else
                           received + rng.uniform(0.5, days * 1.3) * DAY) if kind == "finished" else None
            dossier_rows.append(dossiers.row(
                id=dossier_id, code=code, status=status, channel=rng.choices(CHANNELS, cum_weights=channel_cum)[0],
                procedure_version_id=version.pk, receiving_agency_id=receiving.pk, competent_agency_id=competent.pk,
                received_by_id=None, applicant_name=name, applicant_id_number=id_number, applicant_phone=phone,
                applicant_email="", applicant_address=f"{street}, tỉnh Ninh Bình",
                search_text=f"{code.lower()} {folded[name]} {id_number}", received_at=received,
                clock_started_at=received, legal_due_at=legal_due, appointment_at=legal_due,
                handover_due_at=received + 0.5 * DAY, handed_over_at=received + 0.2 * DAY,
                fee_amount=rng.choice([0, 0, 50000, 100000, 200000]),
                finished_at=finished_at, returned_at=(finished_at + DAY if status == Status.RETURNED else None),
                timeliness=(Timeliness.LATE if late else Timeliness.ON_TIME) if kind == "finished" else "",
                late_cause_agency_id=competent.pk if late else None,
                created_at=received, updated_at=finished_at or received,
            ))

            running = Decimal("0")
            moment = received
            for order, step_name, performer, role, budget in template:
                running += budget
                due = received + float(running) * 1.4 * DAY if not (kind == "open_handler" and order == 2) else handler_due
                agency_id = receiving.pk if performer == "receiving" else competent.pk
                step_id += 1
                values = dict(id=step_id, dossier_id=dossier_id, order=order, name=step_name, agency_id=agency_id,
                              role=role, budget=budget, time_unit="working_days", due_at=due)
                if active is None or order < active:
                    done = min(due - 0.1 * DAY, moment + 0.3 * DAY) if not late else due + 0.2 * DAY
                    if status != Status.RETURNED and order == len(template) and kind == "finished":
                        values.update(status=StepStatus.CANCELLED)
                    else:
                        values.update(status=StepStatus.DONE, started_at=moment, completed_at=done,
                                      timeliness=Timeliness.LATE if done > due else Timeliness.ON_TIME)
                        moment = done
                elif order == active:
                    assignee = None
                    if role == "handler" and competent.pk == justice.pk:
                        assignee = rng.choices([handler.pk, colleague.pk, None], [45, 35, 20])[0]
                    values.update(status=StepStatus.ACTIVE, started_at=moment, assignee_id=assignee)
                else:
                    values.update(status=StepStatus.PENDING)
                step_rows.append(steps.row(**values))
            if len(dossier_rows) >= args.batch or dossier_id == n:
                t0 = time.perf_counter()
                dossiers.write_batch(dossier_rows)
                steps.write_batch(step_rows)
                writing += time.perf_counter() - t0
                dossier_rows, step_rows = [], []
            if dossier_id % 100_000 == 0 or dossier_id == n:
                print(f"  {dossier_id:,} dossiers, {step_id:,} steps, {time.perf_counter() - started:.0f} s "
                      f"({writing:.0f} s in COPY/INSERT)", flush=True)
        if postgres:
            t_index = time.perf_counter()
            with connection.cursor() as cursor:
                for model, last in ((Dossier, n), (DossierStep, step_id)):
                    cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [model._meta.db_table, last])
                for _index_name, definition in dropped:
                    cursor.execute(definition)
            print(f"  {len(dropped)} secondary indexes rebuilt in {time.perf_counter() - t_index:.1f} s", flush=True)
    written = time.perf_counter() - started
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyse = time.perf_counter() - t0
    return written, analyse, dossiers.count, steps.count, handler


# ------------------------------------------------------------------------------------------- measuring


def render_page(handler, scope, now):
    """What the desk does for one page: the slice, plus the fields each row shows."""
    from motcua.dossiers import services
    rows = []
    for step in services.queue_for(handler, scope=scope, now=now)[:PAGE]:
        dossier = step.dossier
        rows.append((dossier.code, dossier.procedure_version.name, dossier.applicant_name, step.agency.name,
                     step.due_at))
    return rows


def measure_scope(handler, scope, now, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from motcua.dossiers import services
    with CaptureQueriesContext(connection) as ctx:
        rows = render_page(handler, scope, now)
    page_queries = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        total = services.queue_for(handler, scope=scope, now=now).count()
    count_queries = len(ctx.captured_queries)
    page_times, page_cpu, count_times = [], [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        render_page(handler, scope, now)
        page_times.append(time.perf_counter() - t0)
        page_cpu.append(time.process_time() - c0)
    for _ in range(max(10, repeat // 4)):
        t0 = time.perf_counter()
        services.queue_for(handler, scope=scope, now=now).count()
        count_times.append(time.perf_counter() - t0)
    return {"rows": len(rows), "total": total, "page_queries": page_queries, "count_queries": count_queries,
            "page": page_times, "page_cpu": page_cpu, "count": count_times, "first_code": rows[0][0] if rows else None}


def explain(handler, scope, now):
    from django.db import connection
    from motcua.dossiers import services
    qs = services.queue_for(handler, scope=scope, now=now)[:PAGE]
    if connection.vendor == "postgresql":
        return qs.explain(analyze=True, buffers=True)
    return qs.explain()


def measure_http(handler, repeat):
    """GET /desk/?scope=… as the handler; None when the desk does not answer 200."""
    from django.test import Client
    client = Client()
    client.force_login(handler)
    results = {}
    for scope in SCOPES:
        response = client.get("/desk/", {"scope": scope})
        if response.status_code != 200:
            return None, response.status_code
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            response = client.get("/desk/", {"scope": scope})
            times.append(time.perf_counter() - t0)
        results[scope] = (times, response.content.decode("utf-8", "replace"))
    return results, 200


def main(argv=None):
    args = parse_args(argv)
    with _common.bench_database("work_queue", sqlite=args.sqlite) as backend:
        from django.utils import timezone
        agencies = _common.load_province()
        now = timezone.localtime(timezone.now()).replace(microsecond=0)
        print(f"Loading {args.dossiers:,} dossiers ({args.open:,} open at Sở Tư pháp, handler step) "
              f"into {backend} …", flush=True)
        written, analyse, n_dossiers, n_steps, handler = load(args, agencies, now)
        rows = n_dossiers + n_steps
        print(f"Loaded in {written:.1f} s (+ ANALYZE {analyse:.1f} s).", flush=True)

        results = {scope: measure_scope(handler, scope, now, args.repeat) for scope in SCOPES}
        if args.explain:
            for scope in SCOPES:
                print(f"\nEXPLAIN ANALYZE — scope {scope}:\n{explain(handler, scope, now)}")
        http, status = measure_http(handler, max(20, args.repeat // 4))
        if http is None:
            print(f"/desk/ answered {status}: HTTP timings skipped.")

        figures = [("backend", backend, ""), ("dossiers", n_dossiers, "rows"), ("dossier_steps", n_steps, "rows"),
                   ("load_time", written, "s"), ("load_rate", rows / written, "rows/s"),
                   ("analyze_time", analyse, "s")]
        for scope in SCOPES:
            r = results[scope]
            figures += [
                (f"queue_{scope}_rows", r["total"], "steps"),
                (f"queue_{scope}_page_p50", _common.percentile(r["page"], 50) * 1000, "ms"),
                (f"queue_{scope}_page_p95", _common.percentile(r["page"], 95) * 1000, "ms"),
                (f"queue_{scope}_page_python_cpu_p50", _common.percentile(r["page_cpu"], 50) * 1000, "ms"),
                (f"queue_{scope}_page_queries", r["page_queries"], "queries"),
                (f"queue_{scope}_count_p95", _common.percentile(r["count"], 95) * 1000, "ms"),
            ]
        if http is not None:
            for scope in SCOPES:
                times, body = http[scope]
                figures.append((f"http_desk_{scope}_p50", _common.percentile(times, 50) * 1000, "ms"))
                figures.append((f"http_desk_{scope}_p95", _common.percentile(times, 95) * 1000, "ms"))
            code = results["unit"]["first_code"]
            figures.append(("http_desk_lists_dossiers", "yes" if code and code in http["unit"][1] else "no", ""))
        if args.try_index and backend == "postgresql":
            from django.db import connection
            with connection.cursor() as cursor:
                cursor.execute('CREATE INDEX bench_step_queue_id ON dossiers_dossierstep '
                               '(status, agency_id, role, due_at, id)')
                cursor.execute("ANALYZE dossiers_dossierstep")
            again = {scope: measure_scope(handler, scope, now, args.repeat) for scope in SCOPES}
            if args.explain:
                print(f"\nEXPLAIN ANALYZE — scope due_soon, with (status, agency, role, due_at, id):\n"
                      f"{explain(handler, 'due_soon', now)}")
            for scope in SCOPES:
                figures.append((f"with_id_index_queue_{scope}_page_p95",
                                _common.percentile(again[scope]["page"], 95) * 1000, "ms"))
        figures += [("page_p95_worst", max(_common.percentile(results[s]["page"], 95) for s in SCOPES) * 1000, "ms"),
                    ("load_average", os.getloadavg()[0], ""),
                    ("peak_memory", _common.peak_rss_mb(), "MiB")]
        _common.print_figures(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
