from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils.translation import get_language, get_language_from_path

from .sessions import session_expired, session_touch

# The staff side of the platform: its pages exist in the staff languages only.
STAFF_PATHS = ("medewerkers/", "beheer/")


def staff_side(path_info: str) -> bool:
    """Whether a path (with or without language prefix) is a staff page."""
    path = path_info.lstrip("/")
    language = get_language_from_path(path_info)
    if language and path.startswith(f"{language}/"):
        path = path[len(language) + 1 :]
    return path.startswith(STAFF_PATHS)


class StaffLanguageMiddleware:
    """/pl/medewerkers/... leads to the Dutch page: staff work in Dutch or English."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = get_language()
        if language not in settings.STAFF_LANGUAGES and staff_side(request.path_info):
            # The Dutch address is the same one without the language prefix (also for an unknown page,
            # which then gets its 404 instead of a redirect to itself).
            full_path = request.get_full_path()
            prefix = f"/{language}/"
            if full_path.startswith(prefix):
                return HttpResponseRedirect(full_path[len(prefix) - 1 :])
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages are never kept in a browser or proxy cache.

    A victim's shared phone must not show a report form or a case file from its cache, and the
    back button after a quick exit must not bring a page back without asking the server (which, after the
    quick exit, no longer knows the visit: reports.views_public.quick_exit). The public forms also carry
    autocomplete="off": otherwise Chromium fills in what was typed again when Back fetches the page anew.
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


class SessionLifetimeMiddleware:
    """Ends a session past its absolute lifetime (SESSION_ABSOLUTE_SECONDS), however recently it was used, and
    restarts the idle timer of one in use (at most once a minute)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Before AuthenticationMiddleware, so the user of an ended session is anonymous from the start.
        if session_expired(request):
            # Whose session it was, so what they were typing can be kept for them (accounts/unsent.py).
            request.ended_user_id = request.session.get(SESSION_KEY)  # type: ignore[attr-defined]
            request.session.flush()
        response = self.get_response(request)
        session_touch(request)
        return response


# The methods the platform answers; no page uses another, and OPTIONS or TRACE must not run a view
# (that would render a whole page and write an audit event for a request no browser form sends).
ALLOWED_METHODS = ("GET", "HEAD", "POST")
# The partner API takes the standard methods and answers each one an endpoint does not take with its own 405 (as
# problem details, with Allow); TRACE and CONNECT never reach it.
API_METHODS = (*ALLOWED_METHODS, "PATCH", "PUT", "DELETE", "OPTIONS")


class AllowedMethodsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        allowed = API_METHODS if request.path_info.startswith("/api/") else ALLOWED_METHODS
        if request.method not in allowed:
            return HttpResponseNotAllowed(allowed)
        return self.get_response(request)


class OwnNotFoundPageMiddleware:
    """With DEBUG on (the demo), a page that is not found is still the platform's own 404 page.

    Django's debug 404 page lists every URL pattern of the platform: a map an attacker wants, in a demo that
    may be reachable by others. Without DEBUG, Django renders 404.html itself and this does nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and response.get("Content-Type", "").startswith("text/html"):
            return render(request, "404.html", status=404)
        return response
