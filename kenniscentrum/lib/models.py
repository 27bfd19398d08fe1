from django.db import models


class ThrottleEvent(models.Model):
    """One counted attempt (a failed login, a failed receipt look-up) inside a rate-limit scope.

    `key` is a keyed hash, never an IP address: the platform keeps nothing that identifies a visitor.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "created_at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.created_at:%Y-%m-%d %H:%M}"
