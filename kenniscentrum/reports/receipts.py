"""Receipt codes: the reporter's only key to an anonymous report.

A code carries 60 random bits (12 characters of Crockford base32, shown in groups of four). It is
derived from the one-time token in the report form, so a double submit shows the same code again,
and only keyed hashes of the token and the code are stored: the database alone cannot give a code back.
A token sent again gives back the code only with the same content (content_digest): on a shared browser, the form
fetched again carries the spent token, and someone else's report must never get the first one's code.

The token is made by the server only: random bits sealed with a keyed MAC, so a visitor cannot choose one (and with
it a code, or another namespace's key). A report that nobody follows with a code (one from a partner's system) has
no token and no code at all.
"""

import base64
import hashlib
import hmac
import json
import secrets

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_LENGTH = 12  # 12 x 5 bits = 60 bits of entropy
# Characters people confuse when they copy a code by hand.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def _mac(purpose: str, value: str) -> bytes:
    return hmac.new(settings.RECEIPT_CODE_KEY.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).digest()


def _seal(value: str) -> str:
    return base64.urlsafe_b64encode(_mac("form-token", value)[:16]).decode().rstrip("=")


def new_submission_token() -> str:
    """A form's one-time token: 192 random bits and their seal (55 characters)."""
    value = secrets.token_urlsafe(24)
    return f"{value}.{_seal(value)}"


def successor_token(token: str, content: str) -> str:
    """The token a spent token's report with other content is stored under: derived from both with the key, so the
    same changed form sent again (a second tab, a kept copy of the page) finds its own report instead of making
    another, and nobody without the key can tell it from a new one."""
    value = base64.urlsafe_b64encode(_mac("successor", f"{token}:{content}")[:24]).decode().rstrip("=")
    return f"{value}.{_seal(value)}"


def submission_token_valid(token: str) -> bool:
    """Whether this server made the token (new_submission_token); anything a client made up is not one."""
    value, _dot, seal = token.partition(".")
    return bool(value) and hmac.compare_digest(seal.encode(), _seal(value).encode())


def content_digest(content: object) -> str:
    """A keyed hash of a submission's content (anything JSON can write, with str() for the rest): equal for a form
    sent twice unchanged, and no help to whoever reads the database in guessing what was typed."""
    canonical = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return _mac("content", canonical).hex()


def submission_digest(token: str) -> str:
    return _mac("submission", token).hex()


def code_from_token(token: str) -> str:
    """The receipt code belonging to a form token: 60 bits taken from a keyed hash of the token."""
    number = int.from_bytes(_mac("receipt", token)[:8], "big") >> 4  # 60 bits
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, 32)
        chars.append(ALPHABET[index])
    return "".join(chars)


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(raw: str) -> str | None:
    """What a person typed, as a code: spaces and dashes dropped, look-alikes fixed; None if it cannot be one."""
    code = "".join(ch for ch in raw.upper() if ch not in " -\t").translate(_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def receipt_digest(code: str) -> str:
    return _mac("lookup", code).hex()
