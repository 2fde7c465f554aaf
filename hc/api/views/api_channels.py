"""Management API: integrations (list; in v3 also create, get, update, delete).

`GET channels/` is management-api §6.11 in every version. API v3 adds
`POST channels/` and `GET|POST|DELETE channels/<uuid>`; on v1 and v2
`channels/` stays read-only (POST there is 405) and the detail URL does not
exist. Bodies: hc.api.channel_bodies; state changes: hc.api.services.channels.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from hc.api.access import ApiRequest, api_view, error
from hc.api.channel_bodies import ChannelInputError, parse_create, parse_update
from hc.api.models import Channel
from hc.api.serializers import channel_to_dict
from hc.api.services.channels import do_create_channel, do_delete_channel, do_update_channel


@csrf_exempt
def channels(request: HttpRequest, v: str) -> HttpResponse:
    if v == "3":
        return _channels_v3(request, v=v)
    return _channels_v1_v2(request, v=v)


def _list(request: ApiRequest) -> HttpResponse:
    rows = Channel.objects.filter(project=request.project).order_by("id")
    items = [
        {"id": str(code), "name": name, "kind": kind}
        for code, name, kind in rows.values_list("code", "name", "kind")
    ]
    return JsonResponse({"channels": items})


_channels_v1_v2 = api_view({"GET": "write"})(_list)


@api_view({"GET": "write", "POST": "write"})
def _channels_v3(request: ApiRequest) -> HttpResponse:
    if request.http.method == "POST":
        return _create(request)
    return _list(request)


@api_view({"GET": "read", "POST": "write", "DELETE": "write"})
def single(request: ApiRequest, code: str) -> HttpResponse:
    channel = Channel.objects.filter(code=code).first()
    if channel is None:
        return error("not found", 404)
    if channel.project_id != request.project.id:
        # Empty, as for a check of another project.
        return HttpResponse(status=403)
    if request.http.method == "POST":
        return _update(request, channel)
    if request.http.method == "DELETE":
        if not do_delete_channel(channel):
            return error("not found", 404)
        return HttpResponse(status=204)
    return _channel_response(request, channel)


def _create(request: ApiRequest) -> HttpResponse:
    try:
        parsed = parse_create(request.body)
        channel = do_create_channel(request.project, parsed.kind, parsed.name, parsed.fields)
    except ChannelInputError as e:
        return error(e.message)
    return _channel_response(request, channel, status=201)


def _update(request: ApiRequest, channel: Channel) -> HttpResponse:
    try:
        parsed = parse_update(request.body, channel)
        updated = do_update_channel(channel, parsed.name, parsed.fields)
    except ChannelInputError as e:
        return error(e.message)
    if updated is None:
        return error("not found", 404)
    return _channel_response(request, updated)


def _channel_response(request: ApiRequest, channel: Channel, status: int = 200) -> JsonResponse:
    return JsonResponse(channel_to_dict(channel, readonly=request.readonly), status=status)
