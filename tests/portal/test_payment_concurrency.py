"""Two notifications for the same payment at the same moment: exactly one payment is recorded.

Real threads on a real database (file SQLite with IMMEDIATE transactions, or PostgreSQL with
row locks), like tests/dossiers/test_concurrency.py.
"""
import threading

import pytest
from django.db import connections

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.portal import payments
from motcua.portal.models import PaymentOrder, PaymentReceipt
from tests.portal.payment_fixtures import *  # noqa: F403 — fixtures
from tests.portal.payment_fixtures import gateway_params


def _approved(dossier, user):
    started = payments.start_payment(dossier, user, base_url="http://testserver/")
    txn = payments.sandbox_open(gateway_params(started.redirect_url))
    # Decide without the background notification: the test delivers it from its threads.
    type(txn).objects.filter(pk=txn.pk).update(status="approved", decided_at=txn.created_at)
    return payments.sandbox_result_params(type(txn).objects.get(pk=txn.pk))


def _race(params_list):
    barrier = threading.Barrier(len(params_list))
    outcomes, errors = [], []

    def deliver(params):
        try:
            barrier.wait(timeout=10)
            outcomes.append(payments.handle_notification("sandbox", params))
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver, args=(params,)) for params in params_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_identical_notifications_at_once_record_one_payment(online_dossier, citizen):
    params = _approved(online_dossier, citizen)
    outcomes = _race([params] * 4)
    assert sorted(o.code for o in outcomes) == ["00", "02", "02", "02"]
    assert sum(o.recorded for o in outcomes) == 1
    assert PaymentReceipt.objects.count() == 1
    assert DossierEvent.objects.filter(action="payment_received").count() == 1
    dossier = Dossier.objects.get(pk=online_dossier.pk)
    assert dossier.fee_amount == 200000 and dossier.row_version == online_dossier.row_version + 1


@pytest.mark.django_db(transaction=True)
def test_two_orders_of_one_dossier_paid_at_once_leave_one_payment_and_one_refund(online_dossier, citizen):
    first = _approved(online_dossier, citizen)
    second = _approved(Dossier.objects.get(pk=online_dossier.pk), citizen)
    outcomes = _race([first, second])
    assert sum(o.recorded for o in outcomes) == 1
    statuses = sorted(PaymentOrder.objects.values_list("status", flat=True))
    assert statuses == [PaymentOrder.Status.DUPLICATE, PaymentOrder.Status.PAID]
    assert PaymentReceipt.objects.count() == 1
