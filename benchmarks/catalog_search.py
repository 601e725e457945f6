"""Catalogue search speed: 5,000 procedures, 500 mixed searches, SQLite and (optionally) PostgreSQL.

    .venv/bin/python benchmarks/catalog_search.py              # SQLite, 5,000 procedures
    .venv/bin/python benchmarks/catalog_search.py --postgres   # SQLite, then PostgreSQL
    .venv/bin/python benchmarks/catalog_search.py --small      # 500 procedures, 100 searches

Each backend runs in a child process with its own throw-away database (a temp SQLite file;
PostgreSQL database ``motcua_bench_catalog`` created and dropped), never var/motcua.sqlite3.
Searches go through ``catalog.services.search`` (count + first page of 20, as the page does),
through the portal page ``/thu-tuc/`` and through ``/api/v1/procedures`` with Django's test
client. Target: p95 < 50 ms. Figures are printed last, one per line, ``name: value unit``.
"""
import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "motcua_bench_catalog"

VERBS = ["Cấp", "Cấp lại", "Cấp đổi", "Điều chỉnh", "Gia hạn", "Thu hồi", "Đăng ký", "Đăng ký thay đổi",
         "Xác nhận", "Công nhận", "Thẩm định", "Phê duyệt", "Chấp thuận", "Thông báo", "Giải thể", "Sáp nhập"]
OBJECTS = [
    ("Hộ tịch", "HOTICH", ["khai sinh", "khai tử", "kết hôn", "nhận cha, mẹ, con", "giám hộ", "thay đổi, cải chính hộ tịch"]),
    ("Đất đai", "DATDAI", ["Giấy chứng nhận quyền sử dụng đất", "quyền sở hữu nhà ở và tài sản gắn liền với đất",
                           "biến động đất đai", "chuyển mục đích sử dụng đất", "giao đất, cho thuê đất"]),
    ("Hoạt động xây dựng", "XAYDUNG", ["giấy phép xây dựng", "chứng chỉ hành nghề hoạt động xây dựng",
                                       "thiết kế cơ sở", "chứng chỉ năng lực hoạt động xây dựng"]),
    ("Thành lập và hoạt động doanh nghiệp", "DOANHNGHIEP", ["thành lập doanh nghiệp tư nhân", "hộ kinh doanh",
                                                             "chi nhánh, văn phòng đại diện", "công ty trách nhiệm hữu hạn"]),
    ("Dược phẩm", "DUOC", ["chứng chỉ hành nghề dược", "giấy chứng nhận đủ điều kiện kinh doanh dược",
                           "quảng cáo thuốc"]),
    ("Khám bệnh, chữa bệnh", "KCB", ["giấy phép hoạt động khám bệnh, chữa bệnh", "chứng chỉ hành nghề khám bệnh"]),
    ("Giáo dục và đào tạo", "GIAODUC", ["trường mầm non", "trung tâm ngoại ngữ, tin học", "văn bằng, chứng chỉ"]),
    ("Lao động", "LAODONG", ["giấy phép lao động cho người nước ngoài", "nội quy lao động", "thang lương, bảng lương"]),
    ("Người có công", "NGUOICOCONG", ["trợ cấp người có công với cách mạng", "thờ cúng liệt sĩ", "di chuyển hồ sơ người có công"]),
    ("Bảo trợ xã hội", "BAOTRO", ["trợ cấp xã hội hằng tháng", "hỗ trợ chi phí mai táng", "cơ sở trợ giúp xã hội"]),
    ("Văn hóa", "VANHOA", ["biểu diễn nghệ thuật", "karaoke, vũ trường", "di tích lịch sử - văn hóa"]),
    ("Du lịch", "DULICH", ["thẻ hướng dẫn viên du lịch", "giấy phép kinh doanh dịch vụ lữ hành", "cơ sở lưu trú du lịch"]),
    ("Giao thông vận tải", "GTVT", ["giấy phép lái xe", "phù hiệu xe ô tô", "giấy phép kinh doanh vận tải bằng xe ô tô"]),
    ("Môi trường", "MOITRUONG", ["giấy phép môi trường", "báo cáo đánh giá tác động môi trường", "khai thác nước dưới đất"]),
    ("Công thương", "CONGTHUONG", ["giấy phép bán lẻ rượu", "cửa hàng xăng dầu", "giấy chứng nhận đủ điều kiện an toàn thực phẩm"]),
    ("Chứng thực", "CHUNGTHUC", ["chứng thực bản sao từ bản chính", "chứng thực chữ ký", "chứng thực hợp đồng, giao dịch"]),
    ("Lý lịch tư pháp", "LLTP", ["Phiếu lý lịch tư pháp"]),
    ("Tôn giáo", "TONGIAO", ["sinh hoạt tôn giáo tập trung", "tổ chức lễ hội tín ngưỡng"]),
]
QUALIFIERS = ["", "", "", "cho cá nhân", "cho tổ chức", "có yếu tố nước ngoài", "trong trường hợp bị mất, hư hỏng",
              "đối với công trình cấp III", "tại cấp xã", "lần đầu", "do hết hạn", "theo yêu cầu"]
