"""The stored configuration of an email channel (integrations spec §3.1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

MAX_ADDRESS_LENGTH = 100


def _address(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("email_address", "value must be a string")
    address: str = value.strip()
    if not address:
        raise PydanticCustomError("email_address", "value must not be empty")
    if len(address) > MAX_ADDRESS_LENGTH:
        raise PydanticCustomError(
            "email_address",
            "value must be at most {limit} characters",
            {"limit": MAX_ADDRESS_LENGTH},
        )
    try:
        validate_email(address)
    except DjangoValidationError:
        raise PydanticCustomError("email_address", "value must be a valid email address") from None
    return address


Address = Annotated[
    str,
    Field(max_length=MAX_ADDRESS_LENGTH, description="The recipient's email address."),
    BeforeValidator(_address),
]


class EmailConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    value: Address
    down: bool = Field(default=True, description="Send an alert when a check goes down.")
    up: bool = Field(default=True, description="Send an alert when a check comes back up.")

    @model_validator(mode="after")
    def _some_status(self) -> EmailConfig:
        if not self.down and not self.up:
            error = PydanticCustomError(
                "email_statuses", "down and up are both false: select at least one of them"
            )
            details = InitErrorDetails(type=error, loc=("down",), input=self.down)
            raise ValidationError.from_exception_data("EmailConfig", [details])
        return self


@dataclass(frozen=True)
class EmailSettings:
    address: str
    down: bool
    up: bool


def email_settings(config: Any) -> EmailSettings:
    """Read a stored config leniently; a bare address (legacy) means both statuses."""
    if isinstance(config, str):
        return EmailSettings(address=config.strip(), down=True, up=True)
    if isinstance(config, dict):
        return EmailSettings(
            address=str(config.get("value", "")).strip(),
            down=bool(config.get("down", True)),
            up=bool(config.get("up", True)),
        )
    return EmailSettings(address="", down=False, up=False)
