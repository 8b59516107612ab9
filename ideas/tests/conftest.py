import pytest

from community.tests.cache_calls import cache_calls  # noqa: F401 (a fixture for the tests here)


@pytest.fixture
def published(monkeypatch):
    """Board events the actions publish, as (type, object_id, data) in order."""
    import pkgutil
    from importlib import import_module

    from ideas import actions
    from realtime.events import publish as real

    sent: list[tuple[str, object, dict]] = []

    def record(*, stream, type, object_id, data):
        real(stream=stream, type=type, object_id=object_id, data=data)
        sent.append((type, object_id, data))

    for info in pkgutil.iter_modules(actions.__path__, f"{actions.__name__}."):
        module = import_module(info.name)
        if getattr(module, "publish", None) is real:
            monkeypatch.setattr(module, "publish", record)
    return sent


@pytest.fixture
def sms(settings):
    """The console text gateway with a known secret and an empty outbox (the outbox)."""
    from community.sms import gateways
    from community.sms.tests.factories import SECRET

    settings.SMS = {**settings.SMS, "PROVIDER": "console", "WEBHOOK_SECRET": SECRET}
    gateways.outbox.clear()
    yield gateways.outbox
    gateways.outbox.clear()
