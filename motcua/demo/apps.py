from django.apps import AppConfig


class Config(AppConfig):
    name = "motcua.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
