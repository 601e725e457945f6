from django.apps import AppConfig


class Config(AppConfig):
    name = "motcua.orgs"
    label = "orgs"
    verbose_name = "Tổ chức và cán bộ"
