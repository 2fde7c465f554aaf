"""`manage.py smtpd`: an SMTP listener that turns inbound email into pings.

Recipients are checked while the client is still talking (RCPT TO), so a
mistyped address bounces at the sender. Accepted messages are recorded once
per recipient by one database thread, so the event loop never blocks on the
database and only one connection is open, however many clients send at once.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import signal
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections, connections

from hc.api.services.email_pings import (
    EmailPingOutcome,
    do_record_email_ping,
    parse_mailbox,
)

logger = logging.getLogger(__name__)

OK = "250 OK"
RECIPIENT_REJECTED = "550 5.1.1 Recipient rejected"
INVALID_MAILBOX = "550 5.1.1 Invalid mailbox"
# Only for database trouble: the sending server keeps the message and retries,
# instead of the ping being lost behind a "250 OK".
TRY_LATER = "451 4.3.0 Temporary failure, please try again later"

# How long a stopping listener waits for messages it is still recording.
SHUTDOWN_GRACE = 30.0


def recipient_reply(address: str) -> str:
    """The reply to RCPT TO: is this an address of a check, in our domain?"""
    mailbox, _, domain = address.partition("@")
    # Domains are case-insensitive (RFC 5321 §2.4); upstream compares exactly.
    if domain.lower() != settings.PING_EMAIL_DOMAIN.lower():
        return RECIPIENT_REJECTED
    if parse_mailbox(mailbox) is None:
        return INVALID_MAILBOX
    return OK


def peer_ip(session: Session) -> str | None:
    # aiosmtpd annotates peer as a string, but it holds the socket's peername.
    peer: Any = session.peer
    host = peer[0] if isinstance(peer, tuple | list) and peer else peer
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


def record_message(recipients: list[str], data: bytes, mail_from: str, ip: str | None) -> bool:
    """Ping every recipient's check; False if the database failed us (runs in a thread)."""
    close_old_connections()  # a long-lived process outlives server-side timeouts
    ok = True
    try:
        for address in recipients:
            try:
                outcome = do_record_email_ping(address.partition("@")[0], data, mail_from, ip)
            except DatabaseError:
                logger.exception("Database error while recording ping for %s", address)
                ok = False
                close_old_connections()  # drop a connection that broke
                continue
            except Exception:
                # A message no code path expected must not take the listener down.
                logger.exception("Failed to process ping for %s", address)
                continue
            if outcome == EmailPingOutcome.PROCESSED:
                logger.info("Processed ping for %s", address)
            else:
                logger.info("%s: %s", outcome, address)
    finally:
        close_old_connections()
    return ok


class PingHandler:
    """aiosmtpd's handler: accepts check addresses and records their messages."""

    def __init__(self, executor: ThreadPoolExecutor) -> None:
        self.executor = executor
        self.busy = 0
        self.idle = asyncio.Event()
        self.idle.set()

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        reply = recipient_reply(address)
        if reply == OK:
            envelope.rcpt_tos.append(address)
        return reply

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.content
        assert isinstance(data, bytes)  # the server runs with decode_data=False
        self.busy += 1
        self.idle.clear()
        try:
            job = asyncio.get_running_loop().run_in_executor(
                self.executor,
                record_message,
                list(envelope.rcpt_tos),
                data,
                envelope.mail_from or "",
                peer_ip(session),
            )
            # Shielded: a client hanging up must not stop the bookkeeping.
            ok = await asyncio.shield(job)
        finally:
            self.busy -= 1
            if not self.busy:
                self.idle.set()
        return OK if ok else TRY_LATER


async def serve(
    host: str,
    port: int,
    stop: asyncio.Event,
    on_listening: Callable[[], None] | None = None,
) -> None:
    """Accept mail on host:port until `stop` is set, then finish what is in progress."""
    loop = asyncio.get_running_loop()
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smtpd-db")
    handler = PingHandler(executor)
    # Looked up once: aiosmtpd would otherwise resolve it for every connection.
    hostname = socket.getfqdn()
    try:
        server = await loop.create_server(
            lambda: SMTP(handler, hostname=hostname, enable_SMTPUTF8=True, loop=loop),
            host=host,
            port=port,
        )
    except OSError as e:
        executor.shutdown()
        raise CommandError(f"Cannot listen on {host}:{port}: {e}") from e
    try:
        if on_listening is not None:
            on_listening()
        await stop.wait()
    finally:
        server.close()
        # Let messages being recorded get their reply, so senders do not retry them.
        try:
            await asyncio.wait_for(handler.idle.wait(), SHUTDOWN_GRACE)
        except TimeoutError:
            logger.warning("Stopping with %d message(s) still being recorded", handler.busy)
        await loop.run_in_executor(executor, connections.close_all)
        executor.shutdown(wait=True)


class Command(BaseCommand):
    help = "Receive pings by email: listen for SMTP connections and ping the addressed checks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="0.0.0.0", help="address to listen on")  # noqa: S104
        parser.add_argument("--port", type=int, default=25, help="port to listen on")

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        asyncio.run(self._run(host, port))
        self.stdout.write("SMTP listener stopped.")

    async def _run(self, host: str, port: int) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await serve(host, port, stop, on_listening=lambda: self._announce(host, port))

    def _announce(self, host: str, port: int) -> None:
        # Printed once the socket is bound, so the line also means "ready".
        self.stdout.write(f"Starting SMTP listener on {host}:{port} ...")
        self.stdout.flush()
