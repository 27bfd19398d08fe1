from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("medewerkers/casussen/", views.case_list, name="list"),
    path("medewerkers/casussen/<int:pk>/", views.case_detail, name="detail"),
    path("medewerkers/casussen/<int:pk>/actie/<slug:action>/", views.case_action, name="action"),
    path("medewerkers/casussen/<int:pk>/signalen/", views.case_signals, name="signals"),
    path("medewerkers/casussen/<int:pk>/personen/nieuw/", views.person_add, name="person_add"),
    path("medewerkers/casussen/<int:pk>/toegang/<int:grant_pk>/", views.grant_edit, name="grant_edit"),
    path("medewerkers/casussen/<int:pk>/taken/<int:task_pk>/", views.task_status, name="task_status"),
    path("medewerkers/casussen/<int:pk>/documenten/<int:document_pk>/", views.document_download, name="document"),
    path("medewerkers/personen/<int:pk>/", views.person_detail, name="person"),
    path("medewerkers/comensha/", views.comensha_open, name="comensha_open"),
    path("medewerkers/comensha/<int:pk>/", views.comensha_print, name="comensha_print"),
    path("medewerkers/overdrachten/ontvangen/", views.handover_receive, name="handover_receive"),
    path("medewerkers/overdrachten/<int:pk>/", views.handover_print, name="handover_print"),
    path("medewerkers/taken/", views.my_tasks, name="my_tasks"),
    path("medewerkers/meldingen/<int:pk>/casus/", views.report_to_case, name="from_report"),
]
