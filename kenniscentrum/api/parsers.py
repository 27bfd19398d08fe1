"""JSON in: DRF's parser, refusing JSON nested deeper than any request of this API needs. Deep nesting made the
decoder (and anything that walks the data after it) overflow Python's recursion limit, which answered 500."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# The deepest request (a report: body, persons, one person) has three levels; room to spare, none for abuse.
MAX_DEPTH = 10


def nested_within(data: Any, limit: int) -> bool:
    """Whether no list or object in `data` lies deeper than `limit`; walked without recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > limit:
                return False
            stack.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))
    return True


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        too_deep = ParseError(_("The JSON is nested too deeply: at most %(levels)d levels.") % {"levels": MAX_DEPTH})
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if not nested_within(data, MAX_DEPTH):
            raise too_deep
        return data
