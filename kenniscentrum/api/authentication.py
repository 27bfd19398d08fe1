"""`Authorization: Bearer <token>`: the only way into the API. No session and no cookie is read or made."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .services import token_for


class BearerToken(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != b"bearer" or len(header) != 2:
            raise AuthenticationFailed(_("Send the token as 'Authorization: Bearer <token>'."))
        token = token_for(header[1].decode("ascii", errors="replace"))
        if token is None:
            raise AuthenticationFailed(_("The token is unknown, expired or revoked."))
        return token.client.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="kenniscentrum"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the schema names the authentication: HTTP bearer."""

    target_class = BearerToken
    name = "bearer"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}


class HasScope(BasePermission):
    """The view names the scope each method needs (`scopes`); the client's token must carry it."""

    def has_permission(self, request: Request, view: Any) -> bool:
        needed = view.scopes.get(request.method if request.method != "HEAD" else "GET")
        if needed is None:
            return True  # a method the endpoint does not take: it answers 405 itself
        if needed not in request.auth.client.scopes:
            raise PermissionDenied(_("This client has no permission for this (scope %(scope)s).") % {"scope": needed})
        return True
