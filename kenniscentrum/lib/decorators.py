"""The explicit list of what is public: a view is public only when it carries @public."""

from django.contrib.auth.decorators import login_not_required

# Django's own marker; StaffOnlyMiddleware reads the same attribute.
public = login_not_required
