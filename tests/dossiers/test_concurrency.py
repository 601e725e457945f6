"""Several counters receiving at the same moment: no duplicate, no gap in the daily sequence."""
import threading

import pytest
import time_machine
from django.db import connections

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from tests.dossiers.conftest import MONDAY_9AM, reception_for


@pytest.mark.django_db(transaction=True)
def test_parallel_receptions_get_consecutive_unique_codes(procedure, agencies, users):
    receivers = [users["tiepnhan.tinh"], users["tiepnhan.tinh2"]]
    errors = []

    def receive_many(user):
        try:
            for _ in range(5):
                services.receive(user, reception_for(procedure, agencies))
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    with time_machine.travel(MONDAY_9AM, tick=False):
        threads = [threading.Thread(target=receive_many, args=(receivers[i % 2],)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert codes == [f"000.00.14.H42-261123-{n:04d}" for n in range(1, 21)]
