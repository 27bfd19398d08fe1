"""The platform's URLs plus two minimal views: the ceiling each benchmark scenario is compared with, and one that
de-identifies a fixed text (bench/deduce_memory.py measures what deduce costs each worker)."""

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


@public
def deidentify(request: HttpRequest) -> HttpResponse:
    from kenniscentrum.insights.deidentify import deidentified

    text, _spans = deidentified("Jan de Vries uit Enschede belde op 12 maart over zijn buurman Piet Jansen.")
    return HttpResponse(text, content_type="text/plain")


urlpatterns = [path("bench/ceiling/", ceiling), path("bench/deidentify/", deidentify), *platform_urlpatterns]
