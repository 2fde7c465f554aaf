"""The vCard of the sender identity (web spec §11.6)."""

from __future__ import annotations

from django.test import override_settings

from hc.test import BaseTestCase


class ContactVcfTestCase(BaseTestCase):
    @override_settings(
        SITE_NAME="Acme Monitoring",
        SITE_ROOT="https://hc.example.org",
        DEFAULT_FROM_EMAIL="alerts@example.org",
        TWILIO_FROM="+15555550123",
    )
    def test_it_returns_a_vcard_with_name_email_phone_and_url(self) -> None:
        response = self.client.get("/contact.vcf")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/vcard"))
        lines = response.content.decode().split("\r\n")
        self.assertEqual(lines[0], "BEGIN:VCARD")
        self.assertEqual(lines[1], "VERSION:3.0")
        self.assertIn("FN:Acme Monitoring", lines)
        self.assertIn("EMAIL;TYPE=INTERNET:alerts@example.org", lines)
        self.assertIn("TEL;TYPE=CELL:+15555550123", lines)
        self.assertIn("URL:https://hc.example.org", lines)
        self.assertEqual(lines[-2:], ["END:VCARD", ""])

    @override_settings(TWILIO_FROM=None)
    def test_it_leaves_out_the_phone_without_an_sms_sender(self) -> None:
        response = self.client.get("/contact.vcf")
        self.assertNotContains(response, "TEL")

    @override_settings(SITE_NAME="Smith, Jones; and \\ Co")
    def test_it_escapes_special_characters(self) -> None:
        response = self.client.get("/contact.vcf")
        self.assertContains(response, "FN:Smith\\, Jones\\; and \\\\ Co\r\n")

    def test_it_is_anonymous_and_get_only(self) -> None:
        self.assertEqual(self.client.get("/contact.vcf").status_code, 200)
        self.assertEqual(self.client.post("/contact.vcf").status_code, 405)
