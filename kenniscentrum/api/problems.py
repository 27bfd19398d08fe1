"""Errors as RFC 9457 problem details (`application/problem+json`), as the Dutch API Design Rules ask, with the
fields that were wrong in `invalidParams` (the NL API Strategy's extension). Messages in Dutch or English, after
Accept-Language."""

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def _flat(detail: Any, name: str = "") -> list[dict[str, str]]:
    """DRF's nested error detail as a list of {name, code, reason}; the name is the field's path (persons.0.role)."""
    if isinstance(detail, dict):
        return [item for key, value in detail.items() for item in _flat(value, f"{name}.{key}" if name else str(key))]
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [{"name": name or "body", "code": getattr(item, "code", "invalid"), "reason": str(item)}
                    for item in detail]  # fmt: skip
        return [item for i, value in enumerate(detail) for item in _flat(value, f"{name}.{i}" if name else str(i))]
    return [{"name": name or "body", "code": getattr(detail, "code", "invalid"), "reason": str(detail)}]


def problem(status_code: int, detail: str, instance: str, **extra: Any) -> dict[str, Any]:
    return {"type": "about:blank", "title": TITLES.get(status_code, "Error"), "status": status_code,
            "detail": detail, "instance": instance, **extra}  # fmt: skip


def problem_handler(exc: Exception, context: dict[str, Any]) -> Response:
    request = context["request"]
    if isinstance(exc, DjangoValidationError):
        # A rule of the domain (a step that is not possible now, a covenant that does not allow it).
        exc = ValidationError({"body": exc.messages})
    if isinstance(exc, RequestDataTooBig):
        # Refused from its Content-Length, unread: no request of this API comes near the ceiling.
        detail = _("The body is larger than this API takes: at most %(size)d MB.") % {
            "size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        }
        return Response(problem(413, detail, request.path), status=413, content_type=PROBLEM)
    response = exception_handler(exc, context)
    if response is None:
        log.exception("API call failed: %s %s", request.method, request.path)
        body = problem(500, _("Something went wrong on our side. Nothing was changed; try again later."), request.path)
        return Response(body, status=500, content_type=PROBLEM)
    if isinstance(exc, ValidationError):
        body = problem(400, _("The request has fields that are missing or wrong."), request.path,
                       invalidParams=_flat(exc.detail))  # fmt: skip
    else:
        detail = exc.detail if isinstance(exc, APIException) else str(exc)
        body = problem(response.status_code, str(detail), request.path)
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Allow", "Retry-After")}
    return Response(body, status=response.status_code, headers=headers, content_type=PROBLEM)


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any address under /api/ that is not an endpoint."""
    body = problem(status.HTTP_404_NOT_FOUND, _("There is no such address in this API."), request.path)
    return JsonResponse(body, status=404, content_type=PROBLEM)
