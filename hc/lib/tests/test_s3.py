"""Object storage of ping bodies (monitoring spec §8.3), against real servers.

Most tests talk to a real SeaweedFS S3 server (hc/test_s3.py). Failures that
SeaweedFS cannot be asked to produce (InternalError, counted requests for the
circuit breaker) come from the loopback receiver answering like S3 would.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import time_machine
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import timezone
from minio.error import S3Error

from hc.api.models import TokenBucket
from hc.lib import s3
from hc.test_receiver import Answer, Receiver
from hc.test_s3 import S3Server, free_ports


def s3_error(code: str, status: int = 500) -> Answer:
    """An S3 error response, as S3 servers write them."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Error><Code>{code}</Code><Message>{code} happened</Message>"
        "<Resource>/bucket/key</Resource><RequestId>1</RequestId></Error>"
    ).encode()
    return Answer(status, body, {"Content-Type": "application/xml"})


def receiver_settings(receiver: Receiver, **overrides: Any) -> dict[str, Any]:
    values = {
        "S3_ENDPOINT": receiver.base_url.removeprefix("http://"),
        "S3_ACCESS_KEY": "key",
        "S3_SECRET_KEY": "secret",
        "S3_REGION": "us-east-1",
        "S3_BUCKET": "bucket",
        "S3_SECURE": False,
        "S3_TIMEOUT": 5,
    }
    values.update(overrides)
    return values


def dead_endpoint() -> str:
    """A loopback address where nothing listens: storage that is down."""
    return f"127.0.0.1:{free_ports(1)[0]}"


class KeysTestCase(SimpleTestCase):
    def test_the_examples_of_the_spec(self) -> None:
        examples = {
            0: "zj-0",
            1: "zi-1",
            9: "za-9",
            10: "yij-10",
            100: "xijj-100",
            123: "xihg-123",
            2147483647: "qhifcfbgdfc-2147483647",
        }
        for n, expected in examples.items():
            with self.subTest(n=n):
                self.assertEqual(s3.sortable_n(n), expected)

    def test_larger_numbers_sort_earlier(self) -> None:
        numbers = list(range(1, 2500))
        by_key = sorted(numbers, key=s3.sortable_n)
        self.assertEqual(by_key, sorted(numbers, reverse=True))

    def test_the_key_is_the_check_uuid_and_the_sortable_number(self) -> None:
        code = uuid.UUID("c2d41e8a-6b0f-4f3e-9a77-1d5b8e2c4f60")
        self.assertEqual(s3.object_key(code, 42), f"{code}/yfh-42")

    def test_negative_numbers_are_refused(self) -> None:
        with self.assertRaises(ValueError):
            s3.sortable_n(-1)

    def test_check_prefixes_are_recognised(self) -> None:
        code = uuid.uuid4()
        self.assertEqual(s3.check_code_of(f"{code}/"), code)
        self.assertEqual(s3.check_code_of(f"{str(code).upper()}/"), code)
        for foreign in (str(code), f"{code}x/", "backups/", f"{code.hex}/", "x/"):
            with self.subTest(prefix=foreign):
                self.assertIsNone(s3.check_code_of(foreign))


class EnabledTestCase(SimpleTestCase):
    @override_settings(S3_BUCKET=None)
    def test_it_is_off_without_a_bucket(self) -> None:
        self.assertFalse(s3.enabled())

    @override_settings(S3_BUCKET="pings")
    def test_it_is_on_with_a_bucket(self) -> None:
        self.assertTrue(s3.enabled())

    @override_settings(S3_BUCKET="pings", S3_ENDPOINT=None)
    def test_a_missing_endpoint_is_a_storage_error(self) -> None:
        with self.assertRaises(s3.errors()):
            s3.client()


