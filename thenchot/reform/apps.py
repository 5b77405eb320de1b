from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import MenuEntry
from thenchot.core.plugins import Part, PluginAppConfig


class ReformConfig(PluginAppConfig):
    verbose_name = _("Administrative-reform index")
    menu = MenuEntry(url_name="reform:index")
    menu_order = 66
    imports = ("interchange",)
    report_block = Part("report.reform_report_block", order=95)
    due_source = Part("due.round_due_source")
    record_access = Part("selectors.RECORD_ACCESS")
    demo_loader = Part("demo.load_demo_reform", order=98)
