from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.home, name="home"),
    path("informatie/", views.index, name="index"),
    path("informatie/<slug:slug>/", views.page, name="page"),
]
