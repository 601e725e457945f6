"""KPI reports and dashboards over a large city's year of dossiers (issue 6, performance).

Builds a city the size of Hà Nội — ~640 agencies (30 departments and 610 communes), ~1,900 published
procedures (1,500 at the departments, 400 at every commune), 25 fields — and loads N dossiers
(default 1,000,000; --small 60,000; ``-n 10000000`` for the full size) received over 400 days, with the
stop/close events, apology letters and satisfaction ratings (and their criterion scores) that go with
them, straight into the tables with COPY, and puts the dossier table in reception order, as a year of
receptions leaves it (CLUSTER). Then it builds the rollup (``reports.rollup.refresh``), and
times every report page as a browser asks for it (Django test client, full rendering): the dashboard
of the province and of one agency, the periodic report by agency / level / field / procedure for a
year, a quarter, a month and a free range, the Excel / CSV / PDF exports, a dossier list and the
public board — first alone, then while a second process keeps receiving and processing dossiers
through the real services (``--writer-seconds``). It finally checks that the figures still
reconcile with a direct count of the dossier table.

    .venv/bin/python benchmarks/reports.py                 # PostgreSQL, 1,000,000 dossiers
    .venv/bin/python benchmarks/reports.py --small         # 60,000 dossiers (make bench)
    .venv/bin/python benchmarks/reports.py -n 10000000     # the full city, every row generated in Python
    .venv/bin/python benchmarks/reports.py -n 1000000 --replicas 9   # 10,000,000: 1M generated + 9 copies
    .venv/bin/python benchmarks/reports.py --explain       # + EXPLAIN ANALYZE of the main queries

PostgreSQL: postgres://postgres@127.0.0.1:5432 (``BENCH_PG_URL``), database ``motcua_bench_reports``
created and dropped by the run.
"""
from __future__ import annotations

import argparse
import bisect
import datetime
import multiprocessing
import os
import random
import sys
import time
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

DAY = datetime.timedelta(days=1)
FIELDS = [("HT", "Hộ tịch"), ("CT", "Chứng thực"), ("DD", "Đất đai"), ("NO", "Nhà ở"), ("XD", "Hoạt động xây dựng"),
          ("HKD", "Thành lập và hoạt động của hộ kinh doanh"), ("DN", "Thành lập và hoạt động của doanh nghiệp"),
          ("LLTP", "Lý lịch tư pháp"), ("KCB", "Khám bệnh, chữa bệnh"), ("GDDT", "Giáo dục và Đào tạo"),
          ("BTXH", "Bảo trợ xã hội"), ("NCC", "Người có công"), ("LD", "Lao động"), ("GT", "Đường bộ"),
          ("MT", "Môi trường"), ("TNN", "Tài nguyên nước"), ("VH", "Văn hóa"), ("DL", "Du lịch"),
          ("TM", "Lưu thông hàng hóa trong nước"), ("NN", "Trồng trọt"), ("TS", "Thủy sản"), ("CN", "Công nghiệp"),
          ("TC", "Quản lý công sản"), ("TD", "Thi đua, khen thưởng"), ("TG", "Tôn giáo")]
LAND_HOUSING = {"DD", "NO"}
COMMUNE_FIELDS = ["HT", "CT", "DD", "HKD", "BTXH", "NCC", "XD", "MT"]
DEPARTMENTS = ["Sở Tư pháp", "Sở Xây dựng", "Sở Nông nghiệp và Môi trường", "Sở Tài chính", "Sở Y tế",
               "Sở Giáo dục và Đào tạo", "Sở Công Thương", "Sở Nội vụ", "Sở Văn hóa và Thể thao", "Sở Du lịch",
               "Sở Khoa học và Công nghệ", "Sở Dân tộc và Tôn giáo", "Sở Ngoại vụ", "Sở Quy hoạch - Kiến trúc",
               "Văn phòng Đăng ký đất đai", "Công an thành phố", "Bảo hiểm xã hội thành phố", "Thuế thành phố",
               "Ban Quản lý các khu công nghiệp và chế xuất", "Ban Quản lý Khu công nghệ cao Hòa Lạc",
               "Cục Hải quan", "Kho bạc Nhà nước khu vực I", "Sở Giao thông công chính", "Sở Thông tin",
               "Thanh tra thành phố", "Văn phòng UBND thành phố", "Chi nhánh VPĐKĐĐ khu vực Đông",
               "Chi nhánh VPĐKĐĐ khu vực Tây", "Chi nhánh VPĐKĐĐ khu vực Nam", "Chi nhánh VPĐKĐĐ khu vực Bắc"]
