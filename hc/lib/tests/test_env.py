from __future__ import annotations

import os
import tempfile
from typing import Any
from unittest import TestCase, mock

from django.core.exceptions import ImproperlyConfigured

from hc.lib.env import env_bool, env_int, env_list, env_secret, env_str


def environ(**values: str) -> Any:
    return mock.patch.dict(os.environ, values)


class EnvBoolTestCase(TestCase):
    def test_it_accepts_exactly_true_and_false(self) -> None:
        with environ(X_FLAG="True"):
            self.assertIs(env_bool("X_FLAG", False), True)
        with environ(X_FLAG="False"):
            self.assertIs(env_bool("X_FLAG", True), False)

    def test_it_treats_empty_as_false(self) -> None:
        with environ(X_FLAG=""):
            self.assertIs(env_bool("X_FLAG", True), False)

    def test_it_uses_the_default_when_unset(self) -> None:
        self.assertIs(env_bool("X_UNSET_FLAG", True), True)

    def test_it_rejects_other_spellings_naming_the_variable(self) -> None:
        for value in ["true", "1", "yes", "TRUE", " True"]:
            with (
                self.subTest(value=value),
                environ(X_FLAG=value),
                self.assertRaisesRegex(ImproperlyConfigured, "X_FLAG"),
            ):
                env_bool("X_FLAG", False)


class EnvIntTestCase(TestCase):
    def test_it_reads_decimal_integers(self) -> None:
        with environ(X_NUM="12000"):
            self.assertEqual(env_int("X_NUM", 5), 12000)

    def test_it_reads_none_as_no_limit(self) -> None:
        with environ(X_NUM="None"):
            self.assertIsNone(env_int("X_NUM", 5))

    def test_it_rejects_garbage_naming_the_variable(self) -> None:
        for value in ["10kB", "1e3", "0x10", "ten"]:
            with (
                self.subTest(value=value),
                environ(X_NUM=value),
                self.assertRaisesRegex(ImproperlyConfigured, "X_NUM"),
            ):
                env_int("X_NUM", 5)


class EnvSecretTestCase(TestCase):
    def test_it_prefers_the_file_and_strips_whitespace(self) -> None:
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write("  from-file\n")
        with environ(X_SECRET="from-env", X_SECRET_FILE=f.name):
            self.assertEqual(env_secret("X_SECRET"), "from-file")
        os.unlink(f.name)

    def test_it_reads_the_variable_without_a_file(self) -> None:
        with environ(X_SECRET="from-env", X_SECRET_FILE=""):
            self.assertEqual(env_secret("X_SECRET"), "from-env")

    def test_it_rejects_an_unreadable_file(self) -> None:
        with (
            environ(X_SECRET_FILE="/nonexistent/secret"),
            self.assertRaisesRegex(ImproperlyConfigured, "X_SECRET_FILE"),
        ):
            env_secret("X_SECRET")


class EnvListTestCase(TestCase):
    def test_it_splits_and_trims(self) -> None:
        with environ(X_LIST=" a.example.org, ,b.example.org "):
            self.assertEqual(env_list("X_LIST"), ["a.example.org", "b.example.org"])

    def test_env_str_returns_default_only_when_unset(self) -> None:
        with environ(X_STR=""):
            self.assertEqual(env_str("X_STR", "default"), "")
        self.assertEqual(env_str("X_UNSET_STR", "default"), "default")
