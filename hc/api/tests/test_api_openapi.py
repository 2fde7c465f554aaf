"""GET /api/v3/openapi.json, the document behind it, and the bugs fuzzing it found.

The document (hc.api.openapi) must cover every v3 route, take its request
schema from `CheckBody`, and describe real responses precisely: the
conformance tests below validate what the views answer against it, the way
scripts/schemathesis-run does against a live server.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs
from django.test import override_settings
from django.urls import Resolver404, resolve

from hc.accounts.services import do_issue_api_key
from hc.api import urls as api_urls
from hc.api.models import Channel, Check
from hc.api.openapi import build_document
from hc.api.schemas import CheckBody
from hc.api.tests.api_checks_helpers import ChecksApiTestCase

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

UNIQUE_KEY_OF_A_UUID = "a" * 40
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Operations the issue asks for, by operationId.
REQUIRED_OPERATIONS = {
    "listChecks",
    "createCheck",
    "getCheck",
    "updateCheck",
    "deleteCheck",
    "pauseCheck",
    "resumeCheck",
    "listPings",
    "getPingBody",
    "listFlips",
    "listChannels",
    "listBadges",
    "getStatus",
    "getMetrics",
}


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, item[method])
        for path, item in document["paths"].items()
        for method in HTTP_METHODS
        if method in item
    ]


class OpenApiTestCase(ChecksApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.document = build_document()

    def fetch(self) -> dict[str, Any]:
        r = self.client.get("/api/v3/openapi.json")
        self.assertEqual(r.status_code, 200)
        document: dict[str, Any] = self.json(r)
        return document


class DocumentTestCase(OpenApiTestCase):
    def test_it_is_served_as_json_without_a_key_with_cors(self) -> None:
        r = self.client.get("/api/v3/openapi.json")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r["Content-Type"], "application/json")
        self.assertEqual(r["Access-Control-Allow-Origin"], "*")
        document = json.loads(r.content)
        self.assertEqual(document["openapi"], "3.1.0")
        self.assertEqual(document, self.document)

    def test_preflight_and_other_methods(self) -> None:
        r = self.client.options("/api/v3/openapi.json")
        self.assert_empty(r, 204)
        self.assert_cors(r, ("GET",))
        r = self.client.post("/api/v3/openapi.json")
        self.assertEqual(r.status_code, 405)
        self.assertEqual(r["Allow"], "GET, OPTIONS")
        self.assert_cors(r, ("GET",))

    def test_it_exists_for_v3_only(self) -> None:
        for version in (1, 2):
            r = self.client.get(f"/api/v{version}/openapi.json")
            self.assertEqual(r.status_code, 404)

    @override_settings(SITE_ROOT="https://hc.example.org")
    def test_the_server_is_site_root(self) -> None:
        self.assertEqual(self.fetch()["servers"], [{"url": "https://hc.example.org/api/v3"}])

    def test_request_schema_is_check_body(self) -> None:
        schemas = self.document["components"]["schemas"]
        self.assertEqual(schemas["CheckBody"], CheckBody.model_json_schema())
        ref = {"$ref": "#/components/schemas/CheckBody"}
        for path, method in (("/checks/", "post"), ("/checks/{check}", "post")):
            body = self.document["paths"][path][method]["requestBody"]
            self.assertEqual(body["content"]["application/json"]["schema"], ref)

    def test_it_has_the_required_operations(self) -> None:
        ids = [operation["operationId"] for _, _, operation in operations(self.document)]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertLessEqual(REQUIRED_OPERATIONS, set(ids))

    def test_every_v3_route_is_documented(self) -> None:
        """Each API route of hc.api.urls is reached by some documented path, and vice versa."""
        routed = {p.callback for p in api_urls.urlpatterns if str(p.pattern).startswith("^api/")}
        documented = set()
        for path in self.document["paths"]:
            for check in (str(uuid.uuid4()), UNIQUE_KEY_OF_A_UUID):
                concrete = path.format(code=uuid.uuid4(), check=check, n=1)
                try:
                    documented.add(resolve("/api/v3" + concrete).func)
                except Resolver404:
                    self.assertIn("{code}", path)  # a unique key does not fit there
        self.assertEqual(documented, routed)

    def test_every_operation_has_security_and_responses(self) -> None:
        schemes = self.document["components"]["securitySchemes"]
        self.assertEqual(schemes["ApiKey"]["name"], "X-Api-Key")
        self.assertEqual(schemes["MetricsKey"]["name"], "X-Metrics-Key")
        for path, method, operation in operations(self.document):
            with self.subTest(path=path, method=method):
                self.assertIn("security", operation)
                self.assertTrue(operation["responses"])
                needs_key = any("ApiKey" in s for s in operation["security"])
                self.assertEqual("401" in operation["responses"], needs_key)
                for name in operation["security"]:
                    self.assertLessEqual(set(name), set(schemes))

    def test_documented_status_codes(self) -> None:
        expected = {
            ("/checks/", "get"): {"200", "401"},
            ("/checks/", "post"): {"200", "201", "400", "401", "403"},
            ("/checks/{check}", "get"): {"200", "401", "403", "404"},
            ("/checks/{check}", "post"): {"200", "400", "401", "403", "404", "405"},
            ("/checks/{check}", "delete"): {"200", "401", "403", "404", "405"},
            ("/checks/{check}", "options"): {"204", "404"},
            ("/checks/{code}/pause", "post"): {"200", "400", "401", "403", "404"},
            ("/checks/{code}/resume", "post"): {"200", "400", "401", "403", "404", "409"},
            ("/checks/{code}/pings/", "get"): {"200", "401", "403", "404"},
            ("/checks/{code}/pings/{n}/body", "get"): {"200", "401", "403", "404", "503"},
            ("/checks/{check}/flips/", "get"): {"200", "400", "401", "403", "404"},
            ("/channels/", "get"): {"200", "401"},
            ("/badges/", "get"): {"200", "401"},
            ("/metrics/", "get"): {"200", "403"},
            ("/checks", "get"): {"301"},
        }
        for (path, method), statuses in expected.items():
            with self.subTest(path=path, method=method):
                operation = self.document["paths"][path][method]
                self.assertEqual(set(operation["responses"]), statuses)


class ConformanceTestCase(OpenApiTestCase):
    """Real responses validate against the document; wrong shapes do not."""

    def setUp(self) -> None:
        super().setUp()
        self.channel = Channel.objects.create(project=self.project, kind="email", name="Ops")
        self.simple = Check.objects.create(project=self.project, name="Simple", tags="a b")
        self.simple.channel_set.add(self.channel)
        r = self.post("checks/", {"name": "Cron", "schedule": "0 3 * * *", "tz": "Europe/Kiev"})
        self.cron = Check.objects.get(code=r.json()["uuid"])
        rid = uuid.uuid4()
        for suffix, body in (("/start", ""), ("", "done"), ("/log", "\xff"), ("/fail", "")):
            r = self.client.post(f"/ping/{self.simple.code}{suffix}?rid={rid}", body, "text/plain")
            self.assertEqual(r.status_code, 200)
            time.sleep(0.002)  # distinct times, so durations are non-zero
        self.client.post(f"/ping/{self.cron.code}/start")

    def schema_for(self, path: str, method: str, response: TestResponse) -> dict[str, Any]:
        operation = self.document["paths"][path][method]
        documented = operation["responses"][str(response.status_code)]
        media_type = response["Content-Type"].split(";")[0]
        schema: dict[str, Any] = documented["content"][media_type]["schema"]
        for name, header in documented.get("headers", {}).items():
            if header["required"]:
                self.assertIn(name, response.headers)
        return schema

    def validator(self, schema: dict[str, Any]) -> Any:
        root = {**schema, "components": self.document["components"]}
        return jsonschema_rs.validator_for(root, validate_formats=True)

    def assert_conforms(self, path: str, method: str, response: TestResponse) -> Any:
        data = response.json()
        self.validator(self.schema_for(path, method, response)).validate(data)
        return data

    def ref(self, name: str) -> Any:
        return self.validator({"$ref": f"#/components/schemas/{name}"})

    def test_checks_in_both_views(self) -> None:
        for key in (self.write_key, self.read_key):
            with self.subTest(readonly=key == self.read_key):
                data = self.assert_conforms("/checks/", "get", self.get("checks/", key=key))
                self.assertEqual(len(data["checks"]), 2)
                for check in (self.simple, self.cron):
                    for ident in (str(check.code), check.unique_key):
                        r = self.get(f"checks/{ident}", key=key)
                        self.assert_conforms("/checks/{check}", "get", r)

    def test_check_changes(self) -> None:
        code = self.simple.code
        self.assert_conforms("/checks/{code}/pause", "post", self.post(f"checks/{code}/pause"))
        r = self.post(f"checks/{code}/resume")
        self.assert_conforms("/checks/{code}/resume", "post", r)
        r = self.post(f"checks/{code}", {"timeout": 60, "channels": ""})
        self.assert_conforms("/checks/{check}", "post", r)
        r = self.post("checks/", {"name": "Cron", "unique": ["name"], "schedule": "0 4 * * *"})
        self.assertEqual(r.status_code, 200)
        self.assert_conforms("/checks/", "post", r)
        self.assert_conforms("/checks/{check}", "delete", self.delete(f"checks/{code}"))

    def test_pings_flips_channels_badges(self) -> None:
        r = self.get(f"checks/{self.simple.code}/pings/")
        pings = self.assert_conforms("/checks/{code}/pings/", "get", r)["pings"]
        self.assertEqual([p["type"] for p in pings], ["fail", "log", "success", "start"])
        self.assertIn("duration", pings[2])
        self.assertIsNotNone(pings[2]["body_url"])
        self.post(f"checks/{self.cron.code}/pause")
        r = self.get(f"checks/{self.cron.unique_key}/flips/", key=self.read_key)
        flips = self.assert_conforms("/checks/{check}/flips/", "get", r)["flips"]
        self.assertEqual(len(flips), 1)
        r = self.get("channels/")
        self.assert_conforms("/channels/", "get", r)
        r = self.get("badges/", key=self.read_key)
        self.assertEqual(set(self.assert_conforms("/badges/", "get", r)["badges"]), {"a", "b", "*"})

    @override_settings(METRICS_KEY="s3cr3t")
    def test_metrics(self) -> None:
        r = self.client.get("/api/v3/metrics/", headers={"X-Metrics-Key": "s3cr3t"})
        self.assert_conforms("/metrics/", "get", r)

    def test_errors(self) -> None:
        r = self.post("checks/", {"timeout": 1})
        self.assert_conforms("/checks/", "post", r)
        r = self.get("checks/", key="")
        self.assert_conforms("/checks/", "get", r)

    def test_the_check_schemas_are_strict(self) -> None:
        full = self.get(f"checks/{self.simple.code}").json()
        readonly = self.get(f"checks/{self.simple.code}", key=self.read_key).json()
        self.assertTrue(self.ref("Check").is_valid(full))
        self.assertTrue(self.ref("ReadOnlyCheck").is_valid(readonly))
        # The read-only view must not reveal the UUID.
        self.assertFalse(self.ref("ReadOnlyCheck").is_valid({**readonly, "uuid": full["uuid"]}))
        self.assertFalse(self.ref("AnyCheck").is_valid({**full, "unique_key": "0" * 40}))
        # Simple checks have a timeout, cron checks a schedule and tz; never both.
        self.assertFalse(self.ref("Check").is_valid({**full, "schedule": "* * * * *", "tz": "UTC"}))
        without_timeout = {k: v for k, v in full.items() if k != "timeout"}
        self.assertFalse(self.ref("Check").is_valid(without_timeout))
        # Check times have whole seconds, in UTC; null where the contract says so.
        self.assertFalse(self.ref("Check").is_valid({**full, "last_ping": "2026-01-01T00:00:00Z"}))
        self.assertTrue(self.ref("Check").is_valid({**full, "last_ping": None}))
        self.assertFalse(self.ref("Check").is_valid({**full, "n_pings": None}))
        missing_name = {k: v for k, v in full.items() if k != "name"}
        self.assertFalse(self.ref("Check").is_valid(missing_name))


class RegressionTestCase(ChecksApiTestCase):
    """Bugs found while fuzzing the API with scripts/schemathesis-run."""

    def test_405_names_the_allowed_methods(self) -> None:
        # schemathesis unsupported_method: RFC 9110 requires Allow on a 405.
        check = Check.objects.create(project=self.project)
        endpoints = {
            "checks/": "GET, POST, OPTIONS",
            f"checks/{check.code}": "GET, POST, DELETE, OPTIONS",
            f"checks/{check.unique_key}": "GET, OPTIONS",
            f"checks/{check.code}/pause": "POST, OPTIONS",
            f"checks/{check.code}/flips/": "GET, OPTIONS",
            "channels/": "GET, POST, OPTIONS",
            "badges/": "GET, OPTIONS",
        }
        for path, allow in endpoints.items():
            with self.subTest(path=path):
                r = self.client.generic("TRACE", f"/api/v3/{path}")
                self.assert_empty(r, 405)
                self.assertEqual(r["Allow"], allow)

    def test_a_key_with_a_nul_character_is_a_wrong_key(self) -> None:
        # Was a 500 on PostgreSQL, which refuses NUL in text parameters.
        for i, key in enumerate(("hcw_" + "\x00" * 28, "hcr_" + "\x00" * 28, "\x00" * 32)):
            with self.subTest(key=i):
                r = self.get("checks/", key=key)
                self.assert_error(r, 401, "wrong api key")

    def test_a_body_key_with_a_lone_surrogate_is_a_wrong_key(self) -> None:
        # Was a 500 on every database: the key could not be encoded.
        for i, key in enumerate(("hcw_\ud800" + "a" * 27, "\udfff" * 32)):
            # Not the key itself: xdist cannot report a lone surrogate.
            with self.subTest(key=i):
                r = self.client.post(
                    "/api/v3/checks/", json.dumps({"api_key": key}), "application/json"
                )
                self.assert_error(r, 401, "wrong api key")
        self.assertFalse(Check.objects.exists())

    def test_a_prometheus_key_with_a_nul_character_is_refused(self) -> None:
        do_issue_api_key(self.project, readonly=True)
        url = f"/projects/{self.project.code}/metrics/"
        r = self.client.get(url + "hcr_" + "%00" * 28)
        self.assertEqual(r.status_code, 403)
        r = self.client.get(url, headers={"Authorization": "Bearer hcr_" + "\x00" * 28})
        self.assertEqual(r.status_code, 403)

    def test_the_uwsgi_socket_can_be_replaced(self) -> None:
        # UWSGI_HTTP_SOCKET used to add a socket to the file's 127.0.0.1:8000
        # instead of replacing it: the Docker image (UWSGI_HTTP_SOCKET=:8000)
        # could not bind, and a server on another port also took port 8000.
        ini = Path(__file__).resolve().parents[3] / "docker" / "uwsgi.ini"
        lines = [line.strip() for line in ini.read_text().splitlines()]
        sockets = [i for i, line in enumerate(lines) if line.startswith("http-socket")]
        self.assertEqual(len(sockets), 1)
        self.assertEqual(lines[sockets[0] - 1], "if-not-env = UWSGI_HTTP_SOCKET")
        self.assertEqual(lines[sockets[0] + 1], "endif =")
