from django.apps import AppConfig


class Config(AppConfig):
    name = "motcua.api"
    label = "api"
    verbose_name = "API"
