"""The real SMTP server on localhost (tests/smtp.py) for the notification tests."""

from tests.smtp import smtp, smtp_settings

__all__ = ["smtp", "smtp_settings"]
