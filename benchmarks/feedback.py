"""Feedback (phản ánh, kiến nghị): sending, public search, Open311 reads and report counts.

    .venv/bin/python benchmarks/feedback.py              # SQLite, 20,000 feedback
    .venv/bin/python benchmarks/feedback.py --postgres   # the same on a throw-away PostgreSQL database
    .venv/bin/python benchmarks/feedback.py --small      # 2,000 feedback, fewer repetitions

A year of feedback is bulk-loaded (spread over the categories and 14 agencies, two thirds answered
and published), then measured through the real code paths with Django's test client:

* ``POST /open311/v2/requests.json`` (trusted API key: the whole submit transaction, code included);
* ``GET /phan-anh/?q=…`` (public search without diacritics, count and first page);
* ``GET /open311/v2/requests.json`` (the last 90 days, at most 1000 requests);
* ``services.counts()`` for the year by agency, category and month.

Everything runs in this process against 127.0.0.1 only; figures are printed last, ``name: value unit``.
"""
import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import bench_database, load_province, peak_rss_mb, percentile, print_figures  # noqa: E402

WORDS = ["sổ hộ khẩu", "lý lịch tư pháp", "trễ hẹn", "giấy phép xây dựng", "niêm yết", "lệ phí", "đất đai",
         "khai sinh", "thanh toán trực tuyến", "thái độ cán bộ", "bản sao", "chứng thực"]
QUERIES = ["so ho khau", "TRE HEN", "giấy phép", "dat dai", "ly lich tu phap", "thanh toan", "khai sinh",
           "không có kết quả nào"]


def load(n: int, agencies) -> None:
    from django.utils import timezone

    from motcua.feedback import services
    from motcua.feedback.defaults import ensure_categories
    from motcua.feedback.models import Category, Feedback, Status, Timeliness
    from motcua.text import fold

    ensure_categories(Category)
    categories = list(Category.objects.all())
    centre = agencies["000.00.01.H42"]
    targets = [a for code, a in agencies.items() if code.endswith(".H42") and a.kind != "service_centre"][:14]
    rng = random.Random(5)
    now = timezone.now()
    rows = []
    for i in range(n):
        submitted = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        category = rng.choice(categories)
        words = rng.sample(WORDS, 3)
        title = f"Phản ánh về {words[0]}"
        description = f"Người dân phản ánh việc {words[0]}, {words[1]} và {words[2]} tại bộ phận một cửa."
        fate = rng.random()
        row = Feedback(code=f"PAKN-{submitted:%y%m%d}-{i:05d}", category=category, title=title,
                       description=description, sender_name="Nguyễn Văn An", sender_phone="0912345678",
                       token=f"t{i:08d}", submitted_at=submitted, received_at=submitted,
                       contact_verified_at=submitted, receiving_agency=centre, status=Status.RECEIVED)
        if fate > 0.05:
            row.responsible_agency = rng.choice(targets)
            row.assigned_at = submitted + timedelta(hours=2)
            row.due_at = submitted + timedelta(days=14)
            row.status = Status.ASSIGNED
        if fate > 0.33:
            row.status, row.answer = Status.ANSWERED, f"Cơ quan đã tiếp thu phản ánh về {words[0]}."
            row.answered_at = row.closed_at = submitted + timedelta(days=rng.randint(1, 20))
            row.timeliness = Timeliness.ON_TIME if row.answered_at <= row.due_at else Timeliness.LATE
            row.is_published = True
        row.search_text = fold(f"{row.code} {category.name} {title} {description} {row.answer}")
        rows.append(row)
    Feedback.objects.bulk_create(rows, batch_size=2000)
    services.issue_api_key("Benchmark", trusted_contacts=True, raw="bench-key-0123456789")


def timed(fn, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def run(n: int, repeat: int, sqlite: bool):
    with bench_database("feedback", sqlite=sqlite) as backend:
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from motcua.feedback import services

        agencies = load_province()
        started = time.perf_counter()
        load(n, agencies)
        load_seconds = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client()
        rng = random.Random(7)
        posts = []

        def post():
            response = client.post("/open311/v2/requests.json", {
                "api_key": "bench-key-0123456789", "service_code": "QDHC", "address_string": "Phường Hoa Lư",
                "first_name": "An", "last_name": "Nguyễn", "phone": "0912345678",
                "description": "Đề nghị bỏ yêu cầu bản sao sổ hộ khẩu khi cấp Phiếu lý lịch tư pháp."})
            assert response.status_code == 201, response.content
            posts.append(1)

        def search():
            response = client.get("/phan-anh/", {"q": rng.choice(QUERIES)})
            assert response.status_code == 200

        def requests_list():
            response = client.get("/open311/v2/requests.json")
            assert response.status_code == 200

        now = timezone.now()

        def counts():
            services.counts(now - timedelta(days=365), now, group_by=("agency", "category", "period"))

        post_ms = timed(post, repeat)
        search_ms = timed(search, repeat)
        list_ms = timed(requests_list, max(3, repeat // 10))
        counts_ms = timed(counts, max(3, repeat // 20))
        print_figures([
            (f"{backend}_feedback_rows", n, "rows"),
            (f"{backend}_bulk_load", load_seconds, "s"),
            (f"{backend}_open311_post_p50", percentile(post_ms, 50), "ms"),
            (f"{backend}_open311_post_p95", percentile(post_ms, 95), "ms"),
            (f"{backend}_open311_post_throughput", 1000 * len(post_ms) / sum(post_ms), "requests/s"),
            (f"{backend}_public_search_p50", percentile(search_ms, 50), "ms"),
            (f"{backend}_public_search_p95", percentile(search_ms, 95), "ms"),
            (f"{backend}_open311_get_requests_90_days_p50", percentile(list_ms, 50), "ms"),
            (f"{backend}_counts_year_by_agency_category_month_p50", percentile(counts_ms, 50), "ms"),
            (f"{backend}_peak_memory", peak_rss_mb(), "MiB"),
        ])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20000, help="feedback rows to load (default 20000)")
    parser.add_argument("--repeat", type=int, default=100, help="repetitions of each request (default 100)")
    parser.add_argument("--small", action="store_true", help="2,000 rows, 20 repetitions (make bench)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    rows, repeat = (2000, 20) if args.small else (args.rows, args.repeat)
    run(rows, repeat, sqlite=not args.postgres)


if __name__ == "__main__":
    main()
