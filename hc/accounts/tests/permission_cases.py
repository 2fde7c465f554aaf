"""Permission matrix cases for the accounts app's routes (web spec §2, §5.4, §5.8, §15).

Covers every route of hc/accounts/urls.py and hc/accounts/project_urls.py,
the admin login override and /admin/ itself. Expectations follow the spec,
not the views: a mismatch is a bug in the view. The runner is
hc/accounts/tests/test_permission_matrix.py; expectations are explained in
hc/test_matrix.py.

Sudo-protected views appear twice: without sudo mode, where a logged-in user
gets the confirmation-code page (which counts as "ok"), and with sudo mode
already on, which reaches the view itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from hc.accounts import login_tokens, team
from hc.accounts.models import Credential, Profile
from hc.accounts.services_auth import send_change_email_link
from hc.accounts.tests.auth_helpers import link_in
from hc.accounts.tests.soft_authenticator import RP_ID, SoftAuthenticator
from hc.accounts.unsubscribe import unsubscribe_url
from hc.test_matrix import (
    ACTORS,
    LOGGED_IN,
    MANAGERS,
    MEMBERS,
    OWNER_ONLY,
    OWNER_ONLY_HIDDEN,
    READ_WRITE,
    Case,
    Expect,
    Fixture,
)

# Pages anyone may open, logged in or not.
ANYONE: dict[str, Expect] = dict.fromkeys(ACTORS, "ok")
# Signup answers 403 to logged-in users (web §3.4).
ANONYMOUS_ONLY: dict[str, Expect] = {**dict.fromkeys(ACTORS, 403), "anonymous": "ok"}


def everyone(status: int) -> dict[str, Expect]:
    return dict.fromkeys(ACTORS, status)


def _like(base: dict[str, Expect], **changes: Expect) -> dict[str, Expect]:
    return {**base, **changes}


WEBAUTHN_ON = {"RP_ID": RP_ID}
WEBAUTHN_OFF = {"RP_ID": None}
# The security key of Alice's that the key-removal cases try to remove.
ALICES_KEY = uuid.UUID("5d8e3c8a-5a3b-4c0e-9a55-3f1f2b6f0c11")
TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def _path(path: str) -> Callable[[Fixture], str]:
    return lambda f: path


def _settings_url(f: Fixture) -> str:
    return f"/projects/{f.project.code}/settings/"


def _check_token_url(f: Fixture) -> str:
    # A fresh link each time: a successful POST uses it up.
    return f"/accounts/check_token/{f.alice.username}/{login_tokens.issue(f.alice)}/"


def _change_email_url(f: Fixture) -> str:
    send_change_email_link(f.alice, "alice.new@example.org")
    return link_in(str(mail.outbox[-1].body), "/accounts/change_email/")


def _unsubscribe_url(f: Fixture) -> str:
    return urlsplit(unsubscribe_url(f.alice)).path


def _add_alices_key(f: Fixture, user: User | None) -> None:
    data = SoftAuthenticator().attested_credential_data()
    Credential.objects.create(code=ALICES_KEY, user=f.alice, name="Blue Key", data=data)


def _give_actor_totp(f: Fixture, user: User | None) -> None:
    if user is not None:
        Profile.objects.filter(user=user).update(totp=TOTP_SECRET, totp_created=timezone.now())


def _offer_to_actor(f: Fixture, user: User | None) -> None:
    # Does nothing for the owner and the outsider, who hold no membership.
    if user is not None:
        team.do_start_transfer(f.project, user)


def _offer_to_bob(f: Fixture, user: User | None) -> None:
    team.do_start_transfer(f.project, f.bob)


Setup = Callable[[Fixture, User | None], None]


def _no_setup(f: Fixture, user: User | None) -> None:
    pass


def _settings_action(
    name: str, expect: dict[str, Expect], data: dict[str, str], setup: Setup = _no_setup
) -> Case:
    """One submit button of the project settings page."""
    return Case(name, "POST", _settings_url, expect, data=lambda f: data, setup=setup)


SIGN_IN_CASES = [
    Case("login page", "GET", _path("/accounts/login/"), ANYONE),
    Case(
        "password login",
        "POST",
        _path("/accounts/login/"),
        ANYONE,
        data=lambda f: {"action": "login", "email": "alice@example.org", "password": "password"},
    ),
    Case(
        "email link request",
        "POST",
        _path("/accounts/login/"),
        ANYONE,
        data=lambda f: {"identity": "alice@example.org"},
    ),
    Case("admin login page", "GET", _path("/admin/login/"), ANYONE),
    Case("logout", "POST", _path("/accounts/logout/"), ANYONE),
    Case("logout by GET", "GET", _path("/accounts/logout/"), everyone(405)),
    Case("signup csrf token", "GET", _path("/accounts/signup/csrf/"), ANONYMOUS_ONLY),
    Case(
        "signup",
        "POST",
        _path("/accounts/signup/"),
        ANONYMOUS_ONLY,
        data=lambda f: {"identity": "newcomer@example.org", "tz": "Europe/Riga"},
    ),
    Case("login link sent page", "GET", _path("/accounts/login_link_sent/"), ANYONE),
    # Without the auto-login cookie a GET shows the "Continue" interstitial.
    Case("magic link interstitial", "GET", _check_token_url, ANYONE),
    Case("magic link continue", "POST", _check_token_url, ANYONE),
]

# Nobody in the matrix has a pending second factor: these pages turn them all away.
SECOND_FACTOR_CASES = [
    Case(
        "webauthn login step",
        "GET",
        _path("/accounts/login/two_factor/"),
        everyone(400),
        settings=WEBAUTHN_ON,
    ),
    Case(
        "webauthn login step answer",
        "POST",
        _path("/accounts/login/two_factor/"),
        everyone(400),
        data=lambda f: {"response": "{}"},
        settings=WEBAUTHN_ON,
    ),
    Case(
        "webauthn login step without RP_ID",
        "GET",
        _path("/accounts/login/two_factor/"),
        everyone(404),
        settings=WEBAUTHN_OFF,
    ),
    Case("totp login step", "GET", _path("/accounts/login/two_factor/totp/"), everyone(400)),
    Case(
        "totp login step answer",
        "POST",
        _path("/accounts/login/two_factor/totp/"),
        everyone(400),
        data=lambda f: {"code": "123456"},
    ),
    # Passkey login is for visitors who are not logged in yet.
    Case(
        "passkey options",
        "GET",
        _path("/accounts/login/passkey/"),
        _like(everyone(400), anonymous="ok"),
        settings=WEBAUTHN_ON,
    ),
    Case(
        "passkey answer without a ceremony",
        "POST",
        _path("/accounts/login/passkey/"),
        everyone(400),
        data=lambda f: {"response": "{}"},
        settings=WEBAUTHN_ON,
    ),
    Case(
        "passkey options without RP_ID",
        "GET",
        _path("/accounts/login/passkey/"),
        everyone(404),
        settings=WEBAUTHN_OFF,
    ),
]

# Leaving is for members: the owner cannot leave, outsiders have nothing to leave.
LEAVE = _like(LOGGED_IN, owner=400, nonmember=400, superuser=400)

ACCOUNT_CASES = [
    Case("account page", "GET", _path("/accounts/profile/"), LOGGED_IN),
    Case(
        "leave project",
        "POST",
        _path("/accounts/profile/"),
        LEAVE,
        data=lambda f: {"leave_project": "1", "code": str(f.project.code)},
    ),
    Case(
        "set time zone",
        "POST",
        _path("/accounts/profile/"),
        LOGGED_IN,
        data=lambda f: {"set_tz": "1", "tz": "Europe/Riga"},
    ),
    Case("appearance page", "GET", _path("/accounts/profile/appearance/"), LOGGED_IN),
    Case(
        "set theme",
        "POST",
        _path("/accounts/profile/appearance/"),
        LOGGED_IN,
        data=lambda f: {"theme": "dark"},
    ),
    Case("email reports page", "GET", _path("/accounts/profile/notifications/"), LOGGED_IN),
    Case(
        "set email reports",
        "POST",
        _path("/accounts/profile/notifications/"),
        LOGGED_IN,
        data=lambda f: {"reports": "weekly", "nag_period": "86400"},
    ),
    # Signed links that work without a login; a logged-in visitor is logged out first.
    Case("change email link interstitial", "GET", _change_email_url, ANYONE),
    Case("change email link continue", "POST", _change_email_url, ANYONE),
    Case("report unsubscribe page", "GET", _unsubscribe_url, ANYONE),
    Case("report unsubscribe", "POST", _unsubscribe_url, ANYONE, csrf=False),
]


def _sudo_pair(
    name: str,
    path: Callable[[Fixture], str],
    data: Callable[[Fixture], dict[str, Any]],
    sudo_expect: dict[str, Expect] = LOGGED_IN,
    sudo_post_expect: dict[str, Expect] | None = None,
    setup: Setup = _no_setup,
    settings: Mapping[str, Any] | None = None,
) -> list[Case]:
    """GET and POST of a sudo view, first stopped at sudo mode, then past it."""
    cfg = settings or {}
    post_expect = sudo_post_expect or sudo_expect
    return [
        Case(f"{name} page before sudo", "GET", path, LOGGED_IN, setup=setup, settings=cfg),
        Case(f"{name} before sudo", "POST", path, LOGGED_IN, data, setup=setup, settings=cfg),
        Case(
            f"{name} page in sudo mode",
            "GET",
            path,
            sudo_expect,
            sudo=True,
            setup=setup,
            settings=cfg,
        ),
        Case(
            f"{name} in sudo mode",
            "POST",
            path,
            post_expect,
            data,
            sudo=True,
            setup=setup,
            settings=cfg,
        ),
    ]


def _remove_key_url(f: Fixture) -> str:
    return f"/accounts/two_factor/{ALICES_KEY}/remove/"


# Another user's key is a 400 (web §3.6.2).
ALICES_KEY_ONLY = _like(
    LOGGED_IN, manager=400, member=400, readonly=400, nonmember=400, superuser=400
)

SUDO_CASES = [
    *_sudo_pair(
        "set password",
        _path("/accounts/set_password/"),
        lambda f: {"password": "correct horse battery"},
    ),
    *_sudo_pair(
        "change email",
        _path("/accounts/change_email/"),
        lambda f: {"email": "fresh.address@example.org"},
    ),
    # The confirmation is Alice's address: only her account closes (then a
    # redirect to the login page); for the others it does not match.
    *_sudo_pair(
        "close account",
        _path("/accounts/close/"),
        lambda f: {"confirmation": "alice@example.org"},
        sudo_post_expect=_like(LOGGED_IN, owner=302),
    ),
    # A wrong code re-renders the form: reaching the view is what counts here.
    *_sudo_pair("set up totp", _path("/accounts/two_factor/totp/"), lambda f: {"code": "000000"}),
    *_sudo_pair(
        "remove totp",
        _path("/accounts/two_factor/totp/remove/"),
        lambda f: {},
        setup=_give_actor_totp,
    ),
    *_sudo_pair(
        "remove alice's security key",
        _remove_key_url,
        lambda f: {},
        sudo_expect=ALICES_KEY_ONLY,
        setup=_add_alices_key,
        settings=WEBAUTHN_ON,
    ),
    Case(
        "remove security key without RP_ID",
        "GET",
        _remove_key_url,
        everyone(404),
        setup=_add_alices_key,
        settings=WEBAUTHN_OFF,
    ),
    # Registering needs a browser ceremony; its POST is covered by the
    # security key tests, the gate and the options page are covered here.
    Case(
        "add security key page before sudo",
        "GET",
        _path("/accounts/two_factor/webauthn/"),
        LOGGED_IN,
        settings=WEBAUTHN_ON,
    ),
    Case(
        "add security key before sudo",
        "POST",
        _path("/accounts/two_factor/webauthn/"),
        LOGGED_IN,
        data=lambda f: {"name": "Blue Key", "response": "{}"},
        settings=WEBAUTHN_ON,
    ),
    Case(
        "add security key page in sudo mode",
        "GET",
        _path("/accounts/two_factor/webauthn/"),
        LOGGED_IN,
        sudo=True,
        settings=WEBAUTHN_ON,
    ),
    Case(
        "add security key without RP_ID",
        "GET",
        _path("/accounts/two_factor/webauthn/"),
        everyone(404),
        settings=WEBAUTHN_OFF,
    ),
]

# Only the member a transfer is offered to may answer it (web §5.7).
# A superuser is not a member, so nothing can be offered to them.
OFFERED_TO_ACTOR = _like(MEMBERS, owner=403, superuser=403)
OFFERED_TO_BOB = _like(MEMBERS, owner=403, manager=403, readonly=403, superuser=403)

PROJECT_CASES = [
    Case(
        "create project",
        "POST",
        _path("/projects/add/"),
        LOGGED_IN,
        data=lambda f: {"name": "Side Project"},
    ),
    Case("project settings page", "GET", _settings_url, MEMBERS),
    _settings_action(
        "rename project", READ_WRITE, {"set_project_name": "1", "name": "Renamed Project"}
    ),
    _settings_action("create api key", READ_WRITE, {"create_key": "api_key"}),
    _settings_action("revoke ping key", READ_WRITE, {"revoke_key": "ping_key"}),
    _settings_action(
        "invite team member",
        MANAGERS,
        {"invite_team_member": "1", "email": "newcomer@example.org", "role": "w"},
    ),
    # Bob is the regular member: he may not remove anyone, himself included.
    _settings_action(
        "remove team member", MANAGERS, {"remove_team_member": "1", "email": "bob@example.org"}
    ),
    _settings_action(
        "transfer project", OWNER_ONLY, {"transfer_project": "1", "email": "bob@example.org"}
    ),
    _settings_action("cancel transfer", OWNER_ONLY, {"cancel_transfer": "1"}, setup=_offer_to_bob),
    _settings_action(
        "accept transfer offered to me",
        OFFERED_TO_ACTOR,
        {"accept_transfer": "1"},
        setup=_offer_to_actor,
    ),
    _settings_action(
        "accept transfer offered to bob",
        OFFERED_TO_BOB,
        {"accept_transfer": "1"},
        setup=_offer_to_bob,
    ),
    _settings_action(
        "reject transfer offered to me",
        OFFERED_TO_ACTOR,
        {"reject_transfer": "1"},
        setup=_offer_to_actor,
    ),
    _settings_action(
        "reject transfer offered to bob",
        OFFERED_TO_BOB,
        {"reject_transfer": "1"},
        setup=_offer_to_bob,
    ),
    Case(
        "remove project",
        "POST",
        lambda f: f"/projects/{f.project.code}/remove/",
        OWNER_ONLY_HIDDEN,
    ),
]

# Nobody in the matrix is staff: Django's admin sends them all to its login.
# Only staff may use the admin; everyone else is sent to its login.
ADMIN_CASES = [Case("admin index", "GET", _path("/admin/"), _like(everyone(302), superuser=200))]

CASES: list[Case] = [
    *SIGN_IN_CASES,
    *SECOND_FACTOR_CASES,
    *ACCOUNT_CASES,
    *SUDO_CASES,
    *PROJECT_CASES,
    *ADMIN_CASES,
]
