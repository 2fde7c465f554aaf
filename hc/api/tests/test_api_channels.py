"""GET /api/v{1,2,3}/channels/: the project's integrations (management-api §6.11)."""

from __future__ import annotations

from hc.api.models import Channel, ChannelKind
from hc.api.tests.api_misc_helpers import ApiTestCase, EndpointContract


class ChannelsTestCase(ApiTestCase):
    def path(self) -> str:
        return "channels/"


class ChannelsContractTestCase(EndpointContract, ChannelsTestCase):
    access = "write"
    # API v3 also creates integrations here: see test_api_channels_manage.py,
    # which also covers POST on v1 and v2 (405).
    methods = ("GET", "POST")

    def test_other_methods_are_not_allowed(self) -> None:
        for method in ("put", "patch", "delete", "head"):
            with self.subTest(method=method):
                r = getattr(self.client, method)("/api/v3/channels/", HTTP_X_API_KEY=self.write_key)
                self.assert_empty(r, 405)
                self.assert_cors(r, self.methods)


class ChannelsListingTestCase(ChannelsTestCase):
    def test_it_lists_nothing_for_a_project_without_integrations(self) -> None:
        r = self.api_get("channels/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(self.json(r), {"channels": []})

    def test_it_lists_id_name_and_kind_of_each_integration(self) -> None:
        slack = Channel.objects.create(
            project=self.project, kind=ChannelKind.SLACK, name="Ops Slack"
        )
        email = Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL)
        r = self.api_get("channels/")
        self.assertEqual(
            self.json(r),
            {
                "channels": [
                    {"id": str(slack.code), "name": "Ops Slack", "kind": "slack"},
                    {"id": str(email.code), "name": "", "kind": "email"},
                ]
            },
        )

    def test_every_kind_is_reported_by_its_wire_name(self) -> None:
        for kind in ChannelKind:
            Channel.objects.create(project=self.project, kind=kind)
        kinds = [item["kind"] for item in self.json(self.api_get("channels/"))["channels"]]
        self.assertEqual(sorted(kinds), sorted(kind.value for kind in ChannelKind))
        self.assertEqual(len(kinds), 29)

    def test_disabled_integrations_are_listed_too(self) -> None:
        Channel.objects.create(project=self.project, kind=ChannelKind.WEBHOOK, disabled=True)
        self.assertEqual(len(self.json(self.api_get("channels/"))["channels"]), 1)

    def test_it_lists_only_the_keys_project(self) -> None:
        Channel.objects.create(project=self.charlies_project, kind=ChannelKind.EMAIL)
        self.assertEqual(self.json(self.api_get("channels/")), {"channels": []})

    def test_it_never_reveals_integration_settings(self) -> None:
        Channel.objects.create(
            project=self.project, kind=ChannelKind.WEBHOOK, config={"url": "https://s3cret"}
        )
        r = self.api_get("channels/")
        self.assertNotIn(b"s3cret", r.content)

    def test_it_answers_in_every_api_version(self) -> None:
        Channel.objects.create(project=self.project, kind=ChannelKind.EMAIL)
        for version in (1, 2, 3):
            with self.subTest(version=version):
                r = self.api_get("channels/", version=version)
                self.assertEqual(len(self.json(r)["channels"]), 1)

    def test_a_missing_trailing_slash_redirects(self) -> None:
        r = self.api_get("channels")
        self.assertEqual(r.status_code, 301)
        self.assertEqual(r["Location"], "/api/v3/channels/")
