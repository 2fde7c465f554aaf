"""How many of a check's most recent pings are kept and shown (monitoring §8.1)."""

from __future__ import annotations

from typing import Final

from hc.accounts.models import Profile, Project

# Used when the owner has no profile (it should not happen, but costs nothing).
DEFAULT_PING_LOG_LIMIT: Final = 100


def ping_log_limit(project: Project) -> int:
    """The project owner's ping log limit: pings older than that are hidden and pruned."""
    limit = (
        Profile.objects.filter(user_id=project.owner_id)
        .values_list("ping_log_limit", flat=True)
        .first()
    )
    return DEFAULT_PING_LOG_LIMIT if limit is None else limit
