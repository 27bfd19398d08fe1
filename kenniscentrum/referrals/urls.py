from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("medewerkers/verwijzingen/", views.referral_list, name="list"),
    path("medewerkers/verwijzingen/<int:pk>/", views.referral_detail, name="detail"),
    path("medewerkers/casussen/<int:pk>/verwijzing/", views.referral_form, name="form"),
    path("medewerkers/casussen/<int:pk>/verwijzing/nieuw/", views.referral_new, name="new"),
]
