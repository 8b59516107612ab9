"""daphne's HTTP parsing, made to answer oversized requests instead of dropping them.

daphne parses HTTP with twisted's ``HTTPChannel``. Two of its limits ended a connection with
no answer at all, so a browser or proxy saw only a reset:

* any line over ``MAX_LENGTH`` (16 KB): a long cookie (a 200 KB one), or a request line
  with thousands of query parameters. ``LineReceiver.lineLengthExceeded`` just closes.
* ``totalHeadersSize`` (16 KB for the request line and all headers) and ``maxHeaders``
  (500): a bare ``400 Bad Request`` written and the socket closed while the client was
  still sending, so the client usually got a reset instead of the 400.

:class:`LimitedHTTPChannel` answers these as HTTP says: **431 Request Header Fields Too
Large** for headers, **414 URI Too Long** for a request line (the query string) over the
limit, each with a short plain-text body and ``Connection: close``. It then stops reading,
half-closes, and drops the connection a few seconds later, so the client reads the answer.
The limits themselves are twisted's. Requests within them reach Django, whose
``DATA_UPLOAD_MAX_NUMBER_FIELDS`` answers too many query or form parameters with 400.

:func:`install` puts the channel behind daphne's ``HTTPFactory``; ``config.asgi`` calls it,
so every way of starting daphne on ``config.asgi:application`` (``make run``, the cluster,
compose, the Dockerfile) uses it.
"""

from __future__ import annotations

from twisted.web import http

# How long a refused client may keep sending before the connection is dropped.
DRAIN_SECONDS = 5

REASONS = {414: b"URI Too Long", 431: b"Request Header Fields Too Large"}
BODIES = {
    414: b"The address is too long (too many or too large query parameters).\n",
    431: b"The request headers are too large (a cookie or header is over the limit). "
    b"Clearing this site's cookies may help.\n",
}


class LimitedHTTPChannel(http.HTTPChannel):
    _refused = False
    _drop_call = None

    @property
    def _on_request_line(self) -> bool:
        return bool(self._HTTPChannel__first_line)  # twisted's own "next line is a request"

    def refuse(self, status: int) -> None:
        """Answer ``status`` with a plain-text body, stop reading, close once sent."""
        if self._refused:
            return
        self._refused = True
        body = BODIES[status]
        self.transport.write(
            b"HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
            % (status, REASONS[status], len(body), body)
        )
        self.setTimeout(None)
        lose_write = getattr(self.transport, "loseWriteConnection", None)
        if lose_write is not None:
            lose_write()  # the answer goes out; what the client still sends is discarded
            self._drop_call = self.callLater(DRAIN_SECONDS, self.transport.abortConnection)
        else:
            self.transport.loseConnection()

    def dataReceived(self, data: bytes) -> None:
        if self._refused:
            return
        super().dataReceived(data)

    def lineLengthExceeded(self, line: bytes) -> None:
        self.refuse(414 if self._on_request_line else 431)

    def lineReceived(self, line: bytes) -> None:
        if self._receivedHeaderSize + len(line) > self.totalHeadersSize:
            self.refuse(414 if self._on_request_line else 431)
            return
        super().lineReceived(line)

    def headerReceived(self, line: bytes) -> bool:
        if self._receivedHeaderCount >= self.maxHeaders:
            self.refuse(431)
            return False
        return super().headerReceived(line)

    def connectionLost(self, reason) -> None:
        if self._drop_call is not None and self._drop_call.active():
            self._drop_call.cancel()
        super().connectionLost(reason)


def _build_protocol(factory):
    return http._GenericHTTPChannelProtocol(LimitedHTTPChannel())


def install() -> None:
    """Make daphne's HTTP factory build :class:`LimitedHTTPChannel` connections."""
    from daphne.http_protocol import HTTPFactory

    HTTPFactory.protocol = _build_protocol
