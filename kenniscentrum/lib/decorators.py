"""The explicit list of what is public: a view is public only when it carries @public."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.http import require_POST

# Django's own marker; StaffOnlyMiddleware reads the same attribute.
public = login_not_required


def post_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view that only takes a form (POST). Marked, so a login that was interrupted on its way there returns to
    the page the form was on instead (accounts/unsent.py)."""
    wrapped = require_POST(view)
    wrapped.post_only = True  # type: ignore[attr-defined]
    return wrapped


def allowed_when(
    rule: Callable[[Any], bool],
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A staff view for the users `rule` admits (a role rule on the user); anyone else gets 403, audited."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not rule(request.user):
                # Imported here: the audit app's models load after lib's, and lib is imported by every app.
                from kenniscentrum.audit.models import Action
                from kenniscentrum.audit.services import audit_record

                audit_record(action=Action.ACCESS_DENIED, actor=request.user, path=request.path[:200])
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
