"""Webhook placeholders: $NAME, $STATUS, $JSON, ... (integrations spec §3.2.5-§3.2.6)."""

from __future__ import annotations

import copy
import enum
import json
import re
from functools import cached_property
from typing import TYPE_CHECKING, Final
from urllib.parse import quote

from hc.api.serializers import check_to_dict, isostring
from hc.integrations.content import last_ping, ping_body_text

if TYPE_CHECKING:
    from hc.api.models import Check, Flip, Ping


class Context(enum.Enum):
    URL = "url"
    BODY = "body"
    HEADER = "header"


# Alternatives sharing a prefix list the longer one first: the regex takes
# the first alternative that matches, and the spec wants the longest.
_PLACEHOLDER: Final = re.compile(
    r"\$(NAME_JSON|NAME|BODY_JSON|BODY|TAGS|TAG[1-9][0-9]*|JSON|CODE|STATUS|NOW|SLUG|EXITSTATUS)"
)
# Values that may hold any character; in URLs they are percent-encoded.
_FREE_TEXT: Final = frozenset({"NOW", "NAME", "NAME_JSON", "TAGS", "JSON"})
# The last ping's body could be large and private: never in URLs or headers.
_BODY_ONLY: Final = frozenset({"BODY", "BODY_JSON"})


def check_json(check: Check) -> str:
    """The $JSON document: the API's "get check" body for `check`, on one line."""
    if check.pk is None:
        # A test send's dummy check is unsaved, and listing its channels
        # through the M2M manager needs a primary key; one no row has gives
        # the empty list §3.2.6 asks for.
        check = copy.copy(check)
        check.pk = 0
    # json.dumps' defaults are the spec's: ", " and ": ", ASCII escapes.
    return json.dumps(check_to_dict(check, version=3, readonly=False))


def header_safe(value: str) -> str:
    """Characters beyond latin-1 as HTML character references (ā -> &#257;)."""
    return value.encode("latin-1", errors="xmlcharrefreplace").decode("latin-1")


class Placeholders:
    """Placeholder values for one flip; the costly ones are computed on first use, once."""

    def __init__(self, flip: Flip) -> None:
        self.flip = flip
        self.check: Check = flip.owner

    def render(self, template: str, context: Context) -> str:
        """Substitute in one left-to-right pass; inserted text is not rescanned."""

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            value = self._value(name, context)
            return match.group(0) if value is None else value

        result = _PLACEHOLDER.sub(replace, template)
        return header_safe(result) if context is Context.HEADER else result

    def _value(self, name: str, context: Context) -> str | None:
        """The text to insert, or None to keep the placeholder literally."""
        if name in _BODY_ONLY and context is not Context.BODY:
            return None
        value = self._raw(name)
        if value is not None and context is Context.URL and _is_free_text(name):
            return quote(value, safe="/")
        return value

    def _raw(self, name: str) -> str | None:
        check, flip = self.check, self.flip
        match name:
            case "CODE":
                return str(check.code)
            case "STATUS":
                return str(flip.new_status)
            case "NOW":
                return isostring(flip.created) or ""
            case "NAME":
                return check.name
            case "NAME_JSON":
                return json.dumps(check.name)
            case "SLUG":
                return check.slug
            case "TAGS":
                return " ".join(self.tags)
            case "JSON":
                return self.json_document
            case "BODY":
                return self.body
            case "BODY_JSON":
                return json.dumps(self.body)
            case "EXITSTATUS":
                ping = self.last_ping
                return "-1" if ping is None or ping.exitstatus is None else str(ping.exitstatus)
        # $TAG<n>: a tag beyond the last one stays literal.
        index = int(name.removeprefix("TAG"))
        return self.tags[index - 1] if index <= len(self.tags) else None

    @cached_property
    def tags(self) -> list[str]:
        return self.check.tags.split()

    @cached_property
    def last_ping(self) -> Ping | None:
        return last_ping(self.flip)

    @cached_property
    def json_document(self) -> str:
        return check_json(self.check)

    @cached_property
    def body(self) -> str:
        return ping_body_text(self.last_ping) or ""


def _is_free_text(name: str) -> bool:
    return name in _FREE_TEXT or name.startswith("TAG")
