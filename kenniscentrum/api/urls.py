from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from . import views
from .problems import not_found

app_name = "api"


def token_only(view):  # type: ignore[no-untyped-def]
    """The pages' two-factor login does not apply: the API's own token authentication does (authentication.py)."""
    return login_not_required(view)


# The documentation page is Swagger UI from drf-spectacular-sidecar, served from here (no other site is asked). Its
# own styles are inline and its icons data: addresses; the page holds no personal data, so the policy gives way here.
docs_page = csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api:openapi")
)

# No trailing slashes (Dutch API Design Rules, API-48).
urlpatterns = [
    path("openapi.json", token_only(SpectacularJSONAPIView.as_view()), name="openapi"),
    path("schema", token_only(SpectacularJSONAPIView.as_view()), name="schema"),
    path("docs", token_only(docs_page), name="docs"),
    path("reports", token_only(views.ReportsView.as_view()), name="reports"),
    path("reports/<str:reference>", token_only(views.ReportView.as_view()), name="report"),
    path("referrals", token_only(views.ReferralsView.as_view()), name="referrals"),
    path("referrals/<int:pk>", token_only(views.ReferralView.as_view()), name="referral"),
    path("referrals/<int:pk>/steps", token_only(views.ReferralStepsView.as_view()), name="referral_steps"),
    path("tasks", token_only(views.TasksView.as_view()), name="tasks"),
    path("tasks/<int:pk>", token_only(views.TaskView.as_view()), name="task"),
    path("figures", token_only(views.FiguresView.as_view()), name="figures"),
    path("figures/<str:code>", token_only(views.FigureView.as_view()), name="figure"),
    re_path(r"^.*$", token_only(not_found), name="not_found"),
]
