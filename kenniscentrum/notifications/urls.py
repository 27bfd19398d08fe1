from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("medewerkers/berichten/", views.preferences, name="preferences"),
]
