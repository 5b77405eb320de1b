from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import OVERSIGHT, MenuEntry
from thenchot.core.plugins import Part, PluginAppConfig


class DisciplineConfig(PluginAppConfig):
    verbose_name = _("Discipline")
    menu = MenuEntry(url_name="discipline:list", group=OVERSIGHT.key)
    menu_order = 61
    menu_groups = (OVERSIGHT,)
    imports = ("interchange", "awaiting")
    report_block = Part("statistics.discipline_block", order=20)
    person_panel = Part("panels.person_panel", order=30)
    due_source = Part("due.case_due_source")
    record_access = Part("selectors.RECORD_ACCESS")
    demo_loader = Part("demo.load_demo_discipline", order=50)
