"""The outbound HTTP client every HTTP integration uses (integrations spec §2.5).

    response = curl.request("POST", url, json={"text": "hi"})

One call makes up to `tries` attempts, immediately one after another: it
retries network errors and responses `retry_if` rejects (by default every
non-success status), and returns the last response whatever its status.
Callers decide what a status means; `hc.integrations.http` turns it into a
TransportError.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json as jsonlib
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from io import BytesIO
from typing import Any, Final
from urllib.parse import urlencode

import pycurl
from django.conf import settings
from django.utils.datastructures import CaseInsensitiveMapping
from django.utils.encoding import iri_to_uri

METHODS: Final = frozenset({"GET", "POST", "PUT"})
SUCCESS: Final = frozenset({200, 201, 202, 204})
USER_AGENT: Final = "Mychecks"
MAX_REDIRECTS: Final = 3
# A larger answer is cut off: no integration needs more, and it keeps a
# hostile endpoint from filling the worker's memory.
MAX_RESPONSE_BYTES: Final = 10 * 1024 * 1024
PRIVATE_IP_MESSAGE: Final = "Connections to private IP addresses are not allowed"

_TLS_ERRORS: Final = frozenset(
    {
        pycurl.E_SSL_CONNECT_ERROR,
        pycurl.E_PEER_FAILED_VERIFICATION,
        pycurl.E_SSL_CERTPROBLEM,
        pycurl.E_SSL_CIPHER,
        pycurl.E_SSL_CACERT_BADFILE,
        pycurl.E_SSL_ISSUER_ERROR,
        pycurl.E_SSL_PINNEDPUBKEYNOTMATCH,
        pycurl.E_SSL_INVALIDCERTSTATUS,
    }
)
_MESSAGES: Final = {
    pycurl.E_OPERATION_TIMEDOUT: "Connection timed out",
    pycurl.E_COULDNT_RESOLVE_HOST: "Could not resolve host",
    pycurl.E_COULDNT_CONNECT: "Connection failed",
    pycurl.E_TOO_MANY_REDIRECTS: "Too many redirects",
}
# IPv6 prefix of NAT64 gateways (RFC 6052): the last 32 bits are the IPv4
# address the gateway connects to.
_NAT64: Final = ipaddress.IPv6Network("64:ff9b::/96")

Auth = tuple[str, str]


class CurlError(Exception):
    """The request got no HTTP response (network, TLS, policy)."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.message = message
        # Retrying cannot help when our own policy refused the connection.
        self.retryable = retryable


