from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("medewerkers/overleggen/", views.meeting_list, name="list"),
    path("medewerkers/overleggen/nieuw/", views.meeting_new, name="new"),
    path("medewerkers/overleggen/<int:pk>/", views.meeting_detail, name="detail"),
]
