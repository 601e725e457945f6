"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py motcua.wsgi``.

gunicorn reads this file itself (``-c``); every value can still be overridden on the command line.
"""
import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: a request is CPU work with two sub-millisecond waits (Redis, PostgreSQL), so one
# worker more than the cores keeps them busy (on the 2-core benchmark machine 2 and 3 workers served
# the lookup equally, within the machine's run-to-run noise).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
timeout = 60


def post_worker_init(worker):
    """Move everything loaded so far (Django, the URL map, compiled templates) out of the collector's
    sight, and collect the young generation less often.

    A request allocates thousands of short-lived objects; with the default thresholds the cyclic
    collector ran several times per request over the whole loaded application, an eighth of the
    public lookup's CPU time (benchmarks/portal_lookup.py).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
