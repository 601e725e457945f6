"""Background job (huey): roll up the closed days. Idempotent — running it twice is harmless."""
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from motcua.reports import rollup


@db_periodic_task(crontab(minute="7"))
def refresh_rollup():
    """Hourly: every day closed since the last run (and the last three again) into the rollup."""
    rollup.refresh()
