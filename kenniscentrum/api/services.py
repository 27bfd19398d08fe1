"""API clients and their tokens: made, issued and revoked by functional administrators, every step audited."""

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from kenniscentrum.accounts.models import Role, User, UserRole
from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.organisations.models import Organisation
from kenniscentrum.reports.models import Report

from .models import ApiClient, ApiToken, IdempotencyKey

TOKEN_DAYS = 365
TOKEN_PREFIX = re.compile(r"[0-9a-f]{12}")
PREFIX = "kc"


def _digest(token: str) -> str:
    # The token carries 256 random bits: a plain SHA-256 cannot be reversed or guessed, so no slow hash is needed.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def client_create(*, name: str, organisation: Organisation, scopes: list[str], actor: User) -> ApiClient:
    """A client with its own account: a partner user of `organisation` that cannot log in to the pages."""
    user = User(username=f"api-{secrets.token_hex(6)}", first_name=name[:150], organisation=organisation)
    user.set_unusable_password()
    user.save()
    UserRole.objects.create(user=user, role=Role.PARTNER)
    client = ApiClient.objects.create(name=name, organisation=organisation, user=user, scopes=sorted(set(scopes)))
    audit_record(action=Action.API_CLIENT_CHANGED, actor=actor, obj=client, operation="add",
                 organisation=organisation.pk, scopes=client.scopes)  # fmt: skip
    return client


@transaction.atomic
def client_change(*, client: ApiClient, name: str, scopes: list[str], actor: User) -> ApiClient:
    """A client's new name and scopes; its tokens carry the new scopes from their next call."""
    before = ApiClient.objects.select_for_update().get(pk=client.pk)
    client.name, client.scopes = name, sorted(set(scopes))
    client.save(update_fields=["name", "scopes"])
    audit_record(action=Action.API_CLIENT_CHANGED, actor=actor, obj=client, operation="change",
                 scopes=client.scopes, scopes_before=before.scopes, renamed=before.name != client.name)  # fmt: skip
    return client


@transaction.atomic
def client_revoke(*, client: ApiClient, actor: User) -> None:
    now = timezone.now()
    client.revoked_at = now
    client.save(update_fields=["revoked_at"])
    client.tokens.filter(revoked_at=None).update(revoked_at=now)
    User.objects.filter(pk=client.user_id).update(is_active=False)
    audit_record(action=Action.API_CLIENT_CHANGED, actor=actor, obj=client, operation="revoke")


@transaction.atomic
def token_issue(*, client: ApiClient, actor: User, days: int = TOKEN_DAYS) -> tuple[str, ApiToken]:
    """A new token for `client`; the text is returned once and never stored."""
    prefix = secrets.token_hex(6)
    token = f"{PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    record = ApiToken.objects.create(
        client=client, prefix=prefix, digest=_digest(token), expires_at=timezone.now() + timedelta(days=days)
    )
    audit_record(action=Action.API_CLIENT_CHANGED, actor=actor, obj=client, operation="token_issued",
                 token=prefix, expires=record.expires_at.date().isoformat())  # fmt: skip
    return token, record


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(action=Action.API_CLIENT_CHANGED, actor=actor, obj=token.client, operation="token_revoked",
                 token=token.prefix)  # fmt: skip


def token_for(text: str) -> ApiToken | None:
    """The usable token this text is, or None: unknown, wrong, expired, revoked, its client revoked, or its
    organisation inactive."""
    parts = text.split("_", 2)  # the secret itself may hold "_"
    # The prefix is 12 hexadecimal characters (token_issue): anything else is not looked up at all.
    if len(parts) != 3 or parts[0] != PREFIX or not TOKEN_PREFIX.fullmatch(parts[1]):
        return None
    token = (
        ApiToken.objects.select_related("client__user__organisation", "client__organisation")
        .filter(prefix=parts[1])
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(text)) or not token.usable:
        return None
    # The client acts as an account of its organisation: the pages' rule on accounts holds (User.may_act).
    if not token.client.user.may_act:
        return None
    if token.last_used_at is None or token.last_used_at < timezone.now() - timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


class KeyReused(Exception):
    """The client sent an Idempotency-Key it used before, with another body."""


def body_digest(data: Any) -> str:
    """The SHA-256 of a parsed JSON body, the same for the same content however it was spaced or ordered."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def report_submit_once(*, client: ApiClient, key: str, body: str, submit: Callable[[], Report]) -> tuple[Report, bool]:
    """The report `client` stored under `key` (and False), or a new one from `submit` (and True); the same key with
    another body raises KeyReused, so a reused key is never answered with someone else's report."""
    # One keyed submission of a client at a time: a retry sent while the first is still being stored waits here,
    # then finds its key (without the lock both would store a report and one would fail on the unique key).
    ApiClient.objects.select_for_update().get(pk=client.pk)
    entry = IdempotencyKey.objects.filter(client=client, key=key).select_related("report").first()
    if entry is not None:
        if not hmac.compare_digest(entry.body_digest, body):
            raise KeyReused
        return entry.report, False
    report = submit()
    IdempotencyKey.objects.create(client=client, key=key, body_digest=body, report=report)
    return report, True
