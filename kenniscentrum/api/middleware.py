"""Under /api/ every error is problem details, also those answered before a view of the API runs (a body too large,
a method no endpoint takes, a CSRF refusal of the catch-all, a server error): the pages' HTML never reaches a
client that asked the API."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from .problems import PROBLEM, problem

API_PREFIX = "/api/"


class ApiProblemMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith((PROBLEM, "application/json")):
            return response
        body = problem(response.status_code, _("The request could not be handled."), request.path)
        problem_response = JsonResponse(body, status=response.status_code, content_type=PROBLEM)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                problem_response[header] = response[header]
        return problem_response
