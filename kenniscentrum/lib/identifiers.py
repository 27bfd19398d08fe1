"""The kinds of identifier and how each is normalised, so that format variants of one value are one identifier.

A value that does not validate (a wrong IBAN checksum, a phone number too short) can still be kept, as text: it then
matches only the same text, and the page says why it was not recognised. Each kind uses a well-kept library where one
exists (phonenumbers, python-stdnum); see docs/dependencies.md.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn

from kenniscentrum.lib.region import iso_codes, localised, region


class IdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("E-mail address")
    IBAN = "iban", _("Bank account (IBAN)")
    PLATE = "plate", _("Licence plate")
    PASSPORT = "passport", _("Passport or identity card number")
    BSN = "bsn", _("Citizen service number (BSN)")
    ADDRESS = "address", _("Address")
    WEB = "web", _("Website, advert or profile")
    VEHICLE = "vehicle", _("Vehicle")


@dataclass(frozen=True)
class Normalised:
    value: str
    # False: kept as text, matching only the same text; `problem` says why it was not recognised.
    valid: bool = True
    problem: str | Promise = ""


def as_text(text: str) -> str:
    """The fallback for a value that does not validate: spaces collapsed, upper case, so typing spaces or case
    differently still finds it."""
    return " ".join(text.split()).upper()[:200]


def phone(text: str, **extra: Any) -> Normalised:
    """E.164 (+31612345678); without a country code a number is Dutch."""
    try:
        number = phonenumbers.parse(text, "NL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        return Normalised(as_text(text), False, _("This is not a phone number we recognise; it is kept as text."))
    return Normalised(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def email(text: str, **extra: Any) -> Normalised:
    """Trimmed and lower-cased; no folding per provider (dots in a Gmail address stay)."""
    value = text.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        return Normalised(as_text(text), False, _("This is not an e-mail address; it is kept as text."))
    return Normalised(value)


def iban(text: str, **extra: Any) -> Normalised:
    try:
        return Normalised(stdnum_iban.validate(text))
    except StdnumError:
        return Normalised(as_text(text), False, _("This IBAN's check digits are wrong; it is kept as text."))


# The Dutch licence plate side codes (RDW): L a letter, D a digit, in groups.
SIDE_CODES = [
    "LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL", "DD-LLL-D",
    "D-LLL-DD", "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL", "D-LL-DDD", "DDD-LL-D",
]  # fmt: skip
_SIDE_CODE_PATTERNS = [
    (re.compile("^" + "".join("[A-Z]" if c == "L" else "[0-9]" for c in code.replace("-", "")) + "$"), code)
    for code in SIDE_CODES
]


def plate(text: str, **extra: Any) -> Normalised:
    """Upper case with the side code's dashes: "12 abc 3", "12-ABC-3" and "12ABC3" are one plate."""
    compact = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    for pattern, code in _SIDE_CODE_PATTERNS:
        if pattern.match(compact):
            parts, start = [], 0
            for group in code.split("-"):
                parts.append(compact[start : start + len(group)])
                start += len(group)
            return Normalised("-".join(parts))
    return Normalised(as_text(text), False, _("This is not a Dutch licence plate; it is kept as text."))


def passport(text: str, country: str = "", **extra: Any) -> Normalised:
    """The issuing country and the number: "NL:NX12AB345"."""
    number = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    country = country.strip().upper()
    if country not in iso_codes()["countries"]:
        return Normalised(as_text(text), False, _("Give the issuing country; without it the number is kept as text."))
    if not 5 <= len(number) <= 20:
        return Normalised(as_text(text), False, _("This is not a document number we recognise; it is kept as text."))
    return Normalised(f"{country}:{number}")


def bsn(text: str, **extra: Any) -> Normalised:
    try:
        return Normalised(stdnum_bsn.validate(text))
    except StdnumError:
        return Normalised(as_text(text), False, _("This is not a valid BSN (the eleven test fails); kept as text."))


POSTCODE = re.compile(r"\b([1-9][0-9]{3})\s?([A-Za-z]{2})\b")
HOUSE_NUMBER = re.compile(r"\b([0-9]{1,5})(?:\s*[-/ ]?\s*([A-Za-z]{1,2}|[0-9]{1,4})\b)?")


