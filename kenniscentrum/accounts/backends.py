"""Who may sign in and stay signed in: Django's password backend, with the platform's rule on accounts."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User


class AccountBackend(ModelBackend):
    """Django asks `user_can_authenticate` at the login and, through `get_user`, on every request of a session:
    an account whose organisation was made inactive is refused at the login and its open sessions end at once."""

    def user_can_authenticate(self, user: Any) -> bool:
        return isinstance(user, User) and user.may_act

    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("organisation").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
