"""State changes of integrations made through the Management API: create, update, delete.

Saving through the API re-validates the kind's whole config and clears
`disabled`, as saving the edit form does (integrations spec §2.8), then
calls the integration's on_saved hook inside the same transaction (an email
channel schedules its verification message for after the commit).

Channels created here are linked to no check: a check's `channels` field
links them, just as checks created through the API get no channels.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hc.accounts.models import Project
from hc.api.channel_bodies import (
    ChannelInputError,
    api_refusal,
    stored_fields,
    validate_config,
)
from hc.api.models import Channel
from hc.integrations import registry


def do_create_channel(
    project: Project, kind: str, name: str, fields: dict[str, Any], *, actor_email: str = ""
) -> Channel:
    """Raises ChannelInputError when the kind or a field is not acceptable.

    `actor_email` is the account address of the user saving it, "" for API
    keys: an email channel sent to it needs no verification.
    """
    refusal = api_refusal(kind, creating=True)
    if refusal:
        raise ChannelInputError(refusal)
    integration = registry.get(kind)
    config = validate_config(integration, fields)
    with transaction.atomic():
        channel = Channel.objects.create(project=project, kind=kind, name=name, config=config)
        if integration.on_saved is not None:
            integration.on_saved(channel, None, False, actor_email)
    return channel


def do_update_channel(
    channel: Channel, name: str | None, fields: dict[str, Any], *, actor_email: str = ""
) -> Channel | None:
    """Rename and/or reconfigure; None if the channel no longer exists.

    `fields` are merged over the stored config. Channels of kinds the API
    cannot set up may only be renamed. Raises ChannelInputError, before
    anything is written.
    """
    with transaction.atomic():
        locked = Channel.objects.select_for_update().filter(id=channel.id).first()
        if locked is None:
            return None
        refusal = api_refusal(locked.kind, creating=False)
        if refusal:
            if fields:
                raise ChannelInputError(refusal)
            if name is not None:
                locked.name = name
                locked.save(update_fields=["name"])
            return locked

        integration = registry.get(locked.kind)
        previous = stored_fields(locked)
        was_disabled = locked.disabled
        locked.config = validate_config(integration, fields, previous)
        if name is not None:
            locked.name = name
        locked.disabled = False
        locked.save(update_fields=["name", "config", "disabled"])
        if integration.on_saved is not None:
            integration.on_saved(locked, previous, was_disabled, actor_email)
        return locked


def do_delete_channel(channel: Channel) -> bool:
    """Delete with its notifications, delivery attempts and check links.

    Returns False if it no longer exists.
    """
    with transaction.atomic():
        deleted, _ = Channel.objects.filter(id=channel.id).delete()
    return deleted > 0
