from typing import Any

from django.http import HttpRequest

from .unsent import unsent_for


def unsent(request: HttpRequest) -> dict[str, Any]:
    """The form a worker was sending when their session ended, on the page it belongs to (accounts/unsent.py)."""
    user = getattr(request, "user", None)
    kept = unsent_for(request) if user is not None and user.is_authenticated else None
    if kept is None:
        return {"unsent": None, "unsent_texts": []}
    # Only what a person typed is shown in the notice; choices and hidden values are filled in silently.
    texts = [value for values in kept["fields"].values() for value in values if len(value) > 20]
    return {"unsent": {"action": kept["action"], "fields": kept["fields"]}, "unsent_texts": texts}
