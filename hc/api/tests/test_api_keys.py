from __future__ import annotations

from hc.api.access import find_project
from hc.test import BaseTestCase


class LegacyKeyTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.project.api_key = "W" * 32
        self.project.api_key_readonly = "R" * 32
        self.project.save()

    def test_legacy_keys_match_exactly(self) -> None:
        self.assertEqual(find_project("W" * 32, write=True), (self.project, False))
        self.assertEqual(find_project("R" * 32, write=False), (self.project, True))

    def test_legacy_keys_are_case_sensitive_on_every_database(self) -> None:
        # MariaDB's default collation would match these with a plain "=".
        self.assertIsNone(find_project("w" * 32, write=True))
        self.assertIsNone(find_project("r" * 32, write=False))

    def test_a_read_only_legacy_key_cannot_write(self) -> None:
        self.assertIsNone(find_project("R" * 32, write=True))
