from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "thenchot.notifications"
    label = "notifications"
    verbose_name = _("Notifications and reminders")

    def ready(self) -> None:
        from thenchot.notifications import jobs  # noqa: F401  (registers the jobs)
