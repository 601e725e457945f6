"""The lookup throttle on Redis, as several gunicorn workers share it (a script, not the cache API).

Needs the Redis of the machine and of CI (127.0.0.1:6379); skipped when none answers.
"""
import secrets
import socket
import threading
import time

import pytest
from django.core.cache import cache

from motcua.portal import lookup

REDIS_URL = "redis://127.0.0.1:6379/14"
CLIENT = "203.0.113.9"


def _redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture(autouse=True)
def redis_cache(settings):
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"test-{secrets.token_hex(4)}"}}
    settings.PUBLIC_LOOKUP_THROTTLE = "10/15m"
    yield
    cache.clear()


def test_wrong_pairs_count_in_redis_and_block_the_client_at_the_limit():
    for _ in range(9):
        lookup.count_wrong_pair(CLIENT)
    key, _limit, _retry = lookup._window(CLIENT, time.time())
    assert cache.get(key) == 9  # the cache API reads what the script wrote
    assert lookup.blocked_for(CLIENT) is None
    lookup.count_wrong_pair(CLIENT)
    assert lookup.blocked_for(CLIENT) is not None
    with pytest.raises(lookup.Throttled):  # even a right pair is withheld now
        lookup.within_allowance(CLIENT, lambda: "found")
    with pytest.raises(lookup.Throttled):
        lookup.count_wrong_pair(CLIENT)
    assert lookup.blocked_for("198.51.100.1") is None


def test_the_window_expires_by_itself():
    lookup.count_wrong_pair(CLIENT)
    key, _limit, _retry = lookup._window(CLIENT, time.time())
    import redis
    ttl = redis.Redis.from_url(REDIS_URL).ttl(cache.make_key(key))
    assert 0 < ttl <= 15 * 60 + 2


def test_a_parallel_burst_gets_exactly_the_allowance():
    outcomes, barrier = [], threading.Barrier(30)

    def attempt():
        barrier.wait()
        try:
            lookup.count_wrong_pair(CLIENT)
            outcomes.append("counted")
        except lookup.Throttled:
            outcomes.append("throttled")

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("counted") == 10 and outcomes.count("throttled") == 20
