from django.urls import path

from . import views

app_name = "upkeep"
urlpatterns = [
    path("medewerkers/inzageverzoek/", views.requests, name="requests"),
    path("medewerkers/inzageverzoek/personen/", views.person_search, name="person_search"),
    path("medewerkers/inzageverzoek/persoon/<int:pk>/", views.person_request, name="person_request"),
    path("medewerkers/inzageverzoek/melding/<int:pk>/", views.reporter_request, name="reporter_request"),
]