WARDS = ["Hoàn Kiếm", "Ba Đình", "Ngọc Hà", "Giảng Võ", "Đống Đa", "Kim Liên", "Văn Miếu", "Láng", "Ô Chợ Dừa",
         "Hai Bà Trưng", "Vĩnh Tuy", "Bạch Mai", "Cầu Giấy", "Nghĩa Đô", "Yên Hòa", "Tây Hồ", "Phú Thượng",
         "Long Biên", "Bồ Đề", "Việt Hưng", "Phúc Lợi", "Hoàng Mai", "Định Công", "Tương Mai", "Lĩnh Nam",
         "Thanh Xuân", "Khương Đình", "Phương Liệt", "Hà Đông", "Dương Nội", "Yên Nghĩa", "Kiến Hưng"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Đinh", "Mai"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quang", "Ngọc", "Đức", "Thanh", "Hữu", "Phương"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Huyền", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Yến"]
TIMES = [1, 2, 3, 3, 5, 5, 7, 10, 10, 15, 20, 30]
CRITERIA = ["time", "agencies", "contacts", "information", "conduct", "lawful", "extra_cost"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", "-n", type=int, default=None, help="dossiers (default 1,000,000)")
    parser.add_argument("--small", action="store_true", help="60,000 dossiers, fewer repeats (make bench)")
    parser.add_argument("--days", type=int, default=400, help="days of receptions before now (default 400)")
    parser.add_argument("--communes", type=int, default=610, help="communes/wards (default 610)")
    parser.add_argument("--repeat", type=int, default=7, help="requests timed per page (default 7)")
    parser.add_argument("--writer-seconds", type=float, default=None,
                        help="how long the concurrent writer runs while pages are timed (default: as long as "
                             "the timing takes)")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the main queries")
    parser.add_argument("--profile", metavar="PAGE", help="print a Python profile of one page (a name below)")
    parser.add_argument("--batch", type=int, default=20_000, help="rows per COPY batch (default 20,000)")
    parser.add_argument("--replicas", type=int, default=0,
                        help="after generating --dossiers with COPY, copy them this many more times on the server "
                             "(INSERT … SELECT, moments shifted by 0–6 h): -n 1000000 --replicas 9 is 10,000,000")
    parser.add_argument("--keep", action="store_true",
                        help="leave the loaded database in place (for --reuse): it is dropped otherwise")
    parser.add_argument("--reuse", action="store_true",
                        help="time the pages on the database a --keep run of the same size left (no loading; "
                             "the rollup is brought up to date as the hourly job would)")
    args = parser.parse_args(argv)
    if args.dossiers is None:
        args.dossiers = 60_000 if args.small else 1_000_000
    if args.small:
        args.communes = min(args.communes, 120)
        args.repeat = min(args.repeat, 3)
    return args


# ------------------------------------------------------------------------------------------- the city


def build_city(args, rng):
    """Units, agencies, fields, levels, 1,900 procedures with their agencies; returns the plans to draw from."""
    from django.db import connection
    from motcua.catalog.models import Field, OnlineLevel, Procedure, ProcedureVersion, PublicationDecision
    from motcua.orgs.models import AdminUnit, Agency

    city = AdminUnit.objects.create(code="HN01", name="Thành phố Hà Nội", level=AdminUnit.Level.PROVINCE)
    departments = Agency.objects.bulk_create([
        Agency(code=f"000.00.{i + 1:02d}.H26", name=f"{name} Hà Nội" if name.startswith("Sở") else name,
               kind=Agency.Kind.DEPARTMENT, unit=city) for i, name in enumerate(DEPARTMENTS)])
    units = AdminUnit.objects.bulk_create([
        AdminUnit(code=f"HN{i + 1:05d}", name=f"{'Phường' if i % 3 else 'Xã'} {WARDS[i % len(WARDS)]}"
                  f"{'' if i < len(WARDS) else ' ' + str(i // len(WARDS) + 1)}",
                  level=AdminUnit.Level.COMMUNE, parent=city) for i in range(args.communes)])
    communes = Agency.objects.bulk_create([
        Agency(code=f"000.{i // 100 + 1:02d}.{i % 100:02d}.H26", name=f"Ủy ban nhân dân {u.name.lower()}"
               .replace("ủy ban nhân dân phường", "Ủy ban nhân dân phường").replace("ủy ban nhân dân xã",
                                                                                      "Ủy ban nhân dân xã"),
               kind=Agency.Kind.PEOPLES_COMMITTEE, unit=u) for i, u in enumerate(units)])
    fields = {code: Field.objects.create(code=f"HN-{code}", name=name, is_land_or_housing=code in LAND_HOUSING)
              for code, name in FIELDS}
    partial, _ = OnlineLevel.objects.get_or_create(scheme="2023", code="mot-phan",
                                                   defaults={"name": "Một phần", "submit_online": True})
    full, _ = OnlineLevel.objects.get_or_create(scheme="2023", code="toan-trinh",
                                                defaults={"name": "Toàn trình", "submit_online": True,
                                                          "pay_online": True, "result_online": True,
                                                          "is_full_online": True})
    decision = PublicationDecision.objects.create(number="1234/QĐ-UBND", signed_on=datetime.date(2025, 6, 30),
                                                  effective_on=datetime.date(2025, 7, 1),
                                                  issuing_body="Ủy ban nhân dân thành phố Hà Nội")
    # 1,500 department procedures (50 per department), 400 commune procedures.
    specs = []
    for d_index, dept in enumerate(departments):
        for k in range(50):
            specs.append(("province", [dept], rng.choice([c for c, _ in FIELDS if c not in ("HT", "CT")])))
    for k in range(400):
        specs.append(("commune", communes, COMMUNE_FIELDS[k % len(COMMUNE_FIELDS)] if k < 300 else
                      rng.choice(COMMUNE_FIELDS)))
    procedures = Procedure.objects.bulk_create([Procedure(code=f"HN.{i + 1:05d}") for i in range(len(specs))])
    versions = []
    for procedure, (level, _agencies, fcode) in zip(procedures, specs):
        name = f"Thủ tục {fields[fcode].name.lower()} số {procedure.code[3:]}"
        versions.append(ProcedureVersion(
            procedure=procedure, decision=decision, status="published", name=name, field=fields[fcode],
            levels=[level], time_value=Decimal(rng.choice(TIMES)), result_name="Văn bản kết quả",
            online_level=full if rng.random() < 0.38 else partial, search_text=name.lower()))
    versions = ProcedureVersion.objects.bulk_create(versions)
    for procedure, version in zip(procedures, versions):
        procedure.current_version_id = version.pk
    Procedure.objects.bulk_update(procedures, ["current_version"], batch_size=2000)
    through = _common.TableWriter(ProcedureVersion.agencies.through)
    from django.db.models import Max
    rows = []
    link_id = ProcedureVersion.agencies.through.objects.aggregate(m=Max("id"))["m"] or 0
    for version, (_level, agencies, _f) in zip(versions, specs):
        for agency in agencies:
            link_id += 1
            rows.append(through.row(id=link_id, procedureversion_id=version.pk, agency_id=agency.pk))
    through.write_batch(rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                       [ProcedureVersion.agencies.through._meta.db_table, link_id])

    # What a dossier is drawn from: (competent agency, version, days, land?) with a weight.
    plans, weights = [], []
    dept_versions = [(v, s) for v, s in zip(versions, specs) if s[0] == "province"]
    commune_versions = [(v, s) for v, s in zip(versions, specs) if s[0] == "commune"]
    # Zipf-like popularity: a few procedures (birth registration, certification, land) take most dossiers.
    for share, group in ((0.42, dept_versions), (0.58, commune_versions)):
        pops = [1 / (rank + 1) ** 1.1 for rank in range(len(group))]
        rng.shuffle(pops)
        total = sum(pops)
        for (version, (level, agencies, fcode)), pop in zip(group, pops):
            agency_weights = [rng.lognormvariate(0, 0.6) for _ in agencies]
            aw_total = sum(agency_weights)
            for agency, aw in zip(agencies, agency_weights):
                plans.append((agency.pk, version.pk, version.procedure_id, int(version.time_value), fcode in
                              LAND_HOUSING, agency.code))
                weights.append(share * pop / total * aw / aw_total)
    cumulative, acc = [], 0.0
    for w in weights:
        acc += w
        cumulative.append(acc)
    return plans, cumulative, departments, communes


# ------------------------------------------------------------------------------------------- dossiers


def load_dossiers(args, plans, cumulative, now, rng):
    """Write N dossiers (and their events, letters, ratings) with COPY; secondary indexes rebuilt after."""
    from django.db import connection, transaction
    from motcua.dossiers.models import ApologyLetter, Dossier, DossierEvent
    from motcua.portal.models import SatisfactionRating, SatisfactionScore

    total = cumulative[-1]
    tz = now.tzinfo
    start_day = (now - args.days * DAY).date()
    day_weights, acc = [], 0.0
    for i in range(args.days + 1):
        day = start_day + i * DAY
        acc += {5: 0.12, 6: 0.02}.get(day.weekday(), 1.0)
        day_weights.append(acc)
    names = [f"{f} {m} {g}" for f in FAMILY for m in MIDDLE for g in GIVEN]
    folded = {}
    from motcua.text import fold
    for n in names:
        folded[n] = fold(n)
    tables = [Dossier, DossierEvent, ApologyLetter, SatisfactionRating, SatisfactionScore]
    writers = {m: _common.TableWriter(m) for m in tables}
    buffers = {m: [] for m in tables}
    sequences = {}
    counts = dict.fromkeys(["dossiers", "events", "letters", "ratings", "scores"], 0)
    ids = {m: 0 for m in tables}
    t0 = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint)", [[m._meta.db_table for m in tables]])
            dropped = cursor.fetchall()
            for index_name, _definition in dropped:
                cursor.execute(f'DROP INDEX "{index_name}"')
        dw = writers[Dossier]
        for n in range(1, args.dossiers + 1):
            agency_id, version_id, _proc, days, land, agency_code = plans[bisect.bisect_left(cumulative, rng.random() * total)]
            day = start_day + bisect.bisect_left(day_weights, rng.random() * day_weights[-1]) * DAY
            received = datetime.datetime.combine(day, datetime.time(7, 30), tz) + datetime.timedelta(
                seconds=rng.randrange(9 * 3600))
            if received >= now:
                received = now - datetime.timedelta(minutes=rng.randrange(1, 600))
            allowed = days * 1.4 * DAY
            roll = rng.random()
            channel = "online" if roll < 0.33 else "post" if roll < 0.37 else "counter"
            clock = received
            supplement_at = None
            if rng.random() < 0.05:
                supplement_at = received + rng.uniform(0.2, 2.5) * DAY
            outcome = rng.random()
            late_p = 0.16 if land else 0.05
            if outcome < late_p:
                used = allowed * rng.uniform(1.02, 1.8)
            else:
                used = allowed * rng.uniform(0.15, 0.98)
            status, finished, returned, timeliness, ended_event = "in_progress", None, None, "", None
            result_number = ""
            closed = supplement_at is not None and rng.random() < 0.25
            stopped = not closed and rng.random() < 0.015
            if supplement_at is not None and not closed:
                clock = supplement_at + rng.uniform(0.5, 6) * DAY
            due = clock + allowed
            if closed:
                end = supplement_at + 15 * DAY + datetime.timedelta(minutes=5)
                if end < now:
                    status, ended_event = "closed", ("close_unsupplemented", end)
                else:
                    status = "awaiting_supplement"
            elif supplement_at is not None and clock > now:
                status = "awaiting_supplement" if supplement_at < now else "in_progress"
            elif stopped and received + used * 0.4 < now:
                status, ended_event = "stopped", ("stop", received + used * 0.4)
            elif clock + used < now:
                finished = clock + used
                refused = rng.random() < 0.02
                if finished > due:
                    timeliness = "late"
                elif finished.astimezone(tz).date() < due.astimezone(tz).date():
                    timeliness = "early"
                else:
                    timeliness = "on_time"
                result_number = "" if refused else f"{n % 9000 + 1}/QĐ"
                back = finished + rng.uniform(0.05, 4) * DAY
                if back < now:
                    status, returned = "returned", back
                else:
                    status = "refused" if refused else "result_ready"
            elif supplement_at is not None and supplement_at > now:
                supplement_at = None
            if supplement_at is not None and supplement_at > now:
                supplement_at = None
            local_day = received.astimezone(tz).date()
            seq = sequences[(agency_id, local_day)] = sequences.get((agency_id, local_day), 0) + 1
            code = f"{agency_code}-{local_day:%y%m%d}-{seq:04d}"
            name = names[rng.randrange(len(names))]
            id_number = f"0{rng.randint(10, 99)}{rng.randint(10 ** 8, 10 ** 9 - 1)}"
            post_return = returned is not None and rng.random() < (0.25 if channel == "post" else 0.05)
            buffers[Dossier].append(dw.row(
                id=n, code=code, status=status, channel=channel, procedure_version_id=version_id,
                receiving_agency_id=agency_id, competent_agency_id=agency_id, applicant_name=name,
                applicant_id_number=id_number, applicant_phone=f"09{rng.randint(10 ** 7, 10 ** 8 - 1)}",
                applicant_address=f"Số {rng.randint(1, 300)} phố {WARDS[n % len(WARDS)]}, Hà Nội",
                search_text=f"{code.lower()} {folded[name]} {id_number}", submitted_at=received, received_at=received,
                clock_started_at=clock, legal_due_at=due, appointment_at=due, supplement_requested_at=supplement_at,
                supplement_deadline_at=supplement_at + 15 * DAY if supplement_at else None,
                supplement_received_at=clock if supplement_at and clock < now and not closed else None,
                finished_at=finished, returned_at=returned, timeliness=timeliness, result_number=result_number,
                return_method="post" if post_return else "counter",
                documents_by_post=channel == "online" and rng.random() < 0.03,
                created_at=received, updated_at=returned or finished or received))
            counts["dossiers"] += 1
            if ended_event:
                ids[DossierEvent] += 1
                w = writers[DossierEvent]
                buffers[DossierEvent].append(w.row(id=ids[DossierEvent], dossier_id=n, at=ended_event[1],
                                                   action=ended_event[0], from_status="in_progress",
                                                   to_status=status, data="{}"))
                counts["events"] += 1
            if timeliness == "late" and rng.random() < 0.4:
                ids[ApologyLetter] += 1
                w = writers[ApologyLetter]
                drafted = due - 2 * DAY
                buffers[ApologyLetter].append(w.row(
                    id=ids[ApologyLetter], dossier_id=n, agency_id=agency_id, reason="Cần xác minh thêm thông tin",
                    proposed_due_at=due + 5 * DAY, state="applied", drafted_at=drafted,
                    previous_appointment_at=due, approved_at=drafted + 0.2 * DAY, applied_at=drafted + 0.3 * DAY))
                counts["letters"] += 1
            if returned is not None and rng.random() < 0.12:
                ids[SatisfactionRating] += 1
                rid = ids[SatisfactionRating]
                overall = 1 if rng.random() < 0.09 else (3 if rng.random() < 0.5 else 2)
                w = writers[SatisfactionRating]
                buffers[SatisfactionRating].append(w.row(
                    id=rid, dossier_id=n, competent_agency_id=agency_id, receiving_agency_id=agency_id,
                    channel="online" if channel == "online" else "counter", overall=overall,
                    satisfied=overall >= 2, rated_at=returned + datetime.timedelta(hours=2)))
                counts["ratings"] += 1
                ws = writers[SatisfactionScore]
                for criterion in CRITERIA:
                    ids[SatisfactionScore] += 1
                    buffers[SatisfactionScore].append(ws.row(id=ids[SatisfactionScore], rating_id=rid,
                                                             criterion=criterion, level=overall))
                counts["scores"] += len(CRITERIA)
            if len(buffers[Dossier]) >= args.batch or n == args.dossiers:
                for model in tables:
                    if buffers[model]:
                        writers[model].write_batch(buffers[model])
                        buffers[model] = []
            if n % 500_000 == 0:
                print(f"  {n:,} dossiers, {time.perf_counter() - t0:.0f} s", flush=True)
        generated = ids[Dossier] = args.dossiers
        if args.replicas:
            print(f"  {generated:,} generated in {time.perf_counter() - t0:.0f} s; {args.replicas} server-side "
                  f"replicas …", flush=True)
            with connection.cursor() as cursor:
                for k in range(1, args.replicas + 1):
                    replicate(cursor, tables, ids, generated, k)
                    print(f"  replica {k}: {generated * (k + 1):,} dossiers, {time.perf_counter() - t0:.0f} s",
                          flush=True)
            factor = args.replicas + 1
            for key in counts:
                counts[key] *= factor
            ids = {m: v * factor for m, v in ids.items()}
        written = time.perf_counter() - t0
        t1 = time.perf_counter()
        with connection.cursor() as cursor:
            # A city's dossier table grows in reception order (each dossier is inserted when received);
            # the generator draws moments at random and the replicas append whole copies, so the rows
            # are put back in that order, or every "today" read would touch a block per row.
            cursor.execute("CREATE INDEX bench_reception_order ON dossiers_dossier (received_at, id)")
            cursor.execute("CLUSTER dossiers_dossier USING bench_reception_order")
            cursor.execute("DROP INDEX bench_reception_order")
        ordered = time.perf_counter() - t1
        print(f"  dossiers put in reception order (CLUSTER) in {ordered:.0f} s", flush=True)
        t1 = time.perf_counter()
        with connection.cursor() as cursor:
            for model in tables:
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                               [model._meta.db_table, max(ids[model], 1) if model is not Dossier else
                                generated * (args.replicas + 1)])
            for _index_name, definition in dropped:
                cursor.execute(definition)
        indexes = time.perf_counter() - t1
    t2 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return counts, written, ordered, indexes, time.perf_counter() - t2, len(dropped)


