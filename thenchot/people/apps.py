from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import MenuEntry
from thenchot.core.plugins import Part, PluginAppConfig


class PeopleConfig(PluginAppConfig):
    verbose_name = _("Staff")
    url_prefix = "staff/"
    menu = MenuEntry(url_name="people:list")
    menu_order = 30
    imports = ("interchange",)  # job_positions, staff
    record_access = Part("selectors.RECORD_ACCESS")

    def ready(self) -> None:
        super().ready()
        from thenchot.org.views import unit_page_parts
        from thenchot.people.unit_page import unit_page_part

        unit_page_parts.register("people", unit_page_part)
