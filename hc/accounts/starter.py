"""The starter set a new account gets (web spec §3.1).

For sign-up, external authentication and createsuperuser; invited users join
someone else's project instead.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from hc.accounts.models import Project
from hc.api.models import Channel, ChannelKind
from hc.api.services.checks import do_create_check


@transaction.atomic
def do_create_starter_set(user: User) -> Project:
    """An unnamed project with "My First Check" and an email integration to the user."""
    project = Project.objects.create(owner=user, name="", badge_key=user.username)
    Channel.objects.create(
        project=project,
        kind=ChannelKind.EMAIL,
        config={"value": user.email, "up": True, "down": True},
        email_verified=True,
    )
    do_create_check(project, name="My First Check")
    return project
