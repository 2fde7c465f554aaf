"""Changes to a user's second factors: security keys and the authenticator app."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from hc.accounts.models import Credential, Profile


@transaction.atomic
def do_add_credential(user: User, name: str, data: bytes) -> Credential:
    return Credential.objects.create(user=user, name=name, data=data)


@transaction.atomic
def do_remove_credential(credential: Credential) -> None:
    credential.delete()


@transaction.atomic
def do_enable_totp(profile: Profile, secret: str) -> None:
    profile.totp = secret
    profile.totp_created = timezone.now()
    profile.save(update_fields=["totp", "totp_created"])


@transaction.atomic
def do_disable_totp(profile: Profile) -> None:
    profile.totp = ""
    profile.totp_created = None
    profile.save(update_fields=["totp", "totp_created"])
