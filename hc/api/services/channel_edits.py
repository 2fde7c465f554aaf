"""State changes of integrations made on the dashboard (web spec §9).

Adding through a web form links the new channel to every check of its
project (§9.3), unlike the Management API, which links none. Renaming
touches the name only: it neither re-validates the config nor clears
`disabled`, as saving the edit form does.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import transaction

from hc.accounts.models import Project
from hc.api.models import Channel, Check
from hc.api.services.channels import do_create_channel


class ForeignChecks(ValueError):
    """Some checks to assign belong to another project."""


def link_all_checks(channel: Channel) -> None:
    """Link to every check of the channel's project; call inside a transaction."""
    checks = Check.objects.filter(project_id=channel.project_id)
    channel.checks.add(*checks.values_list("id", flat=True))


def do_add_channel(
    project: Project, kind: str, name: str, fields: dict[str, Any], *, actor_email: str = ""
) -> Channel:
    """Create a channel and assign it to all existing checks of the project.

    Raises ChannelInputError (hc.api.channel_bodies) like do_create_channel.
    """
    with transaction.atomic():
        channel = do_create_channel(project, kind, name, fields, actor_email=actor_email)
        link_all_checks(channel)
    return channel


def do_rename_channel(channel: Channel, name: str) -> bool:
    """False when the channel no longer exists."""
    with transaction.atomic():
        updated = Channel.objects.filter(id=channel.id).update(name=name)
    channel.name = name
    return updated > 0


def do_set_channel_checks(channel: Channel, check_ids: Collection[int]) -> None:
    """Replace the set of checks that alert through the channel.

    Raises ForeignChecks, before anything changes, when an id is not one of
    the channel's project's checks.
    """
    wanted = set(check_ids)
    with transaction.atomic():
        own = set(
            Check.objects.filter(project_id=channel.project_id, id__in=wanted).values_list(
                "id", flat=True
            )
        )
        if own != wanted:
            raise ForeignChecks
        # A lock on the channel serialises two saves of the same modal.
        Channel.objects.select_for_update().filter(id=channel.id).first()
        linked = set(channel.checks.values_list("id", flat=True))
        channel.checks.remove(*(linked - wanted))
        channel.checks.add(*(wanted - linked))
