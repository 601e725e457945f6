"""``manage.py seed_calendar [--from 2020 --to 2035]``: fill holidays and day swaps (idempotent)."""
from django.core.management.base import BaseCommand, CommandError

from motcua.workcal import services


class Command(BaseCommand):
    help = "Nạp ngày nghỉ lễ, Tết, nghỉ bù và làm bù vào lịch làm việc (chạy lại nhiều lần không sao)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first_year", type=int, default=2020, help="Năm đầu (mặc định 2020).")
        parser.add_argument("--to", dest="last_year", type=int, default=2035, help="Năm cuối (mặc định 2035).")

    def handle(self, *args, first_year, last_year, **options):
        try:
            counts = services.seed_calendar(first_year, last_year)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Lịch {first_year}–{last_year}: thêm {counts['created']}, cập nhật {counts['updated']}, "
            f"xóa {counts['deleted']}, giữ nguyên {counts['manual_kept']} ngày nhập tay."))
