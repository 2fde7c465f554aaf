from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import override_settings
from django.utils import timezone

from hc.accounts import login_tokens
from hc.test import BaseTestCase


class LoginTokensTestCase(BaseTestCase):
    def test_a_token_works_once(self) -> None:
        token = login_tokens.issue(self.alice)
        self.assertTrue(login_tokens.matches(self.alice, token))
        self.assertTrue(login_tokens.consume(self.alice, token))
        self.assertFalse(login_tokens.consume(self.alice, token))

    def test_only_the_newest_token_works(self) -> None:
        first = login_tokens.issue(self.alice)
        second = login_tokens.issue(self.alice)
        self.assertFalse(login_tokens.consume(self.alice, first))
        self.assertTrue(login_tokens.consume(self.alice, second))

    def test_the_profile_stores_a_hash_not_the_token(self) -> None:
        token = login_tokens.issue(self.alice)
        self.profile.refresh_from_db()
        self.assertTrue(self.profile.token)
        self.assertNotIn(self.profile.token, token)

    def test_tokens_expire_after_an_hour(self) -> None:
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            token = login_tokens.issue(self.alice)
            traveller.shift(timedelta(minutes=61))
            self.assertFalse(login_tokens.consume(self.alice, token))

    def test_tokens_belong_to_one_user(self) -> None:
        token = login_tokens.issue(self.alice)
        self.assertFalse(login_tokens.consume(self.bob, token))

    def test_tampered_tokens_fail(self) -> None:
        token = login_tokens.issue(self.alice)
        self.assertFalse(
            login_tokens.consume(self.alice, token[:-1] + ("A" if token[-1] != "A" else "B"))
        )
        self.assertFalse(login_tokens.consume(self.alice, "garbage"))

    def test_clear(self) -> None:
        token = login_tokens.issue(self.alice)
        login_tokens.clear(self.alice)
        self.assertFalse(login_tokens.consume(self.alice, token))

    @override_settings(SITE_ROOT="https://hc.example.org")
    def test_login_url(self) -> None:
        url = login_tokens.login_url(self.alice, "/projects/x/checks/")
        prefix = f"https://hc.example.org/accounts/check_token/{self.alice.username}/"
        self.assertTrue(url.startswith(prefix))
        self.assertTrue(url.endswith("/?next=%2Fprojects%2Fx%2Fchecks%2F"))