@dataclass(frozen=True)
class Response:
    status: int
    # The final response's headers (after redirects), looked up by any case.
    headers: CaseInsensitiveMapping[str] = field(repr=False)
    content: bytes = field(repr=False)

    @property
    def ok(self) -> bool:
        return self.status in SUCCESS

    @property
    def text(self) -> str:
        message = Message()
        message["Content-Type"] = self.headers.get("Content-Type", "text/plain")
        charset = message.get_content_charset() or "utf-8"
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON; ValueError when it is not JSON."""
        return jsonlib.loads(self.content)


def _not_ok(response: Response) -> bool:
    return not response.ok


def request(
    method: str,
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | str | bytes | None = None,
    json: Any = None,
    headers: Mapping[str, str] | None = None,
    auth: Auth | None = None,
    timeout: float | None = None,
    tries: int | None = None,
    retry_if: Callable[[Response], bool] = _not_ok,
) -> Response:
    """Send one request, retrying as §2.5 says; CurlError when no response came.

    `data` is a form (mapping) or a raw body (str or bytes, no Content-Type
    added); `json` is serialised and labelled application/json. Header
    values must be latin-1 encodable. `timeout` (seconds) limits each whole
    attempt, redirects included.
    """
    if method not in METHODS:
        raise ValueError(f"unsupported method {method!r}")
    if data is not None and json is not None:
        raise ValueError("pass data or json, not both")
    if timeout is None:
        timeout = settings.INTEGRATIONS_HTTP_TIMEOUT
    if tries is None:
        tries = settings.INTEGRATIONS_HTTP_TRIES

    header_lines = _header_lines(headers or {})
    body: bytes | None = None
    if isinstance(data, Mapping):
        body = urlencode(data, doseq=True).encode()
        header_lines.setdefault("content-type", b"Content-Type: application/x-www-form-urlencoded")
    elif data is not None:
        body = data.encode() if isinstance(data, str) else data
        # Stops libcurl from labelling a raw body as a form.
        header_lines.setdefault("content-type", b"Content-Type:")
    elif json is not None:
        body = jsonlib.dumps(json).encode()
        header_lines.setdefault("content-type", b"Content-Type: application/json")
    # libcurl would wait up to a second for "100 Continue" before a large body.
    header_lines.setdefault("expect", b"Expect:")
    header_lines.setdefault("user-agent", f"User-Agent: {USER_AGENT}".encode())

    attempt = _Attempt(
        method=method,
        url=_with_params(_ascii_url(url), params),
        header_lines=list(header_lines.values()),
        body=body,
        auth=auth,
        timeout_ms=max(1, round(timeout * 1000)),
    )
    for number in range(1, max(tries, 1) + 1):
        last = number >= tries
        try:
            response = attempt.perform()
        except CurlError as e:
            if last or not e.retryable:
                raise
            continue
        if last or not retry_if(response):
            return response
    raise AssertionError("unreachable")  # pragma: no cover


def is_public_ip(address: str) -> bool:
    """False for addresses an outbound call must not reach (§2.5's guard)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone
    if isinstance(ip, ipaddress.IPv6Address):
        # Addresses that carry an IPv4 address are judged by that address.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_ip(str(embedded))
    return ip.is_global and not (ip.is_multicast or ip.is_reserved)


def _header_lines(headers: Mapping[str, str]) -> dict[str, bytes]:
    """Caller headers as libcurl lines, keyed by lower-case name."""
    lines = {}
    for name, value in headers.items():
        # A line break would let a value smuggle in headers of its own.
        name = " ".join(name.split())
        value = " ".join(value.splitlines())
        # "Name;" is libcurl's way to send a header with an empty value.
        line = f"{name}: {value}" if value else f"{name};"
        lines[name.lower()] = line.encode("latin-1")
    return lines


def _ascii_url(url: str) -> str:
    """libcurl takes ASCII URLs: IDNA-encode the host, percent-encode the rest."""
    if url.isascii():
        return url
    scheme, sep, rest = url.partition("://")
    if not sep:
        return iri_to_uri(url)
    end = len(rest)
    for delimiter in "/?#":
        index = rest.find(delimiter)
        if index != -1:
            end = min(end, index)
    authority, tail = rest[:end], rest[end:]
    userinfo, at, hostport = authority.rpartition("@")
    if not hostport.isascii():  # an IP literal is ASCII, so this is a name
        host, colon, port = hostport.partition(":")
        # On failure libcurl gets the name as it is and reports it unresolvable.
        with contextlib.suppress(UnicodeError):
            hostport = host.encode("idna").decode() + colon + port
    return f"{scheme}://{iri_to_uri(userinfo)}{at}{hostport}{iri_to_uri(tail)}"


def _with_params(url: str, params: Mapping[str, Any] | None) -> str:
    if not params:
        return url
    base, hash_, fragment = url.partition("#")
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}{urlencode(params, doseq=True)}{hash_}{fragment}"


