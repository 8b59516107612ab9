"""/healthz reports database and channel layer, and answers 503 when either is down."""

import pytest

from config import health

pytestmark = pytest.mark.django_db(transaction=True)


async def test_healthz_reports_ok_when_database_and_layer_answer(async_client):
    response = await async_client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["channel_layer"]["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


async def test_healthz_is_503_when_the_channel_layer_is_down(async_client, monkeypatch):
    class BrokenLayer:
        async def new_channel(self, prefix="specific."):
            raise ConnectionError("redis is gone")

    monkeypatch.setattr(health, "get_channel_layer", lambda: BrokenLayer())
    response = await async_client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["channel_layer"] == {"status": "error", "error": "ConnectionError"}
    assert body["database"]["status"] == "ok"


async def test_healthz_is_503_when_the_database_is_down(async_client, monkeypatch):
    def broken():
        raise OSError("database unreachable")

    monkeypatch.setattr(health, "_check_database", broken)
    response = await async_client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["status"] == "error"
