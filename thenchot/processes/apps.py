from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import MenuEntry
from thenchot.core.plugins import Part, PluginAppConfig


class ProcessesConfig(PluginAppConfig):
    verbose_name = _("Internal procedures")
    menu = MenuEntry(url_name="processes:list")
    menu_order = 58
    # Its sections (`processes`, `cases`) and its two report blocks, which register on import
    # (`report_block` holds one block; this app gives two).
    imports = ("jobs", "interchange", "report")
    due_source = Part("due.case_due_source")
    record_access = Part("selectors.RECORD_ACCESS")
    demo_loader = Part("demo.load_demo_processes", order=45)

    def ready(self) -> None:
        super().ready()
        # The holiday table's change hook is a registry of core that `PluginAppConfig` does not
        # declare: a changed day recomputes the open cases' due dates in background batches.
        from thenchot.core.registry import calendar_changed
        from thenchot.processes.jobs import on_calendar_changed

        calendar_changed.register("processes", on_calendar_changed)