class StorageTestCase(TestCase):
    server: S3Server

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.server = cls.enterClassContext(S3Server())

    def setUp(self) -> None:
        super().setUp()
        self.enterContext(override_settings(**self.server.settings()))
        self.code = uuid.uuid4()

    def keys(self) -> list[str]:
        return self.server.keys(f"{self.code}/")

    def numbers(self) -> list[int]:
        return sorted(int(key.rsplit("-", 1)[1]) for key in self.keys())

    def store(self, *numbers: int, code: uuid.UUID | None = None) -> None:
        for n in numbers:
            s3.put_object(code or self.code, n, f"body {n}".encode())

    def test_a_body_goes_in_and_comes_out(self) -> None:
        body = bytes(range(256)) * 4
        s3.put_object(self.code, 7, body)
        self.assertEqual(self.keys(), [f"{self.code}/zc-7"])
        self.assertEqual(self.server.read(f"{self.code}/zc-7"), body)
        self.assertEqual(s3.get_object(self.code, 7), body)

    def test_a_missing_object_is_no_body_and_no_failure(self) -> None:
        self.assertIsNone(s3.get_object(self.code, 1))
        self.assertFalse(TokenBucket.objects.exists())

    def test_wrong_credentials_make_the_body_unavailable(self) -> None:
        s3.put_object(self.code, 1, b"x" * 101)
        with (
            override_settings(S3_SECRET_KEY="not-the-secret"),
            self.assertRaises(s3.BodyUnavailable),
            self.assertLogs("hc.lib.s3", "WARNING"),
        ):
            s3.get_object(self.code, 1)
        bucket = TokenBucket.objects.get(value="s3_get_object_error")
        self.assertAlmostEqual(bucket.tokens, 2 / 3)

    def test_storage_that_is_down_makes_the_body_unavailable(self) -> None:
        with (
            override_settings(S3_ENDPOINT=dead_endpoint()),
            self.assertRaises(s3.BodyUnavailable),
            self.assertLogs("hc.lib.s3", "WARNING"),
        ):
            s3.get_object(self.code, 1)
        self.assertTrue(TokenBucket.objects.filter(value="s3_get_object_error").exists())

    def test_an_upload_to_storage_that_is_down_raises(self) -> None:
        with override_settings(S3_ENDPOINT=dead_endpoint()), self.assertRaises(s3.errors()):
            s3.put_object(self.code, 1, b"x" * 101)

    def test_it_removes_bodies_up_to_n_across_digit_counts(self) -> None:
        self.store(1, 2, 9, 10, 11, 99, 100, 101, 102, 1000)
        self.assertEqual(s3.remove_objects(self.code, 100), 0)
        self.assertEqual(self.numbers(), [101, 102, 1000])

    def test_the_boundary_is_inclusive(self) -> None:
        self.store(4, 5, 6)
        s3.remove_objects(self.code, 5)
        self.assertEqual(self.numbers(), [6])

    def test_nothing_is_removed_up_to_zero_or_below(self) -> None:
        self.store(1, 2)
        for upto_n in (0, -5):
            with self.subTest(upto_n=upto_n):
                self.assertEqual(s3.remove_objects(self.code, upto_n), 0)
                self.assertEqual(self.numbers(), [1, 2])

    def test_other_checks_are_untouched(self) -> None:
        other = uuid.uuid4()
        self.store(1, 2)
        self.store(1, 2, code=other)
        s3.remove_objects(self.code, 2)
        self.assertEqual(self.keys(), [])
        self.assertEqual(len(self.server.keys(f"{other}/")), 2)

    def test_more_than_one_batch_is_removed(self) -> None:
        # Over 1000 keys: S3 lists and deletes at most 1000 per request.
        self.server.write_many(self.code, range(1, 1102))
        s3.remove_objects(self.code, 1100)
        self.assertEqual(self.numbers(), [1101])

    def test_storage_errors_are_logged_not_raised(self) -> None:
        with (
            override_settings(S3_ENDPOINT=dead_endpoint()),
            self.assertLogs("hc.lib.s3", "WARNING") as logs,
        ):
            self.assertEqual(s3.remove_objects(self.code, 10), 1)
        self.assertIn(str(self.code), logs.output[0])


class FakeStorageTestCase(TestCase):
    """Against the loopback receiver, which can say anything S3 might."""

    receiver: Receiver

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.receiver = cls.enterClassContext(Receiver())

    def setUp(self) -> None:
        super().setUp()
        self.receiver.requests.clear()
        self.receiver.answers.clear()
        self.enterContext(override_settings(**receiver_settings(self.receiver)))
        self.code = uuid.uuid4()

    def test_an_internal_error_on_upload_is_retried(self) -> None:
        self.receiver.script(s3_error("InternalError"), s3_error("InternalError"), 200)
        with self.assertLogs("hc.lib.s3", "WARNING"):
            s3.put_object(self.code, 1, b"x" * 101)
        puts = [r for r in self.receiver.requests if r.method == "PUT"]
        self.assertEqual(len(puts), 3)
        self.assertEqual(puts[-1].route, f"/bucket/{self.code}/zi-1")
        self.assertEqual(puts[-1].body, b"x" * 101)

    def test_the_upload_gives_up_after_ten_retries(self) -> None:
        self.receiver.script(*[s3_error("InternalError") for _ in range(12)])
        with self.assertRaises(S3Error) as raised, self.assertLogs("hc.lib.s3", "WARNING"):
            s3.put_object(self.code, 1, b"x" * 101)
        self.assertEqual(raised.exception.code, "InternalError")
        self.assertEqual(len(self.receiver.requests), 11)

    def test_other_upload_errors_are_not_retried(self) -> None:
        self.receiver.script(s3_error("AccessDenied", 403))
        with self.assertRaises(S3Error) as raised:
            s3.put_object(self.code, 1, b"x" * 101)
        self.assertEqual(raised.exception.code, "AccessDenied")
        self.assertEqual(len(self.receiver.requests), 1)

    def test_three_failed_reads_open_the_breaker_for_about_20_seconds(self) -> None:
        self.receiver.script(*[s3_error("InternalError") for _ in range(4)])
        start = timezone.now()

        def read_at(seconds: float) -> None:
            with (
                time_machine.travel(start + timedelta(seconds=seconds), tick=False),
                self.assertRaises(s3.BodyUnavailable),
            ):
                s3.get_object(self.code, 1)

        with self.assertLogs("hc.lib.s3", "WARNING"):
            for _ in range(3):
                read_at(0)
        self.assertEqual(len(self.receiver.requests), 3)

        # Open: storage is not asked at all.
        read_at(0)
        read_at(19.9)
        self.assertEqual(len(self.receiver.requests), 3)

        # 20 s refill a third of a token: storage is tried again.
        with self.assertLogs("hc.lib.s3", "WARNING"):
            read_at(20)
        self.assertEqual(len(self.receiver.requests), 4)

    def test_the_breaker_closes_for_good_once_storage_answers(self) -> None:
        self.receiver.script(*[s3_error("InternalError") for _ in range(3)])
        start = timezone.now()
        with self.assertLogs("hc.lib.s3", "WARNING"):
            for second in (0, 1, 2):
                with time_machine.travel(start + timedelta(seconds=second), tick=False):
                    self.assertRaises(s3.BodyUnavailable, s3.get_object, self.code, 1)
        self.receiver.script(Answer(200, b"the body"), Answer(200, b"again"))
        with time_machine.travel(start + timedelta(seconds=30), tick=False):
            self.assertEqual(s3.get_object(self.code, 1), b"the body")
            self.assertEqual(s3.get_object(self.code, 1), b"again")
