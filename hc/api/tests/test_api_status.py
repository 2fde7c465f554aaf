"""GET /api/v{1,2,3}/status/: a liveness probe for uptime monitors (management-api §6.13)."""

from __future__ import annotations

from unittest import mock

from django.db import OperationalError
from django.test import Client

from hc.test import BaseTestCase


class StatusTestCase(BaseTestCase):
    def test_it_answers_ok_in_every_api_version_without_a_key(self) -> None:
        for version in (1, 2, 3):
            with self.subTest(version=version):
                r = self.client.get(f"/api/v{version}/status/")
                self.assert_text(r, 200, "OK")
                self.assertTrue(r["Content-Type"].startswith("text/plain"))

    def test_it_runs_one_query(self) -> None:
        with self.assertNumQueries(1):
            self.client.get("/api/v3/status/")

    def test_it_has_no_cors_headers(self) -> None:
        r = self.client.get("/api/v3/status/")
        self.assertNotIn("Access-Control-Allow-Origin", r)
        r = self.client.options("/api/v3/status/")
        self.assertNotIn("Access-Control-Allow-Origin", r)

    def test_it_ignores_an_api_key(self) -> None:
        r = self.client.get("/api/v3/status/", HTTP_X_API_KEY="x")
        self.assert_text(r, 200, "OK")

    def test_it_answers_head(self) -> None:
        r = self.client.head("/api/v3/status/")
        self.assertEqual(r.status_code, 200)

    def test_it_refuses_other_methods(self) -> None:
        for method in ("post", "put", "delete"):
            with self.subTest(method=method):
                r = getattr(self.client, method)("/api/v3/status/")
                self.assertEqual(r.status_code, 405)

    def test_a_database_failure_is_a_500(self) -> None:
        broken = mock.MagicMock()
        broken.cursor.side_effect = OperationalError("connection refused")
        client = Client(raise_request_exception=False)
        with mock.patch("hc.api.views.api_misc.connection", broken):
            r = client.get("/api/v3/status/")
        self.assertEqual(r.status_code, 500)

    def test_a_missing_trailing_slash_redirects(self) -> None:
        r = self.client.get("/api/v3/status")
        self.assertEqual(r.status_code, 301)
        self.assertEqual(r["Location"], "/api/v3/status/")

    def test_an_unknown_api_version_is_404(self) -> None:
        self.assertEqual(self.client.get("/api/v4/status/").status_code, 404)
