from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "kenniscentrum.lib"
    label = "lib"
