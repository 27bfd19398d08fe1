from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.lib.admin_site import ReadOnlyAdmin, site

from .models import Notification
from .services import outbox_retry


@admin.register(Notification, site=site)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox for functional administrators: what waits, what was sent, what failed; failed ones can be sent
    again. The rows hold no content, only the kind, for whom and when."""

    list_display = ["created_at", "kind", "for_whom", "address", "mode", "state", "attempts", "last_error", "sent_at"]
    # The model's recipient field has no label of its own; the row is shown through `for_whom`, which has one.
    exclude = ["recipient"]
    readonly_fields = ["for_whom"]
    list_filter = ["state", "mode", "kind"]
    actions = ["retry"]
    list_per_page = 100

    @admin.action(description=_("Send the selected failed notifications again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = outbox_retry(queryset)
        audit_record(action=Action.ADMIN_CHANGE, actor=request.user, operation="notifications_retry", count=count)
        self.message_user(
            request,
            ngettext("%(count)d notification will be sent again.", "%(count)d notifications will be sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.display(description=_("recipient"), ordering="recipient__username")
    def for_whom(self, notification: Notification) -> str:
        return str(notification.recipient or "")
