"""A real SMTP server on localhost (aiosmtpd) that keeps every message it receives, and the settings to use it."""

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller


class Keeper:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content)  # type: ignore[attr-defined]
        message["X-Rcpt"] = ",".join(envelope.rcpt_tos)  # type: ignore[attr-defined]
        self.messages.append(message)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpServer:
    """Start and stop at will: a test can take the server down and bring it back."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.keeper = Keeper()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.keeper, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[Message]:
        return self.keeper.messages

    def bodies(self) -> list[str]:
        return [m.get_payload(decode=True).decode() + m["Subject"] for m in self.messages]  # type: ignore[union-attr]


@pytest.fixture
def smtp_settings(settings) -> int:
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    return port


@pytest.fixture
def smtp(smtp_settings) -> Iterator[SmtpServer]:
    server = SmtpServer(smtp_settings)
    server.start()
    yield server
    server.stop()
