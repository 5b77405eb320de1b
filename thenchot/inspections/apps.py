from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import OVERSIGHT, MenuEntry
from thenchot.core.plugins import Part, PluginAppConfig


class InspectionsConfig(PluginAppConfig):
    verbose_name = _("Public-service inspections")
    menu = MenuEntry(url_name="inspections:list", group=OVERSIGHT.key)
    menu_order = 60
    menu_groups = (OVERSIGHT,)
    imports = ("interchange", "awaiting")
    report_block = Part("statistics.inspections_block", order=10)
    person_panel = Part("panels.person_panel", order=60)
    due_source = Part("due.recommendation_due_source")
    record_access = Part("selectors.RECORD_ACCESS")
    demo_loader = Part("demo.load_demo_inspections", order=40)
