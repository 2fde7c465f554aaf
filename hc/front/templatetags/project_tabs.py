"""The project navbar's warning on the Integrations tab (web spec §1.1)."""

from __future__ import annotations

from django import template
from django.db.models import Count, Q

from hc.accounts.models import Project
from hc.api.models import Channel

register = template.Library()


@register.simple_tag
def integrations_need_attention(project: Project) -> bool:
    """True when the project has no integrations, or one whose last delivery failed."""
    counts = Channel.objects.filter(project=project).aggregate(
        total=Count("id"), failing=Count("id", filter=~Q(last_error=""))
    )
    return bool(counts["total"] == 0 or counts["failing"] > 0)
