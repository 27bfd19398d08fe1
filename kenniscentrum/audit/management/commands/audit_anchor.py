"""Writes the head of the audit chain, signed with the Ed25519 key in AUDIT_SIGNING_KEY, as one line of JSON: run it
daily and keep the lines outside the system (another server, a mailbox, paper). With the public key, anyone can check
later that the chain still leads to a head it once had."""

import base64
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kenniscentrum.audit.chain import SIGNING_KEY_ENV, chain_head, sign, signing_key


class Command(BaseCommand):
    help = "Prints (or appends to --out) the audit chain's head, signed with the key in AUDIT_SIGNING_KEY."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", help="a file to append the line to")

    def handle(self, *args: Any, **options: Any) -> None:
        key = signing_key()
        if key is None:
            raise CommandError(f"Set {SIGNING_KEY_ENV} to a base64 Ed25519 private key (32 bytes) to sign the anchor.")
        sequence, head = chain_head()
        at = timezone.now().isoformat(timespec="seconds")
        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        line = json.dumps({"sequence": sequence, "head": head, "at": at, "signature": sign(sequence, head, at),
                           "public_key": base64.b64encode(public).decode("ascii")})  # fmt: skip
        if options["out"]:
            with Path(options["out"]).open("a", encoding="utf-8") as out:
                out.write(line + "\n")
        self.stdout.write(line)
