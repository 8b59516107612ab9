import pytest


@pytest.fixture
def sms(settings):
    """The console text gateway with a known secret and an empty outbox (the outbox)."""
    from community.sms import gateways
    from community.sms.tests.factories import SECRET

    settings.SMS = {**settings.SMS, "PROVIDER": "console", "WEBHOOK_SECRET": SECRET}
    gateways.outbox.clear()
    yield gateways.outbox
    gateways.outbox.clear()
