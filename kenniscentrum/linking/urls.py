from django.urls import path

from . import views

app_name = "linking"
urlpatterns = [
    path("medewerkers/koppelingen/zoeken/", views.identifier_search, name="search"),
    path("medewerkers/koppelingen/overzicht/", views.overview, name="overview"),
    path("medewerkers/koppelingen/personen/", views.matches, name="matches"),
    path("medewerkers/koppelingen/personen/<int:pk>/zoeken/", views.person_match_now, name="person_match"),
    path("medewerkers/koppelingen/netwerk/<slug:path>/<int:pk>/", views.network, name="network"),
    path("medewerkers/koppelingen/<slug:path>/<int:pk>/toevoegen/", views.identifier_add, name="add"),
    path("medewerkers/koppelingen/<slug:path>/<int:pk>/voorstel/", views.suggestion_answer, name="suggestion"),
    path("medewerkers/koppelingen/<slug:path>/<int:pk>/koppelen/", views.link_business_or_place, name="link"),
    path("medewerkers/koppelingen/bedrijven/<int:pk>/", views.business_detail, name="business"),
    path("medewerkers/koppelingen/plaatsen/<int:pk>/", views.place_detail, name="place"),
    path("medewerkers/koppelingen/waarneming/<int:pk>/verwijderen/", views.sighting_remove, name="remove"),
]
