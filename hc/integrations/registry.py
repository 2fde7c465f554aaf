"""The one list of integration kinds this server can deliver to.

Each kind is a package under hc/integrations/<kind>/ whose `integration`
module defines INTEGRATION. Adding a kind means adding its package and one
line here. Packages are imported on first use.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
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
    # new), and whether it was disabled before.
    on_saved: Callable[[Channel, dict[str, Any] | None, bool], None] | None = None


@functools.cache
def get(kind: str) -> Integration:
    """The integration for `kind`; UnknownKind when this server has none."""
    try:
        package = PACKAGES[kind]
    except KeyError:
        raise UnknownKind(kind) from None
    integration: Integration = import_module(f"{package}.integration").INTEGRATION
    return integration
