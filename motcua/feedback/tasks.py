"""Background jobs (huey). Each only performs idempotent side effects: running one twice is harmless."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from motcua.feedback import notify, services


@db_task(retries=3, retry_delay=60)
def send_notification(notification_id: int):
    notify.deliver(notification_id)


@db_periodic_task(crontab(minute="*/15"))
def watch_deadlines():
    """Remind agencies before the response deadline and flag feedback past it."""
    services.send_reminders()
    services.flag_overdue()
