"""The one list of integration kinds this server can deliver to.

Each kind is a package under hc/integrations/<kind>/ whose `integration`
module defines INTEGRATION. Adding a kind means adding its package and one
line here. Packages are imported on first use.

The dashboard finds everything it shows about a kind here too: the blurb
and add form of the "Add More" list, the one-line description of a channel,
and the view that edits one. Views are named by dotted path and imported
only when used, so loading an integration never loads the web layer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.utils.html import escape
from django.utils.module_loading import import_string
from pydantic import BaseModel

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from hc.api.models import Channel
    from hc.integrations.transport import Transport

PACKAGES: dict[str, str] = {
    "email": "hc.integrations.email",
    "webhook": "hc.integrations.webhook",
}

# Kinds whose setup needs a browser hop to the provider (OAuth, an app
# install, a subscription page, a bot conversation): they cannot be
# created through the Management API.
INTERACTIVE_KINDS = frozenset(
    {"discord", "github", "pd", "po", "pushbullet", "slack", "telegram", "trello"}
)


class UnknownKind(LookupError):
    pass


class NotEditable(LookupError):
    pass


@dataclass(frozen=True)
class Integration:
    kind: str
    label: str
    transport: type[Transport]
    # Validates the kind's own fields (API) and gives the stored config.
    config: type[BaseModel]
    enabled: Callable[[], bool] = field(default=lambda: True)
    # Called after a channel is created or its config changed through the
    # API or a form, e.g. to send an email verification message.
    # Arguments: the saved channel, its config before the change (None when
    # new), whether it was disabled before, and the email address of the
    # user who saved it ("" through the API).
    on_saved: Callable[[Channel, dict[str, Any] | None, bool, str], None] | None = None
    # The web UI (integrations page, web spec §9) ---------------------------
    # One line for the "Add More" list.
    blurb: str = ""
    # URL name of the add form; it takes the project's code. None: the kind
    # cannot be added from the web UI, so it is not listed.
    add_url_name: str | None = None
    # Dotted path of a view `(request, channel) -> response` that shows and
    # saves the edit form; the caller has checked write access. None: the
    # kind is not editable (delete and re-create it instead).
    edit_view: str | None = None
    # The "Name, Details" line of a channel, as HTML-safe text (build it with
    # format_html). None: the kind's label.
    describe: Callable[[Channel], str] | None = None
    # Extra HTML-safe content for the channel's "Integration Details" dialog
    # (the webhook's requests, say); shown to users with write access only.
    details: Callable[[Channel], str] | None = None

    @property
    def editable(self) -> bool:
        return self.edit_view is not None

    def description(self, channel: Channel) -> str:
        """The channel's one-line description, HTML-safe."""
        if self.describe is None:
            return escape(self.label)
        return self.describe(channel)

    def edit(self, request: HttpRequest, channel: Channel) -> HttpResponse:
        if self.edit_view is None:
            raise NotEditable(self.kind)
        view: Callable[[HttpRequest, Channel], HttpResponse] = import_string(self.edit_view)
        return view(request, channel)


@functools.cache
def get(kind: str) -> Integration:
    """The integration for `kind`; UnknownKind when this server has none."""
    try:
        package = PACKAGES[kind]
    except KeyError:
        raise UnknownKind(kind) from None
    integration: Integration = import_module(f"{package}.integration").INTEGRATION
    return integration


def find(kind: str) -> Integration | None:
    """The integration for `kind`, or None when this server has no package for it."""
    try:
        return get(kind)
    except UnknownKind:
        return None


def addable() -> list[Integration]:
    """Kinds the web UI may offer to add right now: packaged, enabled, with a form."""
    found = (get(kind) for kind in PACKAGES)
    return [i for i in found if i.add_url_name is not None and i.enabled()]
