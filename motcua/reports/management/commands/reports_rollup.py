from datetime import timedelta

from django.core.management.base import BaseCommand

from motcua.reports import rollup


class Command(BaseCommand):
    help = "Tổng hợp số liệu báo cáo cho các ngày đã kết thúc (--rebuild: tính lại từ đầu)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Xóa và tính lại toàn bộ số liệu tổng hợp.")

    def handle(self, *args, rebuild=False, **options):
        done = rollup.refresh(rebuild=rebuild)
        self.stdout.write(f"Đã tổng hợp từ ngày {done['from']:%d/%m/%Y} đến hết ngày {done['upto'] - timedelta(days=1):%d/%m/%Y}: "
                          f"{done['days']} dòng theo ngày, {done['months']} dòng theo tháng.")
