"""The add and edit pages every integration kind shares (web spec §9.3).

A kind's views.py describes its form once, as `FormPages`, and routes its
add and edit views to it. The page shows the form, saves a valid one through
the channel services (a new channel goes to every check of the project), and
shows it again with its errors, answering 400, when it is not.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hc.accounts.access import get_project
from hc.accounts.models import Project
from hc.api.channel_bodies import ChannelInputError
from hc.api.models import Channel
from hc.api.services.channel_edits import do_add_channel
from hc.api.services.channels import do_update_channel
from hc.integrations import registry


class ChannelForm(Protocol):
    """What a kind's Django form offers besides the usual form methods."""

    cleaned_data: dict[str, Any]
    is_bound: bool

    def is_valid(self) -> bool: ...

    def add_error(self, field: str | None, error: str) -> None: ...

    def fields_to_save(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class FormPages:
    kind: str
    template: str
    # A form from POST data (or empty, with None).
    form: Callable[[Any], ChannelForm]
    # The edit form, filled from a saved channel.
    filled: Callable[[Channel], ChannelForm]
    # More template context, computed per request.
    context: Callable[[], dict[str, Any]] = field(default=dict)
    # Called after a successful save, e.g. to flash what happens next.
    after_save: Callable[[HttpRequest, Channel], None] | None = None

    def add(self, request: HttpRequest, code: uuid.UUID) -> HttpResponse:
        project = get_project(request, code, rw=True).project
        self._require_enabled()
        if request.method == "POST":
            return self._save(request, project, None)
        return self._page(request, project, self.form(None), None)

    def edit(self, request: HttpRequest, channel: Channel) -> HttpResponse:
        """The dashboard's edit route has checked the user's write access."""
        self._require_enabled()
        if request.method == "POST":
            return self._save(request, channel.project, channel)
        return self._page(request, channel.project, self.filled(channel), channel)

    def _require_enabled(self) -> None:
        if not registry.get(self.kind).enabled():
            raise Http404

    def _page(
        self, request: HttpRequest, project: Project, form: ChannelForm, channel: Channel | None
    ) -> HttpResponse:
        ctx = {
            "project": project,
            "page": "channels",
            "heading": registry.get(self.kind).label,
            "form": form,
            "channel": channel,
            **self.context(),
        }
        status = 400 if form.is_bound else 200
        return render(request, self.template, ctx, status=status)

    def _save(
        self, request: HttpRequest, project: Project, channel: Channel | None
    ) -> HttpResponse:
        form = self.form(request.POST)
        if not form.is_valid():
            return self._page(request, project, form, channel)
        user = request.user
        assert isinstance(user, User)  # behind login_required
        # Forms without a name field leave the name alone.
        name: str | None = form.cleaned_data.get("name")
        fields = form.fields_to_save()
        try:
            if channel is None:
                saved: Channel | None = do_add_channel(
                    project, self.kind, name or "", fields, actor_email=user.email
                )
            else:
                saved = do_update_channel(channel, name, fields, actor_email=user.email)
        except ChannelInputError as e:
            form.add_error(None, e.message)
            return self._page(request, project, form, channel)
        if saved is None:
            raise Http404  # removed while the form was open
        if self.after_save is not None:
            self.after_save(request, saved)
        return redirect("hc-channels", project.code)
