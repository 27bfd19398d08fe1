from django.urls import path

from . import views_public, views_staff

app_name = "reports"
urlpatterns = [
    path("melden/", views_public.report_create, name="create"),
    path("vraag/", views_public.question_create, name="question"),
    path("volgen/", views_public.followup_start, name="followup_start"),
    path("volgen/bericht/", views_public.followup_thread, name="followup_thread"),
    path("volgen/stoppen/", views_public.followup_end, name="followup_end"),
    path("verlaten/", views_public.quick_exit, name="quick_exit"),
    path("medewerkers/meldingen/", views_staff.queue, name="queue"),
    path("medewerkers/meldingen/nieuw/", views_staff.intake_create, name="intake"),
    path("medewerkers/adviesvragen/", views_staff.consultations, name="consultations"),
    path("medewerkers/meldingen/<int:pk>/", views_staff.report_detail, name="detail"),
    path("medewerkers/meldingen/<int:pk>/actie/<slug:action>/", views_staff.report_action, name="action"),
    path("medewerkers/meldingen/<int:pk>/signalen/", views_staff.report_signals, name="signals"),
    path("medewerkers/meldingen/<int:pk>/inzage/", views_staff.report_readers, name="readers"),
    path(
        "medewerkers/meldingen/<int:pk>/bijlage/<int:attachment_pk>/",
        views_staff.attachment_download,
        name="attachment",
    ),
]
