"""The webhook integration's add and edit forms (integrations spec §3.2.2)."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hc.accounts.access import get_project
from hc.accounts.models import Project
from hc.api.channel_bodies import ChannelInputError
from hc.api.models import Channel, ChannelKind
from hc.api.services.channel_edits import do_add_channel
from hc.api.services.channels import do_update_channel
from hc.integrations import registry
from hc.integrations.webhook.forms import WebhookForm


def _enabled() -> None:
    if not registry.get(ChannelKind.WEBHOOK).enabled():
        raise Http404


def _form_page(
    request: HttpRequest, project: Project, form: WebhookForm, channel: Channel | None
) -> HttpResponse:
    ctx = {
        "project": project,
        "page": "channels",
        "heading": registry.get(ChannelKind.WEBHOOK).label,
        "form": form,
        "channel": channel,
    }
    status = 400 if form.is_bound else 200
    return render(request, "integrations/webhook/form.html", ctx, status=status)


def _save(request: HttpRequest, project: Project, channel: Channel | None) -> HttpResponse:
    """Save the POSTed form and go back to the list, or show it again with its errors."""
    form = WebhookForm(request.POST)
    if not form.is_valid():
        return _form_page(request, project, form, channel)
    name = form.cleaned_data["name"]
    try:
        if channel is None:
            do_add_channel(project, ChannelKind.WEBHOOK, name, form.fields_to_save())
        elif do_update_channel(channel, name, form.fields_to_save()) is None:
            raise Http404  # removed while the form was open
    except ChannelInputError as e:
        form.add_error(None, e.message)
        return _form_page(request, project, form, channel)
    return redirect("hc-channels", project.code)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def add_webhook(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    project = get_project(request, code, rw=True).project
    _enabled()
    if request.method == "POST":
        return _save(request, project, None)
    return _form_page(request, project, WebhookForm(), None)


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, channel: Channel) -> HttpResponse:
    """The edit form; the dashboard's edit route checked the user's write access."""
    _enabled()
    if request.method == "POST":
        return _save(request, channel.project, channel)
    form = WebhookForm.for_channel(channel.name, channel.config)
    return _form_page(request, channel.project, form, channel)
