"""Assertions shared by the Management API tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hc.test import BaseTestCase

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "X-Api-Key",
    "Access-Control-Max-Age": "600",
}


class ApiAssertions(BaseTestCase):
    def assert_empty(self, response: TestResponse, status: int) -> None:
        self.assertEqual(response.status_code, status)
        self.assertEqual(response.content, b"")

    def assert_error(self, response: TestResponse, status: int, message: str) -> None:
        self.assertEqual(response.status_code, status)
        self.assertEqual(self.json(response), {"error": message})

    def assert_cors(self, response: TestResponse, methods: tuple[str, ...]) -> None:
        for header, value in CORS.items():
            self.assertEqual(response[header], value)
        allowed = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
        self.assertEqual(allowed, {*methods, "OPTIONS"})
