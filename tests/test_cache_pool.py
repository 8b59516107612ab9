"""The cache's Redis connections are shared by a process's requests (config/cache.py)."""

from config.cache import SharedConnectionPool


def test_backends_of_one_server_share_one_pool_and_other_servers_get_their_own():
    first = SharedConnectionPool.from_url("redis://127.0.0.1:6390/3", driver_info=object())
    again = SharedConnectionPool.from_url("redis://127.0.0.1:6390/3", driver_info=object())
    other = SharedConnectionPool.from_url("redis://127.0.0.1:6390/4")
    assert first is again
    assert other is not first
    assert first.connection_kwargs["db"] == 3 and other.connection_kwargs["db"] == 4