@dataclass
class _Attempt:
    method: str
    url: str
    header_lines: list[bytes]
    body: bytes | None
    auth: Auth | None
    timeout_ms: int

    def perform(self) -> Response:
        buffer = BytesIO()
        header_buffer: list[bytes] = []
        refused: list[str] = []

        def opensocket(purpose: int, address: Any) -> socket.socket | int:
            # address: (family, socktype, protocol, sockaddr); sockaddr[0] is the IP.
            family, socktype, protocol, sockaddr = address
            if not allow_private and not is_public_ip(sockaddr[0]):
                refused.append(sockaddr[0])
                return pycurl.SOCKET_BAD
            return socket.socket(family, socktype, protocol)

        def write(chunk: bytes) -> int | None:
            if buffer.tell() + len(chunk) > MAX_RESPONSE_BYTES:
                return 0  # libcurl aborts with E_WRITE_ERROR
            buffer.write(chunk)
            return None

        def header(line: bytes) -> None:
            # Each redirect hop (and "100 Continue") starts a new header block.
            if line.startswith(b"HTTP/"):
                header_buffer.clear()
            header_buffer.append(line)

        allow_private = bool(settings.INTEGRATIONS_ALLOW_PRIVATE_IPS)
        c = _handle(allow_private)
        try:
            c.setopt(pycurl.URL, self.url)
            c.setopt(pycurl.HTTPHEADER, self.header_lines)
            c.setopt(pycurl.PROTOCOLS, pycurl.PROTO_HTTP | pycurl.PROTO_HTTPS)
            c.setopt(pycurl.REDIR_PROTOCOLS, pycurl.PROTO_HTTP | pycurl.PROTO_HTTPS)
            c.setopt(pycurl.FOLLOWLOCATION, True)
            c.setopt(pycurl.MAXREDIRS, MAX_REDIRECTS)
            c.setopt(pycurl.TIMEOUT_MS, self.timeout_ms)
            c.setopt(pycurl.NOSIGNAL, True)  # we run in threads
            c.setopt(pycurl.OPENSOCKETFUNCTION, opensocket)
            c.setopt(pycurl.WRITEFUNCTION, write)
            c.setopt(pycurl.HEADERFUNCTION, header)
            if self.body is not None:
                c.setopt(pycurl.POSTFIELDS, self.body)
                c.setopt(pycurl.POSTFIELDSIZE_LARGE, len(self.body))
                if self.method != "POST":
                    c.setopt(pycurl.CUSTOMREQUEST, self.method)
            elif self.method != "GET":
                # A body-less POST or PUT: no Content-Length header.
                c.setopt(pycurl.CUSTOMREQUEST, self.method)
            if self.auth is not None:
                c.setopt(pycurl.HTTPAUTH, pycurl.HTTPAUTH_BASIC)
                c.setopt(pycurl.USERNAME, self.auth[0].encode())
                c.setopt(pycurl.PASSWORD, self.auth[1].encode())
            try:
                c.perform()
            except pycurl.error as e:
                code = int(e.args[0])
                if refused and code == pycurl.E_COULDNT_CONNECT:
                    raise CurlError(PRIVATE_IP_MESSAGE, retryable=False) from None
                raise CurlError(_message(code)) from None
            status = c.getinfo(pycurl.RESPONSE_CODE)
        finally:
            # Drop our callbacks; the handle and its open connections stay.
            c.reset()
        return Response(status, _parse_headers(header_buffer), buffer.getvalue())


_local = threading.local()


def _handle(allow_private: bool) -> pycurl.Curl:
    """This thread's handle, whose connections libcurl keeps open for reuse.

    Keep-alive saves a TCP (and TLS) handshake per alert to the same host.
    Handles are kept apart by the private-address policy: a connection
    opened while private addresses were allowed is never reused under the
    guard (the guard only sees new sockets).
    """
    handles: dict[bool, pycurl.Curl] | None = getattr(_local, "handles", None)
    if handles is None:
        handles = _local.handles = {}
    if allow_private not in handles:
        handles[allow_private] = pycurl.Curl()
    return handles[allow_private]


def _message(code: int) -> str:
    if code in _TLS_ERRORS:
        return "TLS handshake failed"
    if code == pycurl.E_WRITE_ERROR:
        return "Response too large"
    return _MESSAGES.get(code, f"HTTP request failed, code: {code}")


def _parse_headers(lines: list[bytes]) -> CaseInsensitiveMapping[str]:
    parsed: dict[str, str] = {}
    for raw in lines[1:]:  # the first line is the status line
        name, colon, value = raw.decode("latin-1").partition(":")
        if colon:
            parsed[name.strip()] = value.strip()
    return CaseInsensitiveMapping(parsed)
