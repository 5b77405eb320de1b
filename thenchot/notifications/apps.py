from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import MenuEntry
from thenchot.core.plugins import PluginAppConfig


class NotificationsConfig(PluginAppConfig):
    verbose_name = _("Notifications and reminders")
    url_prefix = "inbox/"
    menu = MenuEntry(
        label=_("Inbox"),
        url_name="notifications:inbox",
        badge_url_name="notifications:badge",
    )
    menu_order = 90
    imports = ("jobs",)
