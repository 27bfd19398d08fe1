from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware


class NoStoreMiddleware:
    """Pages are never kept in a browser or proxy cache.

    A victim's shared phone must not show a report form or a case file from its cache, and the
    back button after a quick exit must not bring a page back without asking the server.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store, private"
        return response


class CsrfMiddleware(CsrfViewMiddleware):
    """Django's CSRF protection, made to work with `Referrer-Policy: no-referrer`.

    Under that policy browsers send `Origin: null` with every form POST, which Django would reject.
    A null origin is accepted only when the browser itself says the request came from this site
    (`Sec-Fetch-Site: same-origin`, a header that no page can set). The CSRF token is checked as always.
    """

    def _origin_verified(self, request: HttpRequest) -> bool:
        if request.META.get("HTTP_ORIGIN") == "null" and request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin":
            return True
        # A private method of Django's, so the type stubs do not know it.
        return bool(super()._origin_verified(request))  # type: ignore[misc]
