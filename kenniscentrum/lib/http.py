"""Answers several apps' views share."""

from typing import NoReturn

from django.http import Http404, HttpRequest

from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record


def not_found(request: HttpRequest) -> NoReturn:
    """Not found, or not for this user: the same answer, and the attempt is audited."""
    audit_record(action=Action.ACCESS_DENIED, actor=request.user, path=request.path[:200])
    raise Http404
