from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "thenchot.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # `checks` registers the deploy checks (the secret key's origin) with Django's check
        # framework; `calendar_interchange` the `holidays` section (the calendar is core's own).
        from thenchot.core import calendar_interchange, checks  # noqa: F401
