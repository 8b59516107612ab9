"""Outbound HTTP to agencies' trackers without becoming a way into our own network (SSRF).

An agency admin types a URL; the platform then POSTs to it from inside the data centre. Left
unchecked, ``http://169.254.169.254/`` (cloud metadata), ``http://127.0.0.1:6379/`` or an
internal admin service would be reachable by anyone who gets agency-admin rights. So:

* :func:`check_destination` resolves the host and refuses any address that is not globally
  routable (loopback, private, link-local, carrier-grade NAT, multicast, reserved, IPv4-mapped
  forms of those) unless it lies in ``BACKLOG["WEBHOOK_ALLOWED_NETWORKS"]`` — an explicit list
  of CIDRs for trackers that really live on a government intranet.
* :func:`post` connects to the address that was checked (the connection is pinned to it, so a
  DNS answer that changes between check and connect — "DNS rebinding" — cannot redirect the
  request), sends the Host header and TLS server name of the original host, and never follows
  redirects.

Both run at configuration time (clear form error) and again at every delivery.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ideas.backlog.conf import setting

DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(cidr, strict=False) for cidr in setting("WEBHOOK_ALLOWED_NETWORKS")
    ]


def address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in network for network in _allowed_networks()):
        return True
    return ip.is_global and not ip.is_multicast


def check_destination(url: str) -> Destination:
    """Resolve ``url`` and return where to connect; ValidationError if it is not allowed."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValidationError(_("Enter the full http(s) address of your tracker."))
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise ValidationError(_("The port in this address is not a number we can use.")) from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ValidationError(
            _("We could not find the server %(host)s. Check the address and try again.")
            % {"host": parts.hostname}
        ) from None
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(address_allowed(address) for address in addresses):
        raise ValidationError(
            _(
                "This address points inside a private network, which the platform may not "
                "call. Use your tracker's public address, or ask the platform team to allow "
                "your network."
            )
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Destination(parts.scheme, parts.hostname, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, destination: Destination, timeout: float):
        super().__init__(destination.host, destination.port, timeout=timeout)
        self._address = destination.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, destination: Destination, timeout: float):
        super().__init__(
            destination.host,
            destination.port,
            timeout=timeout,
            context=ssl.create_default_context(),
        )
        self._address = destination.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``body`` to ``url`` (checked and pinned); returns the HTTP status code.

    Raises ValidationError for a refused destination and OSError for network failures.
    """
    destination = check_destination(url)
    connection_class = (
        _PinnedHTTPSConnection if destination.scheme == "https" else _PinnedHTTPConnection
    )
    connection = connection_class(destination, timeout)
    try:
        connection.request("POST", destination.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)
        return response.status
    finally:
        connection.close()