def replicate(cursor, tables, ids, base, k):
    """Copy the generated rows once more on the server (INSERT … SELECT): ids shifted past the base,
    every moment moved back by 0–6 hours (the same for a dossier and what belongs to it), codes suffixed.
    """
    from django.db import models as m
    from motcua.dossiers.models import Dossier, DossierEvent
    from motcua.portal.models import SatisfactionRating, SatisfactionScore
    owner = {Dossier: "id", SatisfactionScore: None}
    for model in tables:
        offset = ids[model]
        dossier_col = owner.get(model, "dossier_id")
        if model is SatisfactionScore:
            shift = None
        else:
            shift = f"make_interval(mins => (({dossier_col} * 7919 + {k * 104729}) % 360)::int)"
        columns, exprs = [], []
        for field in model._meta.concrete_fields:
            col = field.column
            columns.append(f'"{col}"')
            if col == "id":
                exprs.append(f"id + {offset * k}")
            elif col == "dossier_id":
                exprs.append(f"dossier_id + {base * k}")
            elif col == "rating_id":
                exprs.append(f"rating_id + {ids[SatisfactionRating] * k}")
            elif model is Dossier and col == "code":
                exprs.append(f"code || '.{k}'")
            elif isinstance(field, m.DateTimeField) and shift:
                exprs.append(f'"{col}" - {shift}')
            else:
                exprs.append(f'"{col}"')
        table = model._meta.db_table
        limit = f"id <= {offset}"
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(exprs)} FROM {table} "
                       f"WHERE {limit}")
    del DossierEvent


