from django.apps import AppConfig


class Config(AppConfig):
    name = "motcua.workcal"
    label = "workcal"
    verbose_name = "Lịch làm việc"
