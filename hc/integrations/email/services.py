"""Saving the email form (web spec §9.3, integrations spec §3.1).

The address is verified again when the channel is new, was disabled, or
its address changed. A user entering their own account address has nothing
to prove, so that channel is verified at once and no verification message
goes out; every other case goes through the generic channel services, whose
on_saved hook (actions.email_saved) decides about verification.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hc.accounts.models import Project
from hc.api.channel_bodies import validate_config
from hc.api.models import Channel, ChannelKind
from hc.api.services.channel_edits import do_add_channel, link_all_checks
from hc.api.services.channels import do_update_channel
from hc.integrations import registry
from hc.integrations.email.config import email_settings


def _reverifies(channel: Channel | None, address: str) -> bool:
    if channel is None or channel.disabled:
        return True
    return email_settings(channel.config).address.casefold() != address.casefold()


def do_save_email_channel(
    project: Project, channel: Channel | None, fields: dict[str, Any], *, own_address: str
) -> Channel | None:
    """Create (channel None) or update an email channel from validated form fields.

    `own_address` is the acting user's account email. Returns None when the
    channel was deleted meanwhile. Raises ChannelInputError like the
    generic services.
    """
    address = str(fields["value"])
    trusted = bool(own_address) and address.casefold() == own_address.casefold()
    if not (trusted and _reverifies(channel, address)):
        if channel is None:
            return do_add_channel(project, ChannelKind.EMAIL, "", fields)
        return do_update_channel(channel, None, fields)

    config = validate_config(registry.get(ChannelKind.EMAIL), fields)
    with transaction.atomic():
        if channel is None:
            created = Channel.objects.create(
                project=project, kind=ChannelKind.EMAIL, config=config, email_verified=True
            )
            link_all_checks(created)
            return created
        locked = Channel.objects.select_for_update().filter(id=channel.id).first()
        if locked is None:
            return None
        locked.config = config
        locked.disabled = False
        locked.email_verified = True
        locked.save(update_fields=["config", "disabled", "email_verified"])
        return locked
