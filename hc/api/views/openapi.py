"""GET /api/v3/openapi.json: the OpenAPI document (no key needed, CORS for any origin)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from hc.api.access import add_cors
from hc.api.openapi import document_json

METHODS = ("GET",)


@csrf_exempt
def openapi_document(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
    elif request.method not in METHODS:
        response = HttpResponseNotAllowed([*METHODS, "OPTIONS"])
    else:
        response = HttpResponse(document_json(), content_type="application/json")
    return add_cors(response, METHODS)
