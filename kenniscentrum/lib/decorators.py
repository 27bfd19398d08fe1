"""The explicit list of what is public: a view is public only when it carries @public."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.http import require_POST

# Django's own marker; StaffOnlyMiddleware reads the same attribute.
public = login_not_required


def post_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view that only takes a form (POST). Marked, so a login that was interrupted on its way there returns to
    the page the form was on instead (accounts/unsent.py)."""
    wrapped = require_POST(view)
    wrapped.post_only = True  # type: ignore[attr-defined]
    return wrapped