def address(text: str, postcode: str = "", house_number: str = "", **extra: Any) -> Normalised:
    """Postcode and house number (with its addition): "7511AB 12-A". Given apart, or found in one line of text
    ("Hoofdstraat 12a, 7511 AB Enschede"); street and place stay as typed, with the sighting."""
    line = f"{postcode} {house_number}" if postcode else text
    found = POSTCODE.search(line)
    rest = house_number or (POSTCODE.sub(" ", line) if found else "")
    number = HOUSE_NUMBER.search(rest) if found else None
    if found is None or number is None:
        return Normalised(as_text(text or line), False, _("Without a postcode and house number the address is kept as "
                                                          "text."))  # fmt: skip
    code = f"{found.group(1)}{found.group(2).upper()}"
    addition = (number.group(2) or "").upper()
    return Normalised(f"{code} {number.group(1)}" + (f"-{addition}" if addition else ""))


def web(text: str, **extra: Any) -> Normalised:
    """Host and path, without scheme, "www.", query or trailing slash: "https://www.Example.nl/ad/12?x=1" is
    "example.nl/ad/12". A profile typed as "@name" is kept as "@name"."""
    value = text.strip()
    if re.fullmatch(r"@[\w.]{2,60}", value):
        return Normalised(value.lower())
    parts = urlsplit(value if "://" in value else f"https://{value}")
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    if "." not in host or " " in value:
        return Normalised(as_text(text), False, _("This is not a web address or a profile; it is kept as text."))
    return Normalised(f"{host}{parts.path.rstrip('/')}")


def vehicle(text: str, **extra: Any) -> Normalised:
    """A description ("white van, Polish plates"): spaces collapsed and lower case."""
    return Normalised(" ".join(text.split()).lower()[:200])


NORMALISE: dict[str, Callable[..., Normalised]] = {
    IdentifierKind.PHONE: phone,
    IdentifierKind.EMAIL: email,
    IdentifierKind.IBAN: iban,
    IdentifierKind.PLATE: plate,
    IdentifierKind.PASSPORT: passport,
    IdentifierKind.BSN: bsn,
    IdentifierKind.ADDRESS: address,
    IdentifierKind.WEB: web,
    IdentifierKind.VEHICLE: vehicle,
}

# What a reporter may give on the public form; a BSN or a document number is for staff only.
PUBLIC_KINDS = [IdentifierKind.PHONE, IdentifierKind.ADDRESS, IdentifierKind.WEB, IdentifierKind.PLATE,
                IdentifierKind.EMAIL]  # fmt: skip
# Shown masked, every view audited, and recorded only with a legal basis (processing a BSN needs one).
MASKED_KINDS = frozenset({IdentifierKind.BSN})


def region_kinds() -> list[dict[str, Any]]:
    """Kinds a region adds as data (region file `linking.extra_kinds`: code, names per language, source); their
    values are kept as text."""
    return list(region().get("linking", {}).get("extra_kinds", []))


def kinds() -> list[tuple[str, str]]:
    """Every kind, the law's and the region's, with its name in the current language."""
    extra = [(k["code"], localised(k["names"])) for k in region_kinds()]
    return [(code, str(label)) for code, label in IdentifierKind.choices] + extra


def kind_name(code: str) -> str:
    return dict(kinds()).get(code, code)


def normalise(kind: str, text: str, **extra: Any) -> Normalised:
    """The identifier's value for `text` of `kind`; a region's own kinds are kept as text."""
    if not text.strip() and not extra.get("postcode"):
        raise ValidationError(_("Give a value."))
    function = NORMALISE.get(kind)
    if function is None:
        if kind not in dict(kinds()):
            raise ValidationError(_("Choose a kind from the list."))
        return Normalised(as_text(text))
    return function(text, **extra)


def masked(kind: str, value: str) -> str:
    """What a page shows of a value: all of it, or for a BSN only its last three digits."""
    return f"••••••{value[-3:]}" if kind in MASKED_KINDS else value
