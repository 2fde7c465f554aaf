"""The report unsubscribe link (web §3.11): a confirmation page and one-click POST."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from hc.accounts.unsubscribe import do_unsubscribe_reports, read_token


# Mail clients send RFC 8058 one-click POSTs without a CSRF token; the signed
# link is the credential.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_reports(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        token = read_token(signed)
    except signing.BadSignature:
        return render(request, "accounts/unsubscribe_bad_link.html", status=400)

    if request.method == "POST":
        do_unsubscribe_reports(token.username)
        return render(request, "accounts/unsubscribed.html")

    if not User.objects.filter(username=token.username).exists():
        # The account is gone: nothing will be sent to it any more.
        return render(request, "accounts/unsubscribed.html")
    # A mail scanner fetches links right after delivery and must not
    # unsubscribe anyone; a person opening an older email needs no second click.
    context = {"autosubmit": not token.fresh}
    return render(request, "accounts/unsubscribe_reports.html", context)
