"""The User admin (replacing Django's) and the Credential admin (web spec §13, §3.6)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hc.accounts.models import Credential, Project
from hc.accounts.tests.admin_helpers import AdminTestCase
from hc.api.models import Channel, ChannelKind, Check

URL = "/admin/auth/user/"
CREDENTIALS_URL = "/admin/accounts/credential/"


class UserAdminTestCase(AdminTestCase):
    def test_it_lists_users_newest_first_with_usage(self) -> None:
        Check.objects.bulk_create(Check(project=self.project) for _ in range(2))
        Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL, config={})
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        ids = [u.id for u in response.context["cl"].result_list]
        self.assertEqual(ids, sorted(ids, reverse=True))
        self.assertContains(response, "<strong>2 checks, 1 channel</strong>", html=True)
        self.assertContains(response, "0 checks, 0 channels")

    def test_it_renders_the_change_and_add_pages(self) -> None:
        response = self.client.get(f"{URL}{self.alice.id}/change/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "alice@example.org")
        self.assertEqual(self.client.get(f"{URL}add/").status_code, 200)

    def test_it_sends_non_staff_to_login(self) -> None:
        self.assert_login_required(URL)

    def test_list_query_count_does_not_grow_with_rows(self) -> None:
        def add_user(i: int) -> None:
            user = self.make_user(f"load{i}")
            project = Project.objects.create(owner=user, badge_key=f"load{i}")
            Check.objects.create(project=project)
            Channel.objects.create(project=project, kind=ChannelKind.EMAIL, config={})

        add_user(0)
        with CaptureQueriesContext(connection) as one_row:
            response = self.client.get(URL, {"q": "load"})
        self.assertEqual(len(response.context["cl"].result_list), 1)
        for i in range(1, 10):
            add_user(i)
        with self.assertNumQueries(len(one_row)):
            response = self.client.get(URL, {"q": "load"})
        self.assertEqual(len(response.context["cl"].result_list), 10)

    def test_it_searches_by_email(self) -> None:
        response = self.client.get(URL, {"q": "bob@example"})
        self.assertEqual([u.id for u in response.context["cl"].result_list], [self.bob.id])

    def test_it_filters_by_staff_and_active(self) -> None:
        response = self.client.get(URL, {"is_staff__exact": "1"})
        self.assertEqual([u.id for u in response.context["cl"].result_list], [self.operator.id])
        User.objects.filter(id=self.rose.id).update(is_active=False)
        response = self.client.get(URL, {"is_active__exact": "0"})
        self.assertEqual([u.id for u in response.context["cl"].result_list], [self.rose.id])

    def test_it_filters_by_last_login(self) -> None:
        response = self.client.get(URL, {"last_login__isnull": "False"})
        self.assertEqual([u.id for u in response.context["cl"].result_list], [self.operator.id])

    def test_deactivate_blocks_login_and_password(self) -> None:
        response = self.act(URL, "deactivate", [self.alice, self.bob])
        self.assertIn("Deactivated 2 user(s).", self.messages_of(response))
        for user in (self.alice, self.bob):
            user.refresh_from_db()
            self.assertFalse(user.is_active)
            self.assertFalse(user.has_usable_password())
        self.charlie.refresh_from_db()
        self.assertTrue(self.charlie.is_active)
        self.assertTrue(self.charlie.has_usable_password())

    def test_deactivate_ends_the_users_sessions(self) -> None:
        other = self.client_class()
        other.force_login(self.alice)
        self.assertEqual(other.get("/accounts/profile/").status_code, 200)
        self.act(URL, "deactivate", [self.alice])
        response = other.get("/accounts/profile/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/accounts/login/"))

    def test_deactivate_skips_the_acting_operator(self) -> None:
        response = self.act(URL, "deactivate", [self.operator, self.alice])
        self.assertIn("You cannot deactivate yourself.", self.messages_of(response))
        self.assertIn("Deactivated 1 user(s).", self.messages_of(response))
        self.operator.refresh_from_db()
        self.assertTrue(self.operator.is_active)

    def test_activate_reactivates(self) -> None:
        User.objects.filter(id=self.alice.id).update(is_active=False)
        response = self.act(URL, "activate", [self.alice])
        self.assertIn("Activated 1 user(s).", self.messages_of(response))
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.is_active)


class CredentialAdminTestCase(AdminTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.key = Credential.objects.create(user=self.alice, name="Yubikey", data=b"x")
        Credential.objects.create(user=self.bob, name="Titan", data=b"y")

    def test_it_lists_and_shows_keys(self) -> None:
        response = self.client.get(CREDENTIALS_URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "alice@example.org")
        self.assertContains(response, "Yubikey")
        response = self.client.get(f"{CREDENTIALS_URL}{self.key.id}/change/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'name="user"')

    def test_it_sends_non_staff_to_login(self) -> None:
        self.assert_login_required(CREDENTIALS_URL)

    def test_it_searches_by_email_code_and_name(self) -> None:
        for term in ("alice@", str(self.key.code), "yubi"):
            with self.subTest(term=term):
                response = self.client.get(CREDENTIALS_URL, {"q": term})
                self.assertEqual([c.id for c in response.context["cl"].result_list], [self.key.id])

    def test_it_filters_by_created(self) -> None:
        response = self.client.get(CREDENTIALS_URL, {"created__gte": "2000-01-01 00:00:00+00:00"})
        self.assertEqual(len(response.context["cl"].result_list), 2)
        response = self.client.get(CREDENTIALS_URL, {"created__lt": "2000-01-01 00:00:00+00:00"})
        self.assertEqual(len(response.context["cl"].result_list), 0)

    def test_deleting_a_key_recovers_a_locked_out_user(self) -> None:
        url = f"{CREDENTIALS_URL}{self.key.id}/delete/"
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(url, {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Credential.objects.filter(id=self.key.id).exists())
        self.assertTrue(Credential.objects.filter(user=self.bob).exists())

    def test_it_has_no_add_page(self) -> None:
        self.assertEqual(self.client.get(f"{CREDENTIALS_URL}add/").status_code, 403)
