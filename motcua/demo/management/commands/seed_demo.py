"""Load the demo province: organisation, staff, calendar, catalogue and dossiers.

Each app owns its demo data in ``<app>/demo.py`` with a ``load()`` function; this
command runs them in dependency order inside one transaction.
"""
import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from motcua.orgs.models import Agency

DEMO_MODULES = [
    "motcua.orgs.demo",
    "motcua.workcal.demo",
    "motcua.catalog.demo",
    "motcua.dossiers.demo",
    "motcua.portal.submission_demo",
    "motcua.portal.demo",
    "motcua.feedback.demo",
    "motcua.portal.payment_demo",
    "motcua.reports.demo",
]


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (tỉnh, cơ quan, cán bộ, lịch làm việc, thủ tục, hồ sơ)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Chỉ nạp khi cơ sở dữ liệu còn trống.")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Agency.objects.exists():
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu, bỏ qua nạp dữ liệu mẫu.")
            return
        with transaction.atomic():
            for name in DEMO_MODULES:
                try:
                    module = importlib.import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name != name:
                        raise
                    continue
                module.load(stdout=self.stdout)
            _mark_history_sent()
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))


def _mark_history_sent():
    """The demo replays weeks of history: its messages went out back then, not at the first start."""
    from django.utils import timezone

    from motcua.dossiers.models import Notification as DossierNotification
    from motcua.feedback.models import Notification as FeedbackNotification
    for model in (DossierNotification, FeedbackNotification):
        model.objects.filter(sent_at__isnull=True).update(sent_at=timezone.now())