# ------------------------------------------------------------------------------------------- concurrent work


def writer_process(stop_at, counter, ready):
    """Receive dossiers at the counter and push some through to the result, through the real services."""
    import django
    django.setup()
    from django.db import connection
    connection.close()
    from motcua.dossiers import services
    from motcua.dossiers.models import Dossier
    from motcua.orgs.models import Agency, User
    from motcua.catalog.models import ProcedureVersion
    users = {u.username: u for u in User.objects.filter(username__in=[
        "tiepnhan.tinh", "thuly.tuphap", "lanhdao.tuphap", "vanthu.tuphap"])}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[_common.JUSTICE, _common.PROVINCIAL_CENTRE])}
    version = ProcedureVersion.objects.get(procedure__code="2.001417", status="published")
    docs = [services.ReceivedDocument(name=d.name, required_id=d.id, originals=d.originals, copies=d.copies)
            for d in version.documents.filter(mandatory=True)]
    ready.set()
    n = 0
    open_ids = []
    while time.time() < stop_at.value:
        n += 1
        d = services.receive(users["tiepnhan.tinh"], services.Reception(
            procedure_version=version, receiving_agency=agencies[_common.PROVINCIAL_CENTRE],
            competent_agency=agencies[_common.JUSTICE],
            applicant=services.Applicant(name="Nguyễn Văn An", id_number=f"0370{n:08d}", phone="0912345678",
                                         address="Số 5 phố Lê Lợi"), documents=docs, fee_amount=0))
        with counter.get_lock():
            counter.value += 1
        open_ids.append(d.pk)
        if n % 3 == 0:
            d = Dossier.objects.get(pk=open_ids.pop(0))
            d = services.hand_over(users["tiepnhan.tinh"], d.pk, d.row_version)
            d = services.forward(users["thuly.tuphap"], d.pk, d.row_version)
            d = services.approve(users["lanhdao.tuphap"], d.pk, d.row_version)
            services.issue_result(users["vanthu.tuphap"], d.pk, d.row_version, number=f"{n}/STP",
                                  signed_on=datetime.date.today(), signer="Đỗ Quang Vinh")
    connection.close()


