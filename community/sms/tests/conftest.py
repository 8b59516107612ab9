import pytest

from community.sms import gateways
from community.sms.tests.factories import SECRET


@pytest.fixture
def sms(settings):
    """The console gateway with a known secret and an empty outbox; returns the outbox."""
    settings.SMS = {**settings.SMS, "PROVIDER": "console", "WEBHOOK_SECRET": SECRET}
    gateways.outbox.clear()
    yield gateways.outbox
    gateways.outbox.clear()
