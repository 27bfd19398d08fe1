from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("medewerkers/monitor/", views.dashboard, name="dashboard"),
    path("medewerkers/monitor/tellen/", views.refresh, name="refresh"),
    path("medewerkers/monitor/publicaties/", views.releases, name="releases"),
    path("medewerkers/monitor/publiceren/", views.release, name="release"),
    path("medewerkers/monitor/rapport/<str:code>/<int:year>/", views.municipality_report, name="report"),
    path("medewerkers/monitor/export/<str:code>.<str:extension>", views.export, name="export"),
    path("medewerkers/monitor/dataset/", views.dataset, name="dataset"),
    path("medewerkers/casussen/<int:pk>/ontdaan/", views.case_deidentified, name="deidentified"),
    path(
        "medewerkers/monitor/dataset/<int:year>/<str:layout>.<str:extension>",
        views.dataset_download,
        name="dataset_download",
    ),
]