# ------------------------------------------------------------------------------------------- timing


def pages(departments, communes, today):
    year, month = today.year, today.month
    quarter = (month - 1) // 3 + 1
    dept, commune = departments[0].code, communes[0].code
    start = (today - 45 * DAY).strftime("%d/%m/%Y")
    return [
        ("dashboard_province_year", "/bao-cao/", {"ky": str(year)}),
        ("dashboard_province_12months", "/bao-cao/", {"tu": (today - 365 * DAY).strftime("%d/%m/%Y"),
                                                      "den": today.strftime("%d/%m/%Y")}),
        ("dashboard_agency_year", "/bao-cao/", {"ky": str(year), "co-quan": dept}),
        ("dashboard_commune_month", "/bao-cao/", {"ky": f"{year}-{month:02d}", "co-quan": commune}),
        ("report_agency_year", "/bao-cao/tong-hop/", {"ky": str(year), "nhom": "co-quan"}),
        ("report_level_quarter", "/bao-cao/tong-hop/", {"ky": f"{year}-Q{quarter}", "nhom": "cap"}),
        ("report_field_month", "/bao-cao/tong-hop/", {"ky": f"{year}-{month:02d}", "nhom": "linh-vuc"}),
        ("report_procedure_range", "/bao-cao/tong-hop/", {"tu": start, "den": today.strftime("%d/%m/%Y"),
                                                          "nhom": "thu-tuc"}),
        ("export_xlsx_agency_year", "/bao-cao/tong-hop/", {"ky": str(year), "nhom": "co-quan", "dinh-dang": "xlsx"}),
        ("export_csv_agency_year", "/bao-cao/tong-hop/", {"ky": str(year), "nhom": "co-quan", "dinh-dang": "csv"}),
        ("export_pdf_field_year", "/bao-cao/tong-hop/", {"ky": str(year), "nhom": "linh-vuc", "dinh-dang": "pdf"}),
        ("dossier_list_overdue", "/bao-cao/ho-so/", {"ky": str(year), "chi-so": "overdue"}),
        ("dossier_list_late_agency", "/bao-cao/ho-so/", {"ky": str(year), "chi-so": "f_late", "co-quan": dept}),
        ("public_board_year", "/bao-cao/cong-khai/", {"ky": str(year)}),
    ]


