from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "thenchot.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Registers the deploy checks (the secret key's origin) with Django's check framework.
        from thenchot.core import checks  # noqa: F401
