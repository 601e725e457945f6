"""Background jobs (huey). Each only performs idempotent side effects: running one twice is harmless."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from motcua.dossiers import notify, services


@db_task(retries=3, retry_delay=60)
def send_notification(notification_id: int):
    notify.deliver(notification_id)


@db_task(retries=3, retry_delay=60)
def send_notifications(notification_ids: list[int]):
    """Send each of an action's notifications; a failure is retried, what was sent is not sent again."""
    failure = None
    for notification_id in notification_ids:
        try:
            notify.deliver(notification_id)
        except Exception as exc:  # noqa: BLE001 — the others still go out; the job is retried below
            failure = failure or exc
    if failure is not None:
        raise failure


@db_periodic_task(crontab(minute="*/15"))
def watch_deadlines():
    """Close unsupplemented dossiers, draft apology letters, flag late consultation replies."""
    services.close_unsupplemented()
    services.scan_for_delays()
    services.flag_late_consultations()
