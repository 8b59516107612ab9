import pytest


@pytest.fixture
def published(monkeypatch):
    """Board events the services publish, as (type, object_id, data) in order."""
    from ideas import services

    sent: list[tuple[str, object, dict]] = []
    real = services.publish

    def record(*, stream, type, object_id, data):
        real(stream=stream, type=type, object_id=object_id, data=data)
        sent.append((type, object_id, data))

    monkeypatch.setattr(services, "publish", record)
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
