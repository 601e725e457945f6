from django.apps import AppConfig


class Config(AppConfig):
    name = "motcua.portal"
    label = "portal"
    verbose_name = "Cổng dịch vụ công"
