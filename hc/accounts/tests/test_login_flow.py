from __future__ import annotations

import time
from datetime import timedelta

import time_machine
from django.contrib import auth
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone

from hc.accounts import login_flow
from hc.accounts.models import Credential
from hc.test import BaseTestCase


class SafeNextTestCase(BaseTestCase):
    def test_whitelisted_relative_urls_pass(self) -> None:
        for url in (
            f"/projects/{self.project.code}/checks/",
            f"/projects/{self.project.code}/settings/",
            f"/projects/{self.project.code}/checks/?tag=db",
        ):
            with self.subTest(url):
                self.assertEqual(login_flow.safe_next(url), url)

    def test_everything_else_is_refused(self) -> None:
        for url in (
            None,
            "",
            "https://evil.example.org/",
            "//evil.example.org/projects/",
            f"https://evil.example.org/projects/{self.project.code}/checks/",
            "/accounts/profile/",
            "/admin/",
            "/no/such/page/",
            "projects/",
        ):
            with self.subTest(str(url)):
                self.assertIsNone(login_flow.safe_next(url))


class CompleteFirstFactorTestCase(BaseTestCase):
    def request(self) -> HttpRequest:
        request = RequestFactory().get("/")
        request.session = self.client.session
        request.user = auth.models.AnonymousUser()
        return request

    def test_without_second_factor_it_logs_in_and_goes_to_the_only_project(self) -> None:
        request = self.request()
        response = login_flow.complete_first_factor(request, self.alice)
        self.assertEqual(request.user, self.alice)
        self.assertEqual(response["Location"], f"/projects/{self.project.code}/checks/")

    def test_users_with_no_or_several_owned_projects_go_to_the_overview(self) -> None:
        request = self.request()
        response = login_flow.complete_first_factor(request, self.bob)
        self.assertEqual(response["Location"], "/")

    def test_a_whitelisted_next_wins(self) -> None:
        request = self.request()
        target = f"/projects/{self.project.code}/settings/"
        response = login_flow.complete_first_factor(request, self.bob, target)
        self.assertEqual(response["Location"], target)

    def test_totp_users_are_parked_for_the_second_step(self) -> None:
        self.profile.totp = "JBSWY3DPEHPK3PXP"
        self.profile.save()
        request = self.request()
        response = login_flow.complete_first_factor(request, self.alice)
        self.assertEqual(response["Location"], "/accounts/login/two_factor/totp/")
        self.assertFalse(request.user.is_authenticated)
        user_id, email, _ = request.session[login_flow.PENDING_KEY]
        self.assertEqual((user_id, email), (self.alice.id, self.alice.email))

    @override_settings(RP_ID="localhost")
    def test_key_users_go_to_the_webauthn_step(self) -> None:
        Credential.objects.create(user=self.alice, name="Key", data=b"x")
        response = login_flow.complete_first_factor(self.request(), self.alice)
        self.assertEqual(response["Location"], "/accounts/login/two_factor/")

    @override_settings(RP_ID=None)
    def test_keys_without_rp_id_fall_back_to_totp(self) -> None:
        Credential.objects.create(user=self.alice, name="Key", data=b"x")
        self.profile.totp = "JBSWY3DPEHPK3PXP"
        self.profile.save()
        response = login_flow.complete_first_factor(self.request(), self.alice)
        self.assertEqual(response["Location"], "/accounts/login/two_factor/totp/")

    @override_settings(RP_ID=None)
    def test_keys_only_without_rp_id_never_skip_the_second_factor(self) -> None:
        Credential.objects.create(user=self.alice, name="Key", data=b"x")
        request = self.request()
        response = login_flow.complete_first_factor(request, self.alice)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(request.user.is_authenticated)
        self.assertIn(b"administrator", response.content)


class PendingUserTestCase(BaseTestCase):
    def request(self, pending: list[object] | None) -> HttpRequest:
        request = RequestFactory().get("/")
        request.session = self.client.session
        if pending is not None:
            request.session[login_flow.PENDING_KEY] = pending
        request.user = auth.models.AnonymousUser()
        return request

    def test_pending_user(self) -> None:
        request = self.request([self.alice.id, self.alice.email, int(time.time())])
        self.assertEqual(login_flow.pending_user(request), self.alice)

    def test_no_record_is_400(self) -> None:
        response = login_flow.pending_user(self.request(None))
        assert isinstance(response, HttpResponse)
        self.assertEqual(response.status_code, 400)

    def test_changed_email_is_400(self) -> None:
        request = self.request([self.alice.id, "old@example.org", int(time.time())])
        response = login_flow.pending_user(request)
        assert isinstance(response, HttpResponse)
        self.assertEqual(response.status_code, 400)

    def test_records_older_than_five_minutes_go_back_to_login(self) -> None:
        request = self.request([self.alice.id, self.alice.email, int(time.time())])
        with time_machine.travel(timezone.now() + timedelta(minutes=6)):
            response = login_flow.pending_user(request)
            assert isinstance(response, HttpResponse)
        self.assertEqual(response["Location"], "/accounts/login/")
