from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import MenuEntry
from thenchot.core.plugins import Part, PluginAppConfig


class CommendationsConfig(PluginAppConfig):
    verbose_name = _("Commendations")
    menu = MenuEntry(url_name="commendations:list")
    menu_order = 64
    imports = ("interchange",)  # the `commendations` section
    person_panel = Part("panels.person_panel", order=50)
    unit_panel = Part("panels.unit_panel", order=50)
    record_access = Part("selectors.RECORD_ACCESS")
    demo_loader = Part("demo.load_demo_commendations", order=95)
