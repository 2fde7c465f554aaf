"""Inbound delivery feedback: status callbacks and bounces (integrations spec §2.11).

Senders (Twilio, mail relays) retry on anything but success, so these
answer 200 whatever they make of the request.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import QueryDict
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hc.api.services.delivery_feedback import (
    BounceResult,
    do_record_bounce,
    do_record_delivery_status,
)
from hc.lib.bounces import local_part_id, parse_report, unsign_bounce_id

TRUTHY = frozenset({"1", "true", "True", "yes", "on"})
# Twilio's final states that mean the message or call never arrived.
FAILED_MESSAGE_STATUSES = frozenset({"failed", "undelivered"})
FAILED_CALL_STATUSES = frozenset({"failed"})


def _status_error(form: QueryDict) -> tuple[str, bool]:
    """The error to store ("" for none) and whether to disable the channel."""
    error = form.get("error", "")
    mark_disabled = bool(error) and form.get("mark_disabled", "") in TRUTHY
    message_status = form.get("MessageStatus", "")
    if message_status in FAILED_MESSAGE_STATUSES:
        error = f"Delivery failed (status={message_status})."
    call_status = form.get("CallStatus", "")
    if call_status in FAILED_CALL_STATUSES:
        error = f"Delivery failed (status={call_status})."
    return error, mark_disabled


@csrf_exempt
@require_POST
def notification_status(request: HttpRequest, v: str, code: str) -> HttpResponse:
    try:
        notification_code = uuid.UUID(code)
    except ValueError:
        # Not one of ours, like an unknown notification.
        return HttpResponse()
    error, mark_disabled = _status_error(request.POST)
    if error:
        do_record_delivery_status(notification_code, error, mark_disabled=mark_disabled)
    return HttpResponse()


@csrf_exempt
@require_POST
def bounces(request: HttpRequest, v: str) -> HttpResponse:
    report = parse_report(request.body)
    signed = local_part_id(report.to, settings.EMAIL_MAIL_FROM_TMPL)
    bounce_id = unsign_bounce_id(signed) if report.to else None
    if bounce_id is None:
        result = BounceResult.BAD_SIGNATURE
    else:
        result = do_record_bounce(bounce_id, report)
    return HttpResponse(result.value, content_type="text/plain")
