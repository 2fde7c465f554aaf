"""How the settings page shows stored keys without giving them away (web spec §5.3)."""

from __future__ import annotations

from dataclasses import dataclass

from hc.accounts import api_keys

# The stored form of a prefixed key: 8 key characters, ".", 64 hex digits.
_HASHED_LENGTH = 8 + 1 + 64
_HIDDEN_TAIL = "*" * 24


@dataclass(frozen=True)
class MaskedKey:
    text: str
    # The full key, for keys stored in clear: clicking the mask shows it.
    reveal: str | None = None


def _is_hashed(stored: str) -> bool:
    return len(stored) == _HASHED_LENGTH and stored[8] == "."


def masked_api_key(stored: str, *, readonly: bool) -> MaskedKey | None:
    """None when no key is set."""
    if not stored:
        return None
    if _is_hashed(stored):
        prefix = api_keys.READ_ONLY_PREFIX if readonly else api_keys.READ_WRITE_PREFIX
        return MaskedKey(prefix + stored[:4] + _HIDDEN_TAIL)
    # A legacy key migrated in plain text can still be shown.
    return _masked_clear(stored)


def masked_ping_key(key: str | None) -> MaskedKey | None:
    return _masked_clear(key) if key else None


def _masked_clear(key: str) -> MaskedKey:
    return MaskedKey(key[:4] + "*" * (len(key) - 4), reveal=key)
