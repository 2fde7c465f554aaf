"""The base of every HTTP-speaking transport (integrations spec §2.4-§2.6)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings

from hc.integrations.transport import Transport, TransportError
from hc.lib import curl

if TYPE_CHECKING:
    from hc.api.models import Notification


class HttpTransport(Transport):
    @classmethod
    def raise_for_response(cls, response: curl.Response) -> None:
        """Raise TransportError when `response` means the delivery failed.

        Subclasses override this to add detail from the body or to mark an
        error permanent (which also stops the retries).
        """
        if not response.ok:
            raise TransportError(f"Received status code {response.status}")

    @classmethod
    def _worth_retrying(cls, response: curl.Response) -> bool:
        try:
            cls.raise_for_response(response)
        except TransportError as e:
            return not e.permanent
        return False

    def request(
        self,
        method: str,
        url: str,
        *,
        notification: Notification,
        retry: bool = True,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | str | bytes | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        auth: curl.Auth | None = None,
    ) -> curl.Response:
        """Send with the alert retry policy; TransportError on failure.

        Test sends and `retry=False` make a single attempt; otherwise up to
        INTEGRATIONS_HTTP_TRIES attempts on network errors and on failing
        responses that are not permanent errors.
        """
        single = not retry or self.is_test(notification)
        try:
            response = curl.request(
                method,
                url,
                params=params,
                data=data,
                json=json,
                headers=headers,
                auth=auth,
                tries=1 if single else settings.INTEGRATIONS_HTTP_TRIES,
                retry_if=self._worth_retrying,
            )
        except curl.CurlError as e:
            raise TransportError(e.message) from e
        self.raise_for_response(response)
        return response

    def get(self, url: str, *, notification: Notification, **kwargs: Any) -> curl.Response:
        return self.request("GET", url, notification=notification, **kwargs)

    def post(self, url: str, *, notification: Notification, **kwargs: Any) -> curl.Response:
        return self.request("POST", url, notification=notification, **kwargs)

    def put(self, url: str, *, notification: Notification, **kwargs: Any) -> curl.Response:
        return self.request("PUT", url, notification=notification, **kwargs)
