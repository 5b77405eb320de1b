from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class NotificationsConfig(PluginAppConfig):
    name = "thenchot.notifications"
    label = "notifications"
    verbose_name = _("Notifications and reminders")
    url_prefix = "inbox/"
    has_api = True

    def ready(self) -> None:
        from thenchot.core.menu import MenuEntry, menu_entries

        menu_entries.register(
            "inbox",
            MenuEntry(
                key="inbox",
                label=_("Inbox"),
                url_name="notifications:inbox",
                namespaces=("notifications",),
                badge_url_name="notifications:badge",
            ),
            order=90,
        )
        from thenchot.notifications import jobs  # noqa: F401  (registers the jobs)
