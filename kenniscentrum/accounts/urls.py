from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/code/", views.verify_view, name="verify"),
    path("inloggen/koppelen/", views.enrol_view, name="enrol"),
    path("inloggen/koppelen/qr.svg", views.enrol_qr_view, name="enrol_qr"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("sessie/verlengen/", views.session_extend, name="session_extend"),
]
