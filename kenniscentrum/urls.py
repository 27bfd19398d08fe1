from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path
from django.utils.module_loading import autodiscover_modules

from kenniscentrum.lib.admin_site import site as functional_admin_site

# Registers each app's admin.py on the functional administrators' site (Django's default site is unused).
autodiscover_modules("admin")

# Dutch pages have no prefix; other languages live under /en/ and so on. The language is in the
# address, never in a cookie, so choosing a language leaves nothing behind on the visitor's device.
urlpatterns: list[URLPattern | URLResolver] = [
    # The partner API has its version in the path and no language prefix: it answers after Accept-Language.
    path("api/v1/", include("kenniscentrum.api.urls")),
]
urlpatterns += i18n_patterns(
    path("medewerkers/", include("kenniscentrum.accounts.urls")),
    path("beheer/", functional_admin_site.urls),
    path("", include("kenniscentrum.reports.urls")),
    path("", include("kenniscentrum.indicators.urls")),
    path("", include("kenniscentrum.knowledge.urls")),
    path("", include("kenniscentrum.cases.urls")),
    path("", include("kenniscentrum.referrals.urls")),
    path("", include("kenniscentrum.meetings.urls")),
    path("", include("kenniscentrum.linking.urls")),
    path("", include("kenniscentrum.notifications.urls")),
    path("", include("kenniscentrum.insights.urls")),
    path("", include("kenniscentrum.upkeep.urls")),
    prefix_default_language=False,
)

# A server error, or the database away or full: a plain page that reads nothing (lib/errors.py).
handler500 = "kenniscentrum.lib.errors.server_error"
