"""Fixtures for the public lookup and satisfaction tests (imported by those test modules).

They build on tests/dossiers/conftest.py: ``received_dossier`` is received on Monday 23/11/2026 at
09:00 at the provincial service centre for Sở Tư pháp; its applicant's phone is 0912345678.
"""
import datetime

import pytest
import time_machine
from django.core.cache import cache

from motcua.dossiers import services
from tests.dossiers.conftest import (  # noqa: F401  (fixtures re-exported for the test modules)
    MONDAY_9AM, agencies, at, procedure, province, received_dossier, reception_for, users,
)

PHONE_DIGITS = "5678"


@pytest.fixture(autouse=True)
def fresh_throttle(settings):
    """Each test starts with an empty throttle window (the cache outlives a test otherwise)."""
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                      "LOCATION": "lookup-tests"}}
    cache.clear()
    yield
    cache.clear()


def return_dossier(dossier, users):
    """Walk a received dossier through the whole process to ``returned`` (result handed back)."""
    travel = lambda moment: time_machine.travel(moment, tick=False)  # noqa: E731
    with travel(at(2026, 11, 23, 10, 0)):
        d = services.hand_over(users["tiepnhan.tinh"], dossier.pk, dossier.row_version)
    with travel(at(2026, 11, 27, 10, 0)):
        d = services.forward(users["thuly.tuphap"], d.pk, d.row_version, "Đủ điều kiện cấp phiếu")
        d = services.approve(users["lanhdao.tuphap"], d.pk, d.row_version)
        d = services.issue_result(users["vanthu.tuphap"], d.pk, d.row_version, number="1234/STP-LLTP",
                                  signed_on=datetime.date(2026, 11, 27), signer="Đỗ Quang Vinh")
    with travel(at(2026, 11, 30, 8, 0)):
        d = services.return_result(users["tiepnhan.tinh"], d.pk, d.row_version)
    return d


@pytest.fixture
def returned_dossier(received_dossier, users):
    return return_dossier(received_dossier, users)
