"""State changes of checks other than pings (create; pause, resume... later)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from hc.accounts.models import Project
from hc.api.models import Channel, Check


@transaction.atomic
def do_create_check(project: Project, *, name: str, **fields: Any) -> Check:
    """A new check with every integration of its project assigned (web UI rule)."""
    fields.setdefault("slug", slugify(name))
    check = Check.objects.create(project=project, name=name, **fields)
    check.channel_set.set(Channel.objects.filter(project=project))
    return check
