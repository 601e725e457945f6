"""``manage.py catalog_excel export|import <file>``: the catalogue as a provincial Excel list."""
import datetime

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog import excel
from motcua.catalog.models import PublicationDecision


def _date(value):
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"Ngày không hợp lệ: {value!r} (dạng dd/mm/yyyy).")


class Command(BaseCommand):
    help = ("Xuất hoặc nhập danh mục thủ tục hành chính dạng Excel (trang tính “Danh mục TTHC”, "
            "“Thành phần hồ sơ”, “Quy trình”).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "import"], help="export: xuất; import: nhập.")
        parser.add_argument("file", help="Đường dẫn tệp .xlsx.")
        parser.add_argument("--decision-number", help="Số quyết định công bố (bắt buộc khi nhập).")
        parser.add_argument("--signed-on", help="Ngày ký quyết định, dd/mm/yyyy (mặc định: hôm nay).")
        parser.add_argument("--effective-on", help="Ngày có hiệu lực, dd/mm/yyyy (mặc định: ngày ký).")
        parser.add_argument("--issuing-body", default="", help="Cơ quan ban hành quyết định (bắt buộc khi nhập).")
        parser.add_argument("--summary", default="", help="Trích yếu quyết định.")
        parser.add_argument("--draft", action="store_true",
                            help="Chỉ tạo phiên bản dự thảo, không công bố.")

    def handle(self, action, file, **options):
        if action == "export":
            count = excel.export_catalogue(file)
            self.stdout.write(self.style.SUCCESS(f"Đã xuất {count} thủ tục ra {file}."))
            return
        if not options["decision_number"] or not options["issuing_body"]:
            raise CommandError("Khi nhập phải có --decision-number và --issuing-body.")
        signed_on = _date(options["signed_on"]) if options["signed_on"] else datetime.date.today()
        effective_on = _date(options["effective_on"]) if options["effective_on"] else signed_on
        decision = PublicationDecision(number=options["decision_number"], signed_on=signed_on,
                                       effective_on=effective_on, issuing_body=options["issuing_body"],
                                       summary=options["summary"])
        try:
            with open(file, "rb") as stream:
                result = excel.import_catalogue(stream, decision, publish=not options["draft"])
        except OSError as exc:
            raise CommandError(f"Không mở được tệp {file}: {exc.strerror}.") from exc
        if result.errors:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"Không nhập thủ tục nào: tệp có {len(result.errors)} lỗi.")
        verb = "tạo dự thảo" if options["draft"] else "công bố"
        self.stdout.write(self.style.SUCCESS(
            f"Đã {verb} {len(result.versions)} thủ tục theo Quyết định số {decision.number}."))
