"""The deadline watch with a moving clock: a reminder before the deadline, an overdue flag after it.

The feedback is routed to Sở Tư pháp on Monday 23/11/2026 10:00 (10 working days, Tuesday 24/11 is
Ngày Văn hóa Việt Nam), so it is due Tuesday 08/12/2026 10:00; reminders go 2 working days before.
"""
import pytest
import time_machine

from motcua.feedback import notify, services, tasks
from motcua.feedback.models import Feedback, FeedbackEvent, Notification
from tests.feedback.conftest import at

pytestmark = pytest.mark.django_db


def run_job(moment):
    with time_machine.travel(moment, tick=False):
        return services.send_reminders(), services.flag_overdue()


def test_reminder_then_overdue_each_once(assigned, users):
    assert assigned.due_at == at(2026, 12, 8, 10, 0)
    # Three working days before: nothing yet.
    assert run_job(at(2026, 12, 3, 9, 0)) == ([], [])
    # Two working days before (Friday 04/12 10:00 → Tuesday 08/12 10:00): the reminder, once.
    assert run_job(at(2026, 12, 4, 10, 0)) == ([assigned.code], [])
    assert run_job(at(2026, 12, 4, 10, 15)) == ([], [])
    reminder = Notification.objects.filter(feedback=assigned, kind="reminder")
    assert set(reminder.values_list("recipient", flat=True)) == {"thuly.tuphap@ninhbinh.gov.vn",
                                                                 "lanhdao.tuphap@ninhbinh.gov.vn"}
    assert "còn 2 ngày làm việc" in reminder.first().body
    # Past the deadline: flagged overdue, the agency and the receiving office told, once.
    assert run_job(at(2026, 12, 8, 10, 15)) == ([], [assigned.code])
    assert run_job(at(2026, 12, 9, 8, 0)) == ([], [])
    overdue = Notification.objects.filter(feedback=assigned, kind__startswith="overdue")
    recipients = set(overdue.values_list("recipient", flat=True))
    assert "lanhdao.tuphap@ninhbinh.gov.vn" in recipients and "tiepnhan.tinh@ninhbinh.gov.vn" in recipients
    actions = list(FeedbackEvent.objects.filter(feedback=assigned).values_list("action", flat=True))
    assert actions.count("remind") == 1 and actions.count("overdue") == 1
    flagged = Feedback.objects.get(pk=assigned.pk)
    assert flagged.overdue_flagged_at == at(2026, 12, 8, 10, 15)
    assert services.is_overdue(flagged, at(2026, 12, 9, 8, 0))
    # Answered late afterwards: counted late, no further flags.
    with time_machine.travel(at(2026, 12, 9, 9, 0), tick=False):
        done = services.answer(users["thuly.tuphap"], assigned.pk, flagged.row_version,
                               "Sở Tư pháp xin lỗi vì trả lời chậm; kiến nghị đã được tiếp thu.")
    assert done.timeliness == "late"
    assert run_job(at(2026, 12, 10, 9, 0)) == ([], [])


def test_overdue_without_reminder_still_flags(assigned):
    assert run_job(at(2026, 12, 14, 9, 0)) == ([], [assigned.code])
    assert not Notification.objects.filter(feedback=assigned, kind="reminder").exists()


def test_forward_resets_the_watch(assigned, users, agencies):
    run_job(at(2026, 12, 4, 10, 0))
    with time_machine.travel(at(2026, 12, 4, 11, 0), tick=False):
        moved = services.forward(users["lanhdao.tuphap"], assigned.pk, Feedback.objects.get(pk=assigned.pk).row_version,
                                 agencies["000.00.00.H42"], "Kiến nghị thuộc thẩm quyền UBND tỉnh.")
    assert moved.reminder_sent_at is None
    assert run_job(at(2026, 12, 8, 10, 15)) == ([], [])  # the new deadline is later


def test_periodic_task_runs_the_watch(assigned):
    with time_machine.travel(at(2026, 12, 8, 11, 0), tick=False):
        tasks.watch_deadlines.call_local()
    assert Feedback.objects.get(pk=assigned.pk).overdue_flagged_at is not None


def test_delivery_is_idempotent(assigned, settings):
    sms = Notification.objects.filter(feedback=assigned, kind="routed", channel="sms").get()
    assert notify.deliver(sms.pk) is True
    assert notify.deliver(sms.pk) is False
    assert assigned.code in settings.SMS_OUTBOX.read_text(encoding="utf-8")
