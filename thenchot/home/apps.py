from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import MenuEntry
from thenchot.core.plugins import PluginAppConfig


class HomeConfig(PluginAppConfig):
    """The home page: the top floor, reading the apps below it (it imports nothing of its own
    into them)."""

    verbose_name = _("Home")
    url_prefix = ""
    menu = MenuEntry(url_name="home:index")
    menu_order = 10
