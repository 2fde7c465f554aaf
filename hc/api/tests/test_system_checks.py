from __future__ import annotations

from django.test import SimpleTestCase, override_settings

from hc.api.system_checks import check_settings


def ids() -> set[str]:
    return {message.id or "" for message in check_settings()}


@override_settings(
    SITE_ROOT="https://hc.example.org",
    ALLOWED_HOSTS=["hc.example.org"],
    EMAIL_HOST="smtp.example.org",
    SECURE_PROXY_SSL_HEADER=None,
    TIME_ZONE="UTC",
    APPRISE_ENABLED=False,
)
class SystemChecksTestCase(SimpleTestCase):
    def test_a_good_configuration_passes(self) -> None:
        self.assertEqual(ids(), set())

    @override_settings(SITE_ROOT="hc.example.org")
    def test_it_warns_about_site_root_without_scheme(self) -> None:
        self.assertIn("hc.W001", ids())

    @override_settings(ALLOWED_HOSTS=["other.example.org"])
    def test_it_fails_when_site_root_host_is_not_allowed(self) -> None:
        self.assertIn("hc.E001", ids())

    @override_settings(ALLOWED_HOSTS=["*"])
    def test_it_accepts_wildcard_allowed_hosts(self) -> None:
        self.assertNotIn("hc.E001", ids())

    @override_settings(EMAIL_HOST="")
    def test_it_warns_when_smtp_is_not_configured(self) -> None:
        self.assertIn("hc.W002", ids())

    @override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO",))
    def test_it_warns_about_a_malformed_proxy_header(self) -> None:
        self.assertIn("hc.W003", ids())

    @override_settings(TIME_ZONE="Europe/Riga")
    def test_it_fails_when_time_zone_is_not_utc(self) -> None:
        self.assertIn("hc.E002", ids())

    @override_settings(APPRISE_ENABLED=True, INTEGRATIONS_ALLOW_PRIVATE_IPS=False)
    def test_it_warns_that_apprise_ignores_the_private_ip_guard(self) -> None:
        self.assertIn("hc.W004", ids())
