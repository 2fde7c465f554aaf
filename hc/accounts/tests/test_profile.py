"""/accounts/profile/: the Account settings page (web spec §4.1)."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import MessageEncoder
from django.test import Client, override_settings

from hc.accounts.models import Credential, Member, Project, Role
from hc.test import BaseTestCase

URL = "/accounts/profile/"


class ProfileTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_requires_login(self) -> None:
        self.client.logout()
        r = self.client.get(URL)
        self.assertRedirects(
            r, "/accounts/login/?next=/accounts/profile/", fetch_redirect_response=False
        )

    def test_it_rejects_other_methods(self) -> None:
        r = self.client.put(URL)
        self.assertEqual(r.status_code, 405)

    def test_it_shows_the_settings_layout(self) -> None:
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "<title>Account Settings - ")
        self.assertContains(r, "alice@example.org</small>")
        self.assertContains(r, 'aria-current="page" href="/accounts/profile/">Account</a>')
        self.assertContains(r, 'href="/accounts/profile/appearance/">Appearance</a>')
        self.assertContains(r, 'href="/accounts/profile/notifications/">Email Reports</a>')
        self.assertNotContains(r, "Billing")

    def test_it_offers_password_change_with_a_usable_password(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, '<code class="account-email">alice@example.org</code>')
        self.assertContains(r, 'href="/accounts/change_email/">Change Email</a>')
        self.assertContains(r, "Password authentication is enabled.")
        self.assertContains(r, 'href="/accounts/set_password/">Change Password</a>')
        self.assertNotContains(r, "Set Password</a>")

    def test_it_offers_to_set_a_password_without_one(self) -> None:
        self.alice.set_unusable_password()
        self.alice.save()
        self.client.force_login(self.alice)
        r = self.client.get(URL)
        self.assertContains(r, 'href="/accounts/set_password/">Set Password</a>')
        self.assertNotContains(r, "Password authentication is enabled.")
        self.assertNotContains(r, "Change Password")

    @override_settings(RP_ID=None)
    def test_it_hides_security_keys_without_rp_id(self) -> None:
        r = self.client.get(URL)
        self.assertNotContains(r, "Security keys")
        self.assertNotContains(r, "Add Security Key")
        self.assertContains(r, "<em>Not configured</em>")
        self.assertContains(r, 'href="/accounts/two_factor/totp/">Set Up Authenticator App</a>')
        self.assertContains(r, 'id="two-factor-inactive"')
        self.assertContains(r, "currently <strong>inactive</strong>")

    @override_settings(RP_ID="testserver")
    def test_it_shows_an_empty_key_list_with_rp_id(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, "Security keys</th>")
        self.assertContains(r, "<em>No registered security keys</em>")
        self.assertContains(r, 'href="/accounts/two_factor/webauthn/">Add Security Key</a>')
        self.assertContains(r, 'id="two-factor-inactive"')

    @override_settings(RP_ID="testserver")
    def test_it_lists_keys_in_creation_order_in_the_users_zone(self) -> None:
        self.profile.tz = "Europe/Riga"
        self.profile.save()
        with time_machine.travel(datetime(2025, 1, 31, 23, 30, tzinfo=UTC), tick=False):
            first = Credential.objects.create(user=self.alice, name="Yubikey 5", data=b"x")
        with time_machine.travel(datetime(2025, 3, 2, 10, tzinfo=UTC), tick=False):
            second = Credential.objects.create(user=self.alice, name="Titan", data=b"x")
        Credential.objects.create(user=self.bob, name="Bob's key", data=b"x")

        r = self.client.get(URL)
        body = r.content.decode()
        self.assertLess(body.index("Yubikey 5"), body.index("Titan"))
        # 23:30 UTC on Jan 31 is already February in Riga.
        self.assertContains(r, "\u2013 registered on Feb 1, 2025")
        self.assertContains(r, "\u2013 registered on Mar 2, 2025")
        self.assertContains(r, f'href="/accounts/two_factor/{first.code}/remove/">Remove</a>')
        self.assertContains(r, f'href="/accounts/two_factor/{second.code}/remove/">Remove</a>')
        self.assertNotContains(r, "Bob&#x27;s key")
        self.assertNotContains(r, "No registered security keys")
        # Two keys, no app: no warning of any kind.
        self.assertNotContains(r, 'class="alert')

    @override_settings(RP_ID="testserver")
    def test_it_warns_about_a_single_key(self) -> None:
        Credential.objects.create(user=self.alice, name="<b>Solo</b>", data=b"x")
        r = self.client.get(URL)
        self.assertContains(r, 'id="single-key-warning"')
        self.assertContains(r, "<strong>&lt;b&gt;Solo&lt;/b&gt;</strong> is the only second")
        self.assertNotContains(r, "<b>Solo</b>")
        self.assertNotContains(r, 'id="two-factor-inactive"')

    @override_settings(RP_ID="testserver")
    def test_it_shows_a_configured_authenticator_app(self) -> None:
        self.profile.totp = "A" * 32
        self.profile.totp_created = datetime(2024, 7, 4, 12, tzinfo=UTC)
        self.profile.save()
        r = self.client.get(URL)
        self.assertContains(
            r, 'Enabled <span class="text-body-secondary">\u2013 configured on Jul 4, 2024'
        )
        self.assertContains(r, 'href="/accounts/two_factor/totp/remove/">Remove</a>')
        self.assertNotContains(r, "Set Up Authenticator App")
        self.assertNotContains(r, "Not configured")
        self.assertContains(r, 'id="only-totp-warning"')
        self.assertContains(r, "or register a security key as a backup")

    @override_settings(RP_ID=None)
    def test_totp_warning_does_not_suggest_keys_without_rp_id(self) -> None:
        self.profile.totp = "A" * 32
        self.profile.totp_created = datetime(2024, 7, 4, 12, tzinfo=UTC)
        self.profile.save()
        r = self.client.get(URL)
        self.assertContains(r, 'id="only-totp-warning"')
        self.assertNotContains(r, "register a security key")

    @override_settings(RP_ID="testserver")
    def test_key_and_app_together_need_no_warning(self) -> None:
        Credential.objects.create(user=self.alice, name="Solo", data=b"x")
        self.profile.totp = "A" * 32
        self.profile.totp_created = datetime(2024, 7, 4, 12, tzinfo=UTC)
        self.profile.save()
        r = self.client.get(URL)
        self.assertNotContains(r, 'class="alert')

    def test_it_lists_owned_projects_then_memberships(self) -> None:
        zebra = Project.objects.create(owner=self.alice, name="zebra", badge_key="z")
        apple = Project.objects.create(owner=self.alice, name="Apple", badge_key="a")
        Member.objects.create(user=self.alice, project=self.charlies_project, role=Role.READONLY)
        r = self.client.get(URL)
        body = r.content.decode()
        # Owned ones sorted case-insensitively, then the membership.
        order = [
            body.index(name) for name in ("Alice&#x27;s Project</a>", "Apple</a>", "zebra</a>")
        ]
        self.assertEqual(order, sorted(order))
        self.assertLess(order[-1], body.index("charlie@example.org</a>"))
        self.assertContains(r, f'href="/projects/{apple.code}/checks/">Apple</a>')
        self.assertContains(r, f'href="/projects/{zebra.code}/settings/">Settings</a>')
        self.assertContains(r, "<td>Owner</td>", count=3)
        self.assertContains(r, "<td>Read-only</td>")
        self.assertContains(r, f'data-project-code="{self.charlies_project.code}"')
        self.assertContains(r, "Leave</button>", count=1)

    def test_it_shows_each_members_role(self) -> None:
        for user, label in ((self.bob, "Member"), (self.mike, "Manager"), (self.rose, "Read-only")):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                r = self.client.get(URL)
                self.assertContains(r, f"<td>{label}</td>")
                self.assertContains(r, f'data-project-code="{self.project.code}"')
                self.assertNotContains(r, "<td>Owner</td>")
                self.assertNotContains(r, f"/projects/{self.project.code}/settings/")

    def test_it_invites_a_user_without_projects_to_create_one(self) -> None:
        loner = self.make_user("loner")
        self.client.force_login(loner)
        r = self.client.get(URL)
        self.assertContains(r, "You do not have any projects yet.")
        self.assertNotContains(r, "projects-table")
        self.assertContains(r, 'data-bs-target="#add-project-modal">Create a New Project</button>')

    def test_it_includes_the_create_project_modal(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, 'id="add-project-modal"')
        self.assertContains(r, "Create New Project</h2>")
        self.assertContains(r, 'action="/projects/add/"')
        self.assertContains(r, 'name="name" class="form-control form-control-lg"')
        self.assertContains(r, 'maxlength="60" required autofocus')
        self.assertContains(r, "Create Project</button>")

    def test_it_includes_the_leave_modal_and_close_account_link(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, "Leave This Project?</h2>")
        self.assertContains(
            r, 'name="leave_project" value="1" class="btn btn-danger">Leave Project</button>'
        )
        self.assertContains(
            r, 'class="btn btn-outline-danger" href="/accounts/close/">Close Account</a>'
        )

    def test_it_shows_flash_messages(self) -> None:
        # What another flow (adding a security key) leaves in the session.
        session = self.client.session
        message = Message(constants.SUCCESS, "Added security key <Titan>")
        session["_messages"] = MessageEncoder().encode([message])
        session.save()

        r = self.client.get(URL)
        self.assertContains(
            r,
            '<div class="alert alert-success" role="status">Added security key &lt;Titan&gt;</div>',
        )
        # Shown once.
        r = self.client.get(URL)
        self.assertNotContains(r, "Added security key")

    def test_it_lists_zones_with_utc_first(self) -> None:
        r = self.client.get(URL)
        body = r.content.decode()
        options = body[body.index('<select id="tz"') :]
        self.assertTrue(options.split("<option", 2)[1].startswith(" selected>UTC</option>"))
        self.assertContains(r, "<option>Europe/Riga</option>")
        self.assertContains(r, 'data-saved="UTC"')

    def test_it_saves_the_time_zone(self) -> None:
        r = self.client.post(URL, {"set_tz": "1", "tz": "Europe/Riga"})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Your time zone has been updated.")
        self.assertContains(r, '<section class="panel panel-success" id="timezone-panel"')
        self.assertContains(r, "<option selected>Europe/Riga</option>")
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.tz, "Europe/Riga")

    def test_it_stores_legacy_aliases_under_their_canonical_name(self) -> None:
        self.client.post(URL, {"set_tz": "1", "tz": "Europe/Kiev"})
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.tz, "Europe/Kyiv")

    def test_it_ignores_invalid_time_zones(self) -> None:
        for tz in ("Mars/Olympus", "", "x" * 37, "../../etc/passwd"):
            with self.subTest(tz=tz):
                r = self.client.post(URL, {"set_tz": "1", "tz": tz})
                self.assertEqual(r.status_code, 200)
                self.assertNotContains(r, "Your time zone has been updated.")
                self.profile.refresh_from_db()
                self.assertEqual(self.profile.tz, "UTC")

    def test_it_keeps_a_saved_zone_missing_from_the_list_visible(self) -> None:
        self.profile.tz = "US/Pacific"
        self.profile.save()
        r = self.client.get(URL)
        self.assertContains(r, "<option selected>US/Pacific</option>")

    def test_it_rejects_an_unknown_action(self) -> None:
        r = self.client.post(URL, {"tz": "Europe/Riga"})
        self.assertEqual(r.status_code, 400)
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.tz, "UTC")

    def test_it_requires_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        r = client.post(URL, {"set_tz": "1", "tz": "Europe/Riga"})
        self.assertEqual(r.status_code, 403)
        self.profile.refresh_from_db()
        self.assertEqual(self.profile.tz, "UTC")

    def test_it_escapes_project_names(self) -> None:
        Project.objects.create(owner=self.alice, name="<script>x</script>", badge_key="s")
        r = self.client.get(URL)
        self.assertNotContains(r, "<script>x</script>")
        self.assertContains(r, "&lt;script&gt;x&lt;/script&gt;</a>")
