from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import MenuEntry
from thenchot.core.plugins import PluginAppConfig


class ExchangeConfig(PluginAppConfig):
    verbose_name = _("Import and export")
    menu = MenuEntry(url_name="exchange:import")
    menu_order = 80
    imports = ("jobs",)  # the background import
