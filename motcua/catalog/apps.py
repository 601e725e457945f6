from django.apps import AppConfig


class Config(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = "Thủ tục hành chính"
