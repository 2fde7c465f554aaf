"""The TV dashboard (web spec §11.5) and the sender's vCard (§11.6).

The TV page is a static shell: the browser reads read-only API keys from the
URL fragment (never sent to us) and asks the Management API for the checks.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def tv(request: HttpRequest) -> HttpResponse:
    return render(request, "front/tv.html")


def _vcard_value(value: str) -> str:
    """Escape a vCard text value (RFC 6350 §3.4)."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


@require_safe
def contact_vcf(request: HttpRequest) -> HttpResponse:
    """The address alerts come from, for people to add to their address book."""
    name = _vcard_value(settings.SITE_NAME)
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{name}", f"N:{name};;;;", f"ORG:{name}"]
    lines.append(f"EMAIL;TYPE=INTERNET:{_vcard_value(settings.DEFAULT_FROM_EMAIL)}")
    if settings.TWILIO_FROM:
        number = settings.TWILIO_FROM.removeprefix("whatsapp:")
        lines.append(f"TEL;TYPE=CELL:{_vcard_value(number)}")
    lines.append(f"URL:{_vcard_value(settings.SITE_ROOT)}")
    lines.append("END:VCARD")
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="contact.vcf"'
    return response