DOCS = ["Tờ khai theo mẫu", "Bản sao giấy tờ tùy thân", "Giấy ủy quyền (nếu có)", "Bản vẽ thiết kế",
        "Giấy chứng nhận đăng ký doanh nghiệp", "Sơ đồ vị trí thửa đất", "Văn bản thẩm duyệt phòng cháy"]
SEARCH_WORDS = ["đăng ký khai sinh", "dang ky khai sinh", "DANG KY", "giấy phép xây dựng", "giay phep", "cap lai",
                "quyền sử dụng đất", "dat dai", "chứng chỉ hành nghề", "ho kinh doanh", "lái xe", "khai tu",
                "ket hon", "đ", "trợ cấp", "doanh nghiep", "du lich", "moi truong", "ruou", "ly lich tu phap",
                "chung thuc ban sao", "thu hoi giay phep", "gia han", "nuoc ngoai", "xyz khong co", "1.00", "2.0001"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=5000, help="số thủ tục (mặc định 5000)")
    parser.add_argument("--searches", type=int, default=500, help="số lượt tìm mỗi cách đo (mặc định 500)")
    parser.add_argument("--small", action="store_true", help="chạy nhanh: 500 thủ tục, 100 lượt tìm")
    parser.add_argument("--postgres", action="store_true",
                        help="đo thêm trên PostgreSQL (tạo rồi xóa CSDL motcua_bench_catalog)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/"),
                        help="máy chủ PostgreSQL (mặc định postgres://postgres@127.0.0.1:5432/)")
    parser.add_argument("--seed", type=int, default=20250701)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.small:
        args.size, args.searches = 500, 100
    return args


# --- child process: one backend ---------------------------------------------------------------------

