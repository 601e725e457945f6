from django.apps import AppConfig


class Config(AppConfig):
    name = "motcua.portal"
    label = "portal"
    verbose_name = "Cổng dịch vụ công"

    def ready(self):
        # The huey consumer registers tasks of modules it imports; this one is not named tasks.py.
        from motcua.portal import payment_tasks  # noqa: F401
