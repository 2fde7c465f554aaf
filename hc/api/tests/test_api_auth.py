"""Keys, CORS, methods and routing of the checks endpoints (management-api §1-§4)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.test import Client

from hc.api.models import Check
from hc.api.tests.api_checks_helpers import VERSIONS, ChecksApiTestCase

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

LEGACY_WRITE = "A" * 32
LEGACY_READ = "B" * 32


class AuthTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project, name="Backup")
        # (path, methods, method used to probe, needs a write key)
        self.endpoints = [
            ("checks/", ("GET", "POST"), "GET", False),
            ("checks/", ("GET", "POST"), "POST", True),
            (f"checks/{self.check.code}", ("GET", "POST", "DELETE"), "GET", False),
            (f"checks/{self.check.code}", ("GET", "POST", "DELETE"), "POST", True),
            (f"checks/{self.check.code}", ("GET", "POST", "DELETE"), "DELETE", True),
            (f"checks/{self.check.unique_key}", ("GET",), "GET", False),
            (f"checks/{self.check.code}/pause", ("POST",), "POST", True),
            (f"checks/{self.check.code}/resume", ("POST",), "POST", True),
        ]

    def call(self, method: str, path: str, key: str | None, version: int = 3) -> TestResponse:
        headers = {} if key is None else {"X-Api-Key": key}
        url = f"/api/v{version}/{path}"
        if method == "POST":
            return self.client.post(url, "", "application/json", headers=headers)
        return self.client.generic(method, url, headers=headers)

    def legacy_keys(self) -> None:
        self.project.api_key = LEGACY_WRITE
        self.project.api_key_readonly = LEGACY_READ
        self.project.save()

    def test_a_missing_key_is_401_everywhere(self) -> None:
        for path, methods, method, _ in self.endpoints:
            for version in VERSIONS:
                with self.subTest(path=path, method=method, version=version):
                    r = self.call(method, path, None, version)
                    self.assert_error(r, 401, "missing api key")
                    self.assert_cors(r, methods)

    def test_a_key_of_the_wrong_length_counts_as_missing(self) -> None:
        for key in ("", self.write_key[:-1], self.write_key + "x", "x"):
            for path, _, method, _ in self.endpoints:
                with self.subTest(key=key, path=path, method=method):
                    self.assert_error(self.call(method, path, key), 401, "missing api key")

    def test_an_unknown_key_is_401(self) -> None:
        for key in ("hcw_" + "x" * 28, "hcr_" + "x" * 28, "x" * 32):
            for path, _, method, _ in self.endpoints:
                with self.subTest(key=key, path=path, method=method):
                    self.assert_error(self.call(method, path, key), 401, "wrong api key")

    def test_a_key_that_shares_the_stored_prefix_but_not_the_digest_is_401(self) -> None:
        forged = self.write_key[:12] + "x" * 20
        self.assert_error(self.call("GET", "checks/", forged), 401, "wrong api key")

    def test_the_read_only_key_reads_but_cannot_write(self) -> None:
        for path, _, method, write in self.endpoints:
            with self.subTest(path=path, method=method):
                r = self.call(method, path, self.read_key)
                if write:
                    self.assert_error(r, 401, "wrong api key")
                else:
                    self.assertEqual(r.status_code, 200)
        self.assertTrue(Check.objects.filter(id=self.check.id).exists())

    def test_the_read_write_key_does_everything(self) -> None:
        for path, _, method, _ in self.endpoints:
            if method == "DELETE" or path.endswith("/resume"):
                continue
            with self.subTest(path=path, method=method):
                self.assertIn(self.call(method, path, self.write_key).status_code, (200, 201))

    def test_legacy_plain_keys_work(self) -> None:
        self.legacy_keys()
        for path, _, method, write in self.endpoints:
            if method == "DELETE":
                continue
            with self.subTest(path=path, method=method):
                r = self.call(method, path, LEGACY_READ)
                if write:
                    self.assert_error(r, 401, "wrong api key")
                else:
                    self.assertEqual(r.status_code, 200)
                    self.assertNotIn(str(self.check.code), r.content.decode())
        r = self.call("GET", f"checks/{self.check.code}", LEGACY_WRITE)
        self.assertEqual(self.json(r)["uuid"], str(self.check.code))
        self.assertEqual(
            self.call("DELETE", f"checks/{self.check.code}", LEGACY_WRITE).status_code, 200
        )

    def test_legacy_keys_are_compared_exactly(self) -> None:
        self.legacy_keys()
        self.assert_error(self.call("GET", "checks/", "a" * 32), 401, "wrong api key")

    def test_the_header_wins_over_the_body_even_when_empty(self) -> None:
        r = self.client.post(
            "/api/v3/checks/",
            {"api_key": self.write_key},
            "application/json",
            headers={"X-Api-Key": ""},
        )
        self.assert_error(r, 401, "missing api key")
        r = self.client.post(
            "/api/v3/checks/",
            {"api_key": "x"},
            "application/json",
            headers={"X-Api-Key": self.write_key},
        )
        self.assertEqual(r.status_code, 201)

    def test_the_header_name_is_case_insensitive(self) -> None:
        r = self.client.get("/api/v3/checks/", headers={"x-api-key": self.read_key})
        self.assertEqual(r.status_code, 200)

    def test_a_post_body_may_carry_the_key(self) -> None:
        for path, _, method, _ in self.endpoints:
            if method != "POST" or path.endswith("/resume"):
                continue
            with self.subTest(path=path):
                r = self.client.post(
                    f"/api/v2/{path}", {"api_key": self.write_key}, "application/json"
                )
                self.assertIn(r.status_code, (200, 201))

    def test_a_read_only_key_in_the_body_cannot_write(self) -> None:
        r = self.client.post("/api/v3/checks/", {"api_key": self.read_key}, "application/json")
        self.assert_error(r, 401, "wrong api key")

    def test_a_non_string_body_key_is_converted(self) -> None:
        for value in (12345, None, True, [1, 2], {"a": 1}):
            with self.subTest(value=value):
                r = self.client.post("/api/v3/checks/", {"api_key": value}, "application/json")
                self.assert_error(r, 401, "missing api key")
        r = self.client.post("/api/v3/checks/", {"api_key": 10**31}, "application/json")
        self.assert_error(r, 401, "wrong api key")

    def test_a_deeply_nested_body_key_is_not_an_error(self) -> None:
        body = '{"api_key": ' + "[" * 500 + "]" * 500 + "}"
        r = self.client.post("/api/v3/checks/", body, "application/json")
        self.assertEqual(r.status_code, 401)

    def test_get_and_delete_ignore_a_body_key(self) -> None:
        body = f'{{"api_key": "{self.write_key}"}}'
        for method, path in (("GET", "checks/"), ("DELETE", f"checks/{self.check.code}")):
            with self.subTest(method=method):
                r = self.client.generic(method, f"/api/v3/{path}", body, "application/json")
                self.assert_error(r, 401, "missing api key")

    def test_the_query_string_is_not_a_key(self) -> None:
        r = self.client.get(f"/api/v3/checks/?api_key={self.write_key}")
        self.assert_error(r, 401, "missing api key")

    def test_a_key_of_another_project_sees_nothing_here(self) -> None:
        r = self.call("GET", f"checks/{self.check.code}", self.charlies_key)
        self.assert_empty(r, 403)

    def test_csrf_checks_do_not_apply(self) -> None:
        client = Client(enforce_csrf_checks=True)
        r = client.post(
            "/api/v3/checks/",
            {"name": "x"},
            "application/json",
            headers={"X-Api-Key": self.write_key},
        )
        self.assertEqual(r.status_code, 201)


class CorsAndMethodsTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project)
        self.endpoints = {
            "checks/": ("GET", "POST"),
            f"checks/{self.check.code}": ("GET", "POST", "DELETE"),
            f"checks/{self.check.unique_key}": ("GET",),
            f"checks/{self.check.code}/pause": ("POST",),
            f"checks/{self.check.code}/resume": ("POST",),
        }

    def test_preflight_is_204_without_a_key(self) -> None:
        for path, methods in self.endpoints.items():
            for version in VERSIONS:
                with self.subTest(path=path, version=version):
                    r = self.client.options(f"/api/v{version}/{path}")
                    self.assert_empty(r, 204)
                    self.assert_cors(r, methods)

    def test_other_methods_are_405_with_cors_headers(self) -> None:
        for path, methods in self.endpoints.items():
            for method in ("GET", "POST", "DELETE", "PUT", "PATCH", "HEAD"):
                if method in methods:
                    continue
                with self.subTest(path=path, method=method):
                    r = self.client.generic(
                        method, f"/api/v3/{path}", headers={"X-Api-Key": self.write_key}
                    )
                    self.assert_empty(r, 405)
                    self.assert_cors(r, methods)

    def test_successful_responses_carry_cors_headers(self) -> None:
        r = self.client.get("/api/v3/checks/", headers={"X-Api-Key": self.write_key})
        self.assertEqual(r.status_code, 200)
        self.assert_cors(r, ("GET", "POST"))
        self.assertEqual(r["Content-Type"], "application/json")

    def test_errors_carry_cors_headers(self) -> None:
        r = self.post("checks/", {"timeout": 1})
        self.assertEqual(r.status_code, 400)
        self.assert_cors(r, ("GET", "POST"))
        r = self.get(f"checks/{uuid.uuid4()}")
        self.assertEqual(r.status_code, 404)
        self.assert_cors(r, ("GET", "POST", "DELETE"))


class RoutingTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.check = Check.objects.create(project=self.project)

    def test_a_missing_slash_on_checks_is_a_permanent_redirect(self) -> None:
        for method in ("GET", "POST", "DELETE", "OPTIONS"):
            for version in VERSIONS:
                with self.subTest(method=method, version=version):
                    r = self.client.generic(method, f"/api/v{version}/checks")
                    self.assertEqual(r.status_code, 301)
                    self.assertEqual(r["Location"], f"/api/v{version}/checks/")

    def test_the_redirect_keeps_the_query_string(self) -> None:
        r = self.client.get("/api/v3/checks?tag=prod&slug=x")
        self.assertEqual(r.status_code, 301)
        self.assertEqual(r["Location"], "/api/v3/checks/?tag=prod&slug=x")

    def test_a_trailing_slash_on_single_check_urls_is_404(self) -> None:
        for path in (
            f"checks/{self.check.code}/",
            f"checks/{self.check.unique_key}/",
            f"checks/{self.check.code}/pause/",
            f"checks/{self.check.code}/resume/",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.get(path).status_code, 404)
                self.assertEqual(self.post(path, {}).status_code, 404)

    def test_unknown_versions_are_404(self) -> None:
        for version in (0, 4, 10):
            with self.subTest(version=version):
                self.assertEqual(self.get("checks/", version=version).status_code, 404)

    def test_an_uppercase_uuid_is_404(self) -> None:
        path = f"checks/{str(self.check.code).upper()}"
        self.assertEqual(self.get(path).status_code, 404)
        self.assertEqual(self.post(path + "/pause").status_code, 404)

    def test_malformed_ids_are_404(self) -> None:
        for path in (
            "checks/abc",
            "checks/" + "g" * 40,
            "checks/" + "a" * 39,
            "checks/" + "a" * 41,
        ):
            with self.subTest(path=path):
                self.assertEqual(self.get(path).status_code, 404)