def build_catalogue(size, rng):
    from motcua.catalog.models import (
        Field, OnlineLevel, Procedure, ProcedureVersion, ProcessStep, PublicationDecision, RequiredDocument,
    )
    from motcua.orgs.models import AdminUnit, Agency, Role
    from motcua.text import fold

    province = AdminUnit.objects.create(code="37", name="Tỉnh Ninh Bình", level="province")
    agencies = [Agency.objects.create(code=f"000.00.{n:02d}.H42", name=f"Sở số {n}", kind="department",
                                      unit=province) for n in range(2, 24)]
    communes = []
    for n in range(1, 13):
        unit = AdminUnit.objects.create(code=f"37{n:03d}", name=f"Xã {n}", level="commune", parent=province)
        communes.append(Agency.objects.create(code=f"000.{n:02d}.30.H42", name=f"UBND xã {n}",
                                              kind="committee", unit=unit))
        Agency.objects.create(code=f"000.{n:02d}.31.H42", name=f"Trung tâm PVHCC xã {n}", kind="service_centre",
                              unit=unit)
    fields = [Field.objects.create(code=code, name=name) for name, code, _objs in OBJECTS]
    levels = [OnlineLevel.objects.create(scheme="nd42", code=code, name=name, submit_online=submit, order=i)
              for i, (code, name, submit) in enumerate([("mot_phan", "Một phần", True),
                                                          ("toan_trinh", "Toàn trình", True),
                                                          ("thong_tin", "Cung cấp thông tin", False)])]
    decision = PublicationDecision.objects.create(number="1/QĐ-UBND", signed_on="2025-07-01",
                                                  effective_on="2025-07-01", issuing_body="UBND tỉnh Ninh Bình")
    procedures = Procedure.objects.bulk_create(Procedure(code=f"{rng.choice('12')}.{n:06d}") for n in range(size))
    versions, names = [], set()
    for procedure in procedures:
        index = rng.randrange(len(OBJECTS))
        _fname, _fcode, objects = OBJECTS[index]
        name = " ".join(p for p in (rng.choice(VERBS), rng.choice(objects), rng.choice(QUALIFIERS)) if p)
        if name in names:
            name = f"{name} ({procedure.code})"
        names.add(name)
        level = rng.choice([["province"], ["commune"], ["province", "commune"]])
        versions.append(ProcedureVersion(
            procedure=procedure, number=1, decision=decision, status="published", name=name, field=fields[index],
            levels=level, time_value=Decimal(rng.choice([1, 3, 5, 10, 15, 20, 30])), fee_amount=rng.choice([0, 0, 50000]),
            result_name="Giấy phép", online_level=rng.choice(levels + [None]),
            search_text=fold(f"{procedure.code} {name}")))
    versions = ProcedureVersion.objects.bulk_create(versions, batch_size=1000)
    for procedure, version in zip(procedures, versions):
        procedure.current_version = version
    Procedure.objects.bulk_update(procedures, ["current_version"], batch_size=1000)
    through = ProcedureVersion.agencies.through
    links, docs, steps = [], [], []
    for version in versions:
        performers = rng.sample(communes, 3) if "commune" in version.levels else [rng.choice(agencies)]
        links += [through(procedureversion_id=version.id, agency_id=a.id) for a in performers]
        docs += [RequiredDocument(version=version, order=i, name=d)
                 for i, d in enumerate(rng.sample(DOCS, rng.randint(2, 4)), start=1)]
        total = version.time_value
        steps += [ProcessStep(version=version, order=1, name="Tiếp nhận", performer="receiving", role=Role.RECEIVER,
                              budget=Decimal("0.5")),
                  ProcessStep(version=version, order=2, name="Giải quyết", performer="competent", role=Role.HANDLER,
                              budget=total - 1),
                  ProcessStep(version=version, order=3, name="Trả kết quả", performer="receiving",
                              role=Role.RECEIVER, budget=Decimal("0.5"))]
    through.objects.bulk_create(links, batch_size=2000)
    RequiredDocument.objects.bulk_create(docs, batch_size=2000)
    ProcessStep.objects.bulk_create(steps, batch_size=2000)
    return fields, agencies + communes, levels


def make_queries(n, rng, fields, agencies, levels):
    queries = []
    for _ in range(n):
        params = {}
        kind = rng.random()
        if kind < 0.7:
            params["q"] = rng.choice(SEARCH_WORDS)
        if kind > 0.5:
            choice = rng.choice(["field", "level", "agency", "online_level"])
            params[choice] = {"field": lambda: rng.choice(fields).code,
                              "level": lambda: rng.choice(["province", "commune"]),
                              "agency": lambda: rng.choice(agencies).code,
                              "online_level": lambda: rng.choice(levels).code}[choice]()
        if rng.random() < 0.1:
            params["page"] = 2
        queries.append(params)
    return queries


def timed(func, queries):
    """Wall-clock and this process's CPU milliseconds of each call (CPU excludes waiting for a busy
    machine, and, on PostgreSQL, the server's own work)."""
    durations, cpu = [], []
    for params in queries:
        start, start_cpu = time.perf_counter(), time.process_time()
        func(params)
        durations.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return durations, cpu


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(fraction * len(values))) - 1))]


