"""State changes of email channels: verification and unsubscribing."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

from hc.api.models import Channel, ChannelKind
from hc.integrations.email.config import email_settings
from hc.integrations.email.message import message_id
from hc.integrations.email.tokens import verify_url
from hc.lib import emails

logger = logging.getLogger(__name__)


def email_saved(
    channel: Channel, old_config: dict[str, Any] | None, was_disabled: bool, actor_email: str
) -> None:
    """Decide whether a saved email channel must (re-)verify its address.

    Toggling "down"/"up" alone keeps the verification state; a new channel,
    a re-enabled one or a changed address is verified again, unless it is
    the saving user's own account address: they have nothing to prove.
    """
    address = email_settings(channel.config).address
    unchanged = old_config is not None and email_settings(old_config).address == address
    if unchanged and not was_disabled:
        return
    own = bool(actor_email) and address.casefold() == actor_email.casefold()
    verified = own or not settings.EMAIL_USE_VERIFICATION
    with transaction.atomic():
        Channel.objects.filter(id=channel.id).update(email_verified=verified)
        channel.email_verified = verified
        if not verified:
            message = verification_message(channel, address)
            transaction.on_commit(lambda: _send_in_background(message))


def verification_message(channel: Channel, address: str) -> EmailMultiAlternatives:
    context = {"site_name": settings.SITE_NAME, "verify_url": verify_url(channel)}
    text = render_to_string("integrations/email/verify_email.txt", context)
    html = render_to_string("integrations/email/verify_email.html", context)
    message = EmailMultiAlternatives(
        subject=f"Verify email address on {settings.SITE_NAME}",
        body=text.strip().replace("\xa0", " ") + "\n",
        to=[address],
        headers={"Message-ID": message_id()},
    )
    message.attach_alternative(html, "text/html")
    return message


def send_quietly(message: EmailMultiAlternatives) -> None:
    try:
        emails.send(message)
    except emails.EmailError as e:
        logger.warning("Could not send a verification email: %s", e)


def _send_in_background(message: EmailMultiAlternatives) -> None:
    # Saving the form must not wait for a slow SMTP server.
    threading.Thread(target=send_quietly, args=(message,), daemon=True).start()


def do_verify_email(channel: Channel) -> None:
    Channel.objects.filter(id=channel.id, kind=ChannelKind.EMAIL).update(email_verified=True)
    channel.email_verified = True


def do_unsubscribe_email(channel: Channel) -> None:
    Channel.objects.filter(id=channel.id, kind=ChannelKind.EMAIL).update(disabled=True)
    channel.disabled = True