def time_pages(client, page_list, repeat):
    results = {}
    for name, path, params in page_list:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            response = client.get(path, params)
            times.append(time.perf_counter() - t0)
            if response.status_code != 200:
                raise SystemExit(f"{name}: HTTP {response.status_code}: {response.content[:500]!r}")
        results[name] = times
        print(f"  {name}: p50 {_common.percentile(times, 50) * 1000:.0f} ms, "
              f"p95 {_common.percentile(times, 95) * 1000:.0f} ms", flush=True)
    return results


def reconcile(today):
    """The year's figures against direct counts on the dossier table, in one snapshot (REPEATABLE READ)."""
    from django.db import connection, transaction
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return _reconcile(today)


def _reconcile(today):
    from django.db import connection
    from motcua.reports import rollup, services
    selection = services._selection({"ky": str(today.year)}, None, today=today)
    report = services.build_report(selection)
    t = report.total
    start = rollup.midnight(selection.period.start)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM dossiers_dossier WHERE received_at >= %s AND received_at < %s",
                       [start, report.as_of])
        received = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FILTER (WHERE timeliness IN ('early', 'on_time')), COUNT(*) "
                       "FROM dossiers_dossier WHERE finished_at >= %s AND finished_at < %s", [start, report.as_of])
        on_time, finished = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) FROM dossiers_dossier WHERE status = ANY(%s) AND received_at < %s",
                       [list(rollup.OPEN), report.as_of])
        open_now = cursor.fetchone()[0]
    identity = t.carried + t.received == t.finished + t.stopped + t.closed + t.in_progress
    return {"received": (t.received, received), "finished": (t.finished, finished),
            "on_time": (t.on_time, on_time), "in_progress": (t.in_progress, open_now), "identity": identity}


