from django.apps import AppConfig


class Config(AppConfig):
    name = "motcua.forms_print"
    label = "forms_print"
    verbose_name = "Biểu mẫu in"
