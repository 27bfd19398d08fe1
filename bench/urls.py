"""The platform's URLs plus one minimal view: the ceiling each benchmark scenario is compared with."""

from django.http import HttpRequest, HttpResponse
from django.template import Context, Template
from django.urls import path

from kenniscentrum.lib.decorators import public
from kenniscentrum.urls import handler500  # noqa: F401 (the platform's error page, here too)
from kenniscentrum.urls import urlpatterns as platform_urlpatterns

SMALL = Template("<!DOCTYPE html><html lang='nl'><title>{{ title }}</title><p>{{ text }}</p></html>")


@public
def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse(SMALL.render(Context({"title": "Plafond", "text": "Een kleine pagina."})))


urlpatterns = [path("bench/ceiling/", ceiling), *platform_urlpatterns]
