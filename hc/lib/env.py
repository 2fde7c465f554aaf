"""Strict readers for settings that come from environment variables.

Every reader raises ImproperlyConfigured naming the variable when its value is
malformed, so a typo in a deployment's `.env` stops start-up instead of being
silently replaced by a default. The accepted syntax matches Healthchecks, so an
existing `.env` file keeps working.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def _raw(name: str) -> str | None:
    return os.environ.get(name)


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_optional_str(name: str) -> str | None:
    """The value, or None when the variable is unset or empty."""
    return _raw(name) or None


def env_bool(name: str, default: bool) -> bool:
    """Exactly `True` or `False`; an empty value means False (Healthchecks rule)."""
    value = _raw(name)
    if value is None:
        return default
    if value == "True":
        return True
    if value in ("False", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")


def env_int(name: str, default: int | None) -> int | None:
    """A decimal integer, or the literal `None` meaning "no limit"."""
    value = _raw(name)
    if value is None or value == "":
        return default
    if value == "None":
        return None
    try:
        return int(value, 10)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer or None, not {value!r}") from None


def env_required_int(name: str, default: int) -> int:
    """Like env_int, for settings where "no limit" makes no sense."""
    value = env_int(name, default)
    if value is None:
        raise ImproperlyConfigured(f"{name} must be an integer, not None")
    return value


def env_secret(name: str, default: str = "") -> str:
    """A secret: `<NAME>_FILE`, when set, names a file holding the value."""
    file_name = _raw(f"{name}_FILE")
    if file_name:
        path = Path(file_name)
        try:
            return path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as e:
            raise ImproperlyConfigured(
                f"{name}_FILE points to {file_name!r}, which cannot be read: {e}"
            ) from None
    return env_str(name, default)


def env_list(name: str) -> list[str]:
    """Comma-separated values, whitespace trimmed, empty items dropped."""
    return [item.strip() for item in env_str(name).split(",") if item.strip()]
