from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("signalen/", views.check_start, name="check"),
    path("signalen/vragen/", views.check_questions_view, name="check_questions"),
    path("signalen/uitslag/", views.check_result, name="check_result"),
]