def explain(today):
    from django.db import connection
    from motcua.reports import rollup, services
    selection = services._selection({"ky": str(today.year)}, None, today=today)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) SELECT competent_agency_id, COUNT(*) FROM dossiers_dossier d "
                       "WHERE d.received_at IS NOT NULL AND (d.finished_at IS NULL OR d.finished_at > d.legal_due_at) "
                       "AND d.legal_due_at < now() AND d.received_at < now() AND d.finished_at IS NULL "
                       "AND d.status NOT IN ('stopped', 'closed') GROUP BY 1")
        print("\n".join(r[0] for r in cursor.fetchall()))
    t0 = time.perf_counter()
    rollup.flows(selection.period.start, selection.period.stop)
    print(f"flows(year): {time.perf_counter() - t0:.3f} s")


def load(args, now):
    """Builds the city, loads the dossiers, the targets and the rollup; returns what ``main`` reports."""
    from motcua.orgs.models import Agency
    from motcua.reports import demo as reports_demo
    from motcua.reports import rollup
    rng = random.Random(20261201)
    _common.load_province()
    _common.make_procedure({a.code: a for a in Agency.objects.all()})
    t0 = time.perf_counter()
    plans, cumulative, departments, communes = build_city(args, rng)
    city_time = time.perf_counter() - t0
    print(f"City: {len(departments)} departments, {len(communes)} communes, {len(plans):,} (agency, procedure) "
          f"pairs in {city_time:.1f} s. Loading {args.dossiers:,} dossiers …", flush=True)
    counts, written, order_time, index_time, analyse_time, n_indexes = load_dossiers(args, plans, cumulative, now,
                                                                                     rng)
    print(f"Loaded in {written:.0f} s, put in reception order in {order_time:.0f} s, {n_indexes} indexes in "
          f"{index_time:.0f} s, VACUUM ANALYZE {analyse_time:.0f} s.", flush=True)
    reports_demo.seed_targets()
    t0 = time.perf_counter()
    done = rollup.refresh(rebuild=True)
    rollup_time = time.perf_counter() - t0
    _analyse_rollup(done, rollup_time)
    load_figures = [("load_copy_time", written, "s"), ("load_rate", counts["dossiers"] / written, "dossiers/s"),
                    ("reception_order_time", order_time, "s"), ("index_build_time", index_time, "s"),
                    ("vacuum_analyze_time", analyse_time, "s")]
    return departments, communes, counts, load_figures, done, rollup_time


def reopen():
    """The city a ``--keep`` run left: its agencies, its row counts, the rollup brought up to date."""
    from django.db import connection
    from motcua.orgs.models import Agency
    from motcua.reports import rollup
    city = Agency.objects.filter(code__endswith=".H26").order_by("code")
    departments = list(city.filter(kind=Agency.Kind.DEPARTMENT))
    communes = list(city.filter(kind=Agency.Kind.PEOPLES_COMMITTEE))
    if not departments:
        raise SystemExit("--reuse: no city in this database (run once with --keep first)")
    counts = {}
    with connection.cursor() as cursor:
        for key, table in [("dossiers", "dossiers_dossier"), ("events", "dossiers_dossierevent"),
                           ("letters", "dossiers_apologyletter"), ("ratings", "portal_satisfactionrating"),
                           ("scores", "portal_satisfactionscore")]:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
            counts[key] = cursor.fetchone()[0]
    t0 = time.perf_counter()
    done = rollup.refresh()
    rollup_time = time.perf_counter() - t0
    _analyse_rollup(done, rollup_time)
    print(f"Reopened: {len(departments)} departments, {len(communes)} communes, ~{counts['dossiers']:,} dossiers.",
          flush=True)
    return departments, communes, counts, [], done, rollup_time


