"""The input guard at the HTTP edge: refused characters, too many parameters, oversized
headers (realtime/inputguard.py, config/middleware.py, config/httpserver.py)."""

from __future__ import annotations

import pytest
from twisted.internet.testing import StringTransport

from config import httpserver
from realtime import inputguard


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("plain text, with tab\tand\nnew lines\r\n", False),
        ("Árbol 木 شجرة 🌳", False),
        ("a\x00b", True),
        ("a\ud800b", True),
        ("bell\x07", True),
        ("escape\x1b[31m", True),
        ("C1\x85control", True),
        ("delete\x7f", True),
    ],
)
def test_only_storable_text_passes(text, refused):
    assert (inputguard.refused_character(text) is not None) is refused


def test_json_nested_beyond_the_limit_is_refused_without_recursion():
    with pytest.raises(inputguard.InputRefused) as deep:
        inputguard.loads_json("[" * 100_000 + "]" * 100_000)
    assert "nested" in deep.value.message
    with pytest.raises(inputguard.InputRefused) as within:
        inputguard.loads_json('{"a": {"b": ' + "[" * 40 + "]" * 40 + "}}")
    assert within.value.field == "a"
    assert inputguard.loads_json('{"a": [[["ok"]]]}') == {"a": [[["ok"]]]}


def test_json_keys_are_checked_too():
    with pytest.raises(inputguard.InputRefused) as refused:
        inputguard.loads_json('{"ok": {"bad\\u0000key": 1}}')
    assert refused.value.field == "ok.bad\x00key"


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "field"), [("/ideas/?q=a%00b", "q"), ("/ideas/?q%01=x", "q\x01")])
def test_a_query_with_a_refused_character_is_a_400_page_naming_the_field(client, path, field):
    response = client.get(path)
    assert response.status_code == 400
    assert response.context["field"] == field
    assert b"cannot be saved" in response.content


@pytest.mark.django_db
def test_a_form_post_with_a_control_character_is_refused_before_the_view(client):
    from community.models import Persona
    from community.tests.factories import UserFactory

    client.force_login(UserFactory())
    before = Persona.objects.count()
    response = client.post("/accounts/personas/", {"display_name": "Eve\x1b[2J"})
    assert response.status_code == 400
    assert response.context["field"] == "display_name"
    assert Persona.objects.count() == before


@pytest.mark.django_db
def test_too_many_query_parameters_is_one_clear_400(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    response = client.get("/ideas/?" + "&".join(f"p{i}=1" for i in range(60)))
    assert response.status_code == 400
    assert b"more than 50 parameters" in response.content
    api = client.get("/api/v1/ideas/?" + "&".join(f"p{i}=1" for i in range(60)))
    assert api.status_code == 400
    assert "more than 50" in api.json()["fields"]["non_field_errors"][0]


@pytest.mark.django_db
def test_an_api_query_with_a_refused_character_is_a_json_400_naming_the_parameter(client):
    response = client.get("/api/v1/ideas/?status=%00")
    assert response.status_code == 400
    assert "status" in response.json()["fields"]


def _channel():
    protocol = httpserver._build_protocol(None)
    transport = StringTransport()
    protocol.makeConnection(transport)
    return protocol, transport


def _status(transport) -> bytes:
    return transport.value().split(b"\r\n", 1)[0]


def test_daphne_uses_the_limited_channel():
    from daphne.http_protocol import HTTPFactory

    httpserver.install()
    assert HTTPFactory.protocol is httpserver._build_protocol
    assert isinstance(httpserver._build_protocol(None)._channel, httpserver.LimitedHTTPChannel)


def test_a_200_kb_cookie_is_answered_431_not_dropped():
    protocol, transport = _channel()
    protocol.dataReceived(b"GET / HTTP/1.1\r\nHost: x\r\nCookie: a=" + b"x" * 200_000 + b"\r\n\r\n")
    assert _status(transport) == b"HTTP/1.1 431 Request Header Fields Too Large"
    assert b"Connection: close" in transport.value()
    assert transport.disconnecting or not transport.connected or transport.producer is None


def test_headers_over_the_total_size_or_count_are_answered_431():
    protocol, transport = _channel()
    many = b"".join(b"X-H%d: %s\r\n" % (i, b"y" * 100) for i in range(200))
    protocol.dataReceived(b"GET / HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    assert _status(transport) == b"HTTP/1.1 431 Request Header Fields Too Large"
    protocol, transport = _channel()
    many = b"".join(b"X-%d: 1\r\n" % i for i in range(600))
    protocol.dataReceived(b"GET / HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    assert _status(transport) == b"HTTP/1.1 431 Request Header Fields Too Large"


def test_a_query_with_5000_parameters_is_answered_414_not_dropped():
    protocol, transport = _channel()
    query = b"&".join(b"p%d=1" % i for i in range(5000))
    protocol.dataReceived(b"GET /ideas/?" + query + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert _status(transport) == b"HTTP/1.1 414 URI Too Long"
    protocol.dataReceived(b"more data the client still sends")
    assert transport.value().count(b"HTTP/1.1") == 1