def run_backend(args):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from motcua.catalog import services

    rng = random.Random(args.seed)
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    fields, agencies, levels = build_catalogue(args.size, rng)
    with connection.cursor() as cursor:
        # Fresh statistics, as after any bulk load (autovacuum / PRAGMA optimize in production).
        cursor.execute("ANALYZE")
    build_seconds = time.perf_counter() - start
    queries = make_queries(args.searches, rng, fields, agencies, levels)

    def through_service(params):
        params = dict(params)
        page_number = params.pop("page", 1)
        page = Paginator(services.search(**params), 20).get_page(page_number)
        list(page.object_list)
        return page.paginator.count

    client = Client()

    def through_page(params):
        response = client.get("/thu-tuc/", params)
        assert response.status_code == 200, response.status_code

    def through_api(params):
        params = dict(params)
        if params.pop("page", None):
            params["offset"] = 20
        params["limit"] = 20
        response = client.get("/api/v1/procedures", params)
        assert response.status_code == 200, response.content

    hits = sum(1 for p in queries if through_service(p))  # warm-up, and a sanity check
    results = {}
    results["service"] = timed(through_service, queries)
    results["page"] = timed(through_page, queries)
    rest = {"DEFAULT_THROTTLE_CLASSES": [], "DEFAULT_THROTTLE_RATES": {"public": None}}
    with override_settings(REST_FRAMEWORK={**__import__("django.conf").conf.settings.REST_FRAMEWORK, **rest}):
        from motcua.api.procedures import ProcedureList
        ProcedureList.throttle_classes = []
        results["api"] = timed(through_api, queries)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    prefix = args.backend
    print(f"{prefix}_procedures: {args.size} procedures")
    print(f"{prefix}_searches: {len(queries)} searches per path ({hits} with results)")
    print(f"{prefix}_build: {build_seconds:.1f} s")
    for path, (durations, cpu) in results.items():
        print(f"{prefix}_{path}_p50: {statistics.median(durations):.2f} ms")
        print(f"{prefix}_{path}_p95: {percentile(durations, 0.95):.2f} ms")
        print(f"{prefix}_{path}_cpu_p95: {percentile(cpu, 0.95):.2f} ms")
        print(f"{prefix}_{path}_throughput: {len(durations) / (sum(durations) / 1000):.0f} searches/s")
    print(f"{prefix}_peak_memory: {peak_mb:.0f} MB")
    # The figures are wall-clock: say how busy the machine was.
    print(f"{prefix}_load_average: {os.getloadavg()[0]:.1f} runnable/{os.cpu_count()} cpus")


# --- parent: one child per backend --------------------------------------------------------------------

def _pg_admin(url, sql):
    import psycopg

    with psycopg.connect(url.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute(sql)


def run_child(args, backend, env):
    command = [sys.executable, __file__, "--backend", backend, "--size", str(args.size),
               "--searches", str(args.searches), "--seed", str(args.seed)]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"{backend}: benchmark failed")
    return [line for line in done.stdout.splitlines() if ": " in line]


def main(argv=None):
    args = parse_args(argv)
    if args.backend:
        run_backend(args)
        return
    figures = []
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
        env = {**os.environ, "MOTCUA_VAR_DIR": tmp, "DEBUG": "0", "LOG_LEVEL": "ERROR",
               "DATABASE_URL": f"sqlite:///{tmp}/catalog.sqlite3"}
        print(f"SQLite: {args.size} thủ tục, {args.searches} lượt tìm…", file=sys.stderr)
        figures += run_child(args, "sqlite", env)
        if args.postgres:
            print(f"PostgreSQL ({PG_DB})…", file=sys.stderr)
            _pg_admin(args.pg_url, f"DROP DATABASE IF EXISTS {PG_DB}")
            _pg_admin(args.pg_url, f"CREATE DATABASE {PG_DB}")
            try:
                figures += run_child(args, "postgres", {**env, "DATABASE_URL": args.pg_url.rstrip("/") + "/" + PG_DB})
            finally:
                _pg_admin(args.pg_url, f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    for line in figures:
        print(line)


if __name__ == "__main__":
    main()
