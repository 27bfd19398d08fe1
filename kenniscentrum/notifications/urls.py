from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("medewerkers/", views.work, name="work"),
    path("medewerkers/berichten/", views.preferences, name="preferences"),
]
