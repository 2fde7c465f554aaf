"""The webhook integration's add and edit forms (integrations spec §3.2.2)."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from hc.api.models import Channel, ChannelKind
from hc.integrations.form_views import FormPages
from hc.integrations.webhook.forms import WebhookForm

PAGES = FormPages(
    kind=ChannelKind.WEBHOOK,
    template="integrations/webhook/form.html",
    form=WebhookForm,
    filled=lambda channel: WebhookForm.for_channel(channel.name, channel.config),
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def add_webhook(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    return PAGES.add(request, code)


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, channel: Channel) -> HttpResponse:
    return PAGES.edit(request, channel)
