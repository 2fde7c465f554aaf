"""The integrations page and its actions (web spec §9).

Kind-specific parts (descriptions, add and edit forms, details) come from
the integrations registry, so this module knows no kind by name.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hc.accounts.access import get_channel, get_project
from hc.accounts.activity import remember_project
from hc.accounts.models import Project
from hc.api.models import Channel, ChannelKind, Check
from hc.api.services.alerts import do_send_test
from hc.api.services.channel_edits import (
    ForeignChecks,
    do_rename_channel,
    do_set_channel_checks,
)
from hc.api.services.channels import do_delete_channel
from hc.front.integration_forms import AssignmentError, ChannelNameForm, parse_assignment
from hc.front.kind_icons import icon_class
from hc.integrations import registry
from hc.integrations.registry import Integration


def kind_label(kind: str) -> str:
    try:
        return str(ChannelKind(kind).label)
    except ValueError:
        return kind


@dataclass(frozen=True)
class Row:
    """One integration as the list shows it."""

    channel: Channel
    label: str  # the kind's display name
    icon: str
    description: str  # HTML-safe

    @property
    def plain_description(self) -> str:
        """The description as plain text, for the name field's placeholder."""
        return html.unescape(strip_tags(self.description))

    n_checks: int
    status: str  # "disabled", "unconfirmed" or "ready"
    editable: bool
    details: str  # HTML-safe, for the details dialog


def _status(channel: Channel) -> str:
    if channel.disabled:
        return "disabled"
    if channel.kind == ChannelKind.EMAIL and not channel.email_verified:
        return "unconfirmed"
    return "ready"


def _row(channel: Channel, integration: Integration | None, n_checks: int) -> Row:
    label = integration.label if integration else kind_label(channel.kind)
    details = ""
    if integration is not None and integration.details is not None:
        details = integration.details(channel)
    return Row(
        channel=channel,
        label=label,
        icon=icon_class(channel.kind),
        description=integration.description(channel) if integration else escape(label),
        n_checks=n_checks,
        status=_status(channel),
        editable=integration is not None and integration.editable and integration.enabled(),
        details=details,
    )


def _rows(project: Project) -> list[Row]:
    channels = (
        Channel.objects.filter(project=project)
        .annotate(
            n_checks=Count("checks"),
            # Groups first: they name the other integrations.
            group_first=Case(
                When(kind=ChannelKind.GROUP, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("group_first", "created", "id")
    )
    return [_row(channel, registry.find(channel.kind), channel.n_checks) for channel in channels]


@dataclass(frozen=True)
class AddItem:
    kind: str
    label: str
    icon: str
    blurb: str
    url: str


def _addable(project: Project) -> list[AddItem]:
    return [
        AddItem(
            kind=i.kind,
            label=i.label,
            icon=icon_class(i.kind),
            blurb=i.blurb,
            url=reverse(i.add_url_name, args=[project.code]),
        )
        for i in registry.addable()
        if i.add_url_name is not None
    ]


def _to_list(project: Project) -> HttpResponse:
    return redirect("hc-channels", project.code)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def channels(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """The list; a POST saves the assign-checks dialog (write access)."""
    if request.method == "POST":
        return _assign(request, code)
    access = get_project(request, code)
    project = access.project
    remember_project(request, project)
    ctx = {
        "project": project,
        "page": "channels",
        "rw": access.rw,
        "rows": _rows(project),
        "n_checks": Check.objects.filter(project=project).count(),
        "addable": _addable(project) if access.rw else [],
    }
    return render(request, "front/integrations.html", ctx)


def _assign(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    project = get_project(request, code, rw=True).project
    try:
        assignment = parse_assignment(request.POST)
    except AssignmentError as e:
        return HttpResponseBadRequest(str(e))
    channel = Channel.objects.filter(project=project, code=assignment.channel).first()
    if channel is None:
        return HttpResponseBadRequest("No such integration in this project.")
    ids = dict(
        Check.objects.filter(project=project, code__in=assignment.checks).values_list("code", "id")
    )
    if len(ids) != len(assignment.checks):
        return HttpResponseBadRequest("Some of the checks are not in this project.")
    try:
        do_set_channel_checks(channel, ids.values())
    except ForeignChecks:
        return HttpResponseBadRequest("Some of the checks are not in this project.")
    return _to_list(project)


@login_required
@require_safe
def channel_checks(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """The assign-checks dialog's content."""
    channel, _ = get_channel(request, code, rw=True)
    checks = list(Check.objects.filter(project_id=channel.project_id).order_by("created", "id"))
    assigned = set(channel.checks.values_list("id", flat=True))
    ctx = {
        "project": channel.project,
        "channel": channel,
        "rows": [(check, check.id in assigned) for check in checks],
        "n_assigned": len(assigned),
    }
    return render(request, "front/integrations_checks.html", ctx)


@login_required
@require_POST
def channel_name(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    channel, _ = get_channel(request, code, rw=True)
    form = ChannelNameForm(request.POST)
    if not form.is_valid():
        problems = " ".join(str(e) for e in form.errors.get("name", []))
        return HttpResponseBadRequest(f"Invalid name. {problems}")
    do_rename_channel(channel, form.cleaned_data["name"])
    return _to_list(channel.project)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_channel(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """The kind's own edit form; kinds that cannot be edited answer 400."""
    channel, _ = get_channel(request, code, rw=True)
    integration = registry.find(channel.kind)
    if integration is None or not integration.editable:
        return HttpResponseBadRequest(
            "Integrations of this kind cannot be edited: remove it and add a new one."
        )
    return integration.edit(request, channel)


@login_required
@require_POST
def channel_test(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Send a test notification now; read-only members may too."""
    channel, _ = get_channel(request, code)
    error = do_send_test(channel)
    if error:
        messages.warning(request, f"Could not send a test notification. {error.rstrip('.')}.")
    else:
        messages.success(request, "Test notification sent!")
    return _to_list(channel.project)


@login_required
@require_POST
def remove_channel(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    channel, _ = get_channel(request, code, rw=True)
    do_delete_channel(channel)
    label = kind_label(channel.kind)
    messages.success(request, f"The {label} integration has been removed.")
    return _to_list(channel.project)
