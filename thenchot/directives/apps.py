from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import MenuEntry
from thenchot.core.plugins import Part, PluginAppConfig


class DirectivesConfig(PluginAppConfig):
    verbose_name = _("Task direction tracking")
    menu = MenuEntry(label=_("Tasks"), url_name="directives:mine", element_id="nav-tasks")
    menu_order = 40
    imports = ("interchange", "awaiting")  # documents and tasks sections; the to-do list
    report_block = Part("statistics.tasks_block", order=60)
    due_source = Part("due.task_due_source")
    record_access = Part("selectors.RECORD_ACCESS")
    demo_loader = Part("demo.load_demo_directives", order=30)
