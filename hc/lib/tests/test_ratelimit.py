"""Token buckets (monitoring spec §10.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import TestCase, override_settings

from hc.api.models import TokenBucket
from hc.lib.ratelimit import authorize, hashed, level

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class AuthorizeTestCase(TestCase):
    def authorize_at(self, offset: float, key: str = "k", force: bool = False) -> bool:
        with time_machine.travel(NOW + timedelta(seconds=offset), tick=False):
            return authorize(key, 3, 60, force=force)

    def tokens(self, key: str = "k") -> float:
        return TokenBucket.objects.get(value=key).tokens

    def test_a_new_key_starts_full_and_spends_one_share(self) -> None:
        self.assertTrue(self.authorize_at(0))
        bucket = TokenBucket.objects.get(value="k")
        self.assertAlmostEqual(bucket.tokens, 2 / 3)
        self.assertEqual(bucket.updated, NOW)

    def test_it_allows_a_burst_of_capacity_then_denies(self) -> None:
        results = [self.authorize_at(0) for _ in range(4)]
        self.assertEqual(results, [True, True, True, False])

    def test_a_denied_attempt_spends_nothing(self) -> None:
        for _ in range(3):
            self.authorize_at(0)
        self.assertFalse(self.authorize_at(10))
        bucket = TokenBucket.objects.get(value="k")
        self.assertAlmostEqual(bucket.tokens, 0.0)
        self.assertEqual(bucket.updated, NOW)
        # 20 s refill exactly one operation's worth since the last saved spend.
        self.assertTrue(self.authorize_at(20))

    def test_it_refills_continuously(self) -> None:
        for _ in range(3):
            self.authorize_at(0)
        self.assertFalse(self.authorize_at(19))
        self.assertTrue(self.authorize_at(20))
        self.assertFalse(self.authorize_at(20))

    def test_the_refill_stops_at_a_full_bucket(self) -> None:
        self.authorize_at(0)
        self.authorize_at(3600)
        self.assertAlmostEqual(self.tokens(), 2 / 3)

    def test_a_clock_going_backwards_does_not_drain_the_bucket(self) -> None:
        self.authorize_at(0)
        self.authorize_at(-3600)
        self.assertAlmostEqual(self.tokens(), 1 / 3)

    def test_forced_spends_are_recorded_past_empty(self) -> None:
        results = [self.authorize_at(0, force=True) for _ in range(5)]
        self.assertEqual(results, [True] * 5)
        self.assertAlmostEqual(self.tokens(), -2 / 3)

    def test_keys_are_independent(self) -> None:
        for _ in range(3):
            self.authorize_at(0, key="a")
        self.assertFalse(self.authorize_at(0, key="a"))
        self.assertTrue(self.authorize_at(0, key="b"))

    def test_a_key_over_80_characters_is_refused(self) -> None:
        self.assertTrue(self.authorize_at(0, key="x" * 80))
        with self.assertRaises(ValueError):
            self.authorize_at(0, key="x" * 81)


class LevelTestCase(TestCase):
    def test_an_unused_key_is_full(self) -> None:
        self.assertEqual(level("nothing", 60), 1.0)
        self.assertFalse(TokenBucket.objects.exists())

    def test_it_reads_the_refilled_level_without_spending(self) -> None:
        with time_machine.travel(NOW, tick=False):
            for _ in range(3):
                authorize("k", 3, 60)
        with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
            self.assertAlmostEqual(level("k", 60), 0.5)
            self.assertAlmostEqual(level("k", 60), 0.5)
        self.assertAlmostEqual(TokenBucket.objects.get(value="k").tokens, 0.0)


class HashedTestCase(TestCase):
    def test_it_is_a_stable_digest_that_depends_on_the_secret_key(self) -> None:
        first = hashed("alice@example.org")
        self.assertEqual(len(first), 40)
        self.assertNotIn("alice", first)
        self.assertEqual(hashed("alice@example.org"), first)
        self.assertNotEqual(hashed("bob@example.org"), first)
        with override_settings(SECRET_KEY="another-secret-key-of-sufficient-length"):
            self.assertNotEqual(hashed("alice@example.org"), first)
