from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import MenuEntry
from thenchot.core.plugins import PluginAppConfig


class ReportsConfig(PluginAppConfig):
    label = "reports"
    verbose_name = _("Reports")
    menu = MenuEntry(url_name="reports:index", element_id="nav-reports")
    menu_order = 70
    # Its jobs (a report built in the background, the monthly reports for heads) register on
    # import. Reports reads the other apps only through `core.registry.report_blocks`.
    imports = ("jobs",)
