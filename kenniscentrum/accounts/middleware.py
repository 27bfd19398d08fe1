from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from kenniscentrum.lib.auth import two_factor_verified

from .unsent import ended_session_user, keep_unsent


class StaffOnlyMiddleware:
    """Every view needs a user who passed both factors, unless the view is marked @public.

    This is the single place that decides what is public; tests enumerate every URL against it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not getattr(view_func, "login_required", True):
            return None
        user = request.user
        if two_factor_verified(user):
            return None
        if user.is_authenticated:
            # A session that somehow lacks the second factor is not a staff session.
            logout(request)
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        ended_user = ended_session_user(request)
        if ended_user is None and request.method != "POST":
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        # The session ended: say so on the login page, keep what was typed, and come back to the form's page
        # (not to an address that only takes a form, which would answer 405).
        return redirect_to_login(keep_unsent(request, ended_user), settings.LOGIN_URL)