def _analyse_rollup(done, seconds):
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_rollup")
    print(f"Rollup: {done['days']:,} day rows, {done['months']:,} month rows in {seconds:.0f} s.", flush=True)


def main(argv=None):
    args = parse_args(argv)
    total = args.dossiers * (args.replicas + 1)
    with _common.bench_database("reports" if args.small else f"reports_{total}", keep=args.keep,
                                reuse=args.reuse) as backend:
        if backend != "postgresql":
            raise SystemExit("PostgreSQL only")
        from django.test import Client
        from django.utils import timezone
        from motcua.orgs.models import Role, StaffRole, User
        from motcua.reports import rollup
        from django.db import connections

        now = timezone.localtime(timezone.now()).replace(microsecond=0)
        if args.reuse:
            departments, communes, counts, load_figures, done, rollup_time = reopen()
        else:
            departments, communes, counts, load_figures, done, rollup_time = load(args, now)
        inspector = User.objects.get(username="thanhtra")
        leader, _ = User.objects.get_or_create(username="lanhdao.hn", defaults={"full_name": "Trần Quốc Bảo"})
        StaffRole.objects.get_or_create(user=leader, agency=departments[0], role=Role.APPROVER)
        client = Client()
        client.force_login(inspector)
        today = now.date()
        if args.explain:
            explain(today)
        page_list = pages(departments, communes, today)
        if args.profile:
            import cProfile
            import pstats
            from django.db import connection as conn
            from django.test.utils import CaptureQueriesContext
            name, path, params = next(p for p in page_list if p[0] == args.profile)
            client.get(path, params)
            with CaptureQueriesContext(conn) as ctx:
                profiler = cProfile.Profile()
                profiler.enable()
                client.get(path, params)
                profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:12]:
                print(q["time"], q["sql"][:300])
        print("Pages, nothing else running:", flush=True)
        for name, path, params in page_list:   # warm-up
            client.get(path, params)
        quiet = time_pages(client, page_list, args.repeat)

        print("Pages while a second process receives and processes dossiers:", flush=True)
        connections.close_all()
        ctx = multiprocessing.get_context("fork")
        stop_at = ctx.Value("d", time.time() + 3600)
        counter, ready = ctx.Value("i", 0), ctx.Event()
        writer = ctx.Process(target=writer_process, args=(stop_at, counter, ready))
        writer.start()
        ready.wait(120)
        c0, t_busy = counter.value, time.perf_counter()
        busy = time_pages(client, page_list, args.repeat)
        refresh_during = time.perf_counter()
        rollup.refresh()
        refresh_during = time.perf_counter() - refresh_during
        receptions = counter.value - c0
        busy_seconds = time.perf_counter() - t_busy
        checks_during = reconcile(today)
        stop_at.value = time.time()
        writer.join(300)
        checks_after = reconcile(today)

        figures = [("backend", backend, ""), ("dossiers", counts["dossiers"], "rows"),
                   ("agencies", len(departments) + len(communes), ""), ("procedures", 1900, ""),
                   ("events_stop_close", counts["events"], "rows"), ("apology_letters", counts["letters"], "rows"),
                   ("satisfaction_ratings", counts["ratings"], "rows"), ("satisfaction_scores", counts["scores"], "rows"),
                   *load_figures,
                   ("rollup_refresh_time" if args.reuse else "rollup_build_time", rollup_time, "s"),
                   ("rollup_day_rows", done["days"], "rows"), ("rollup_month_rows", done["months"], "rows")]
        for name, _p, _q in page_list:
            figures.append((f"{name}_p50", _common.percentile(quiet[name], 50) * 1000, "ms"))
            figures.append((f"{name}_p95", _common.percentile(quiet[name], 95) * 1000, "ms"))
        for name, _p, _q in page_list:
            figures.append((f"busy_{name}_p95", _common.percentile(busy[name], 95) * 1000, "ms"))
        worst = max(_common.percentile(quiet[n], 95) for n, _p, _q in page_list if not n.startswith("export_pdf"))
        worst_busy = max(_common.percentile(busy[n], 95) for n, _p, _q in page_list if not n.startswith("export_pdf"))
        ok_during = all(v is True or (v is not False and v[0] == v[1]) for v in checks_during.values())
        ok_after = all(v is True or (v is not False and v[0] == v[1]) for v in checks_after.values())
        figures += [("worst_p95_without_pdf", worst * 1000, "ms"), ("busy_worst_p95_without_pdf", worst_busy * 1000, "ms"),
                    ("concurrent_receptions", receptions, "dossiers"),
                    ("concurrent_reception_rate", receptions / busy_seconds, "dossiers/s"),
                    ("rollup_refresh_during_load", refresh_during, "s"),
                    ("reconciles_during_writes", "yes" if ok_during else f"no {checks_during}", ""),
                    ("reconciles_after_writes", "yes" if ok_after else f"no {checks_after}", ""),
                    ("peak_memory", _common.peak_rss_mb(), "MiB")]
        _common.print_figures(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
