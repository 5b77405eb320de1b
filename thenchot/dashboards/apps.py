from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import MenuEntry
from thenchot.core.plugins import PluginAppConfig


class DashboardsConfig(PluginAppConfig):
    verbose_name = _("Dashboards")
    # The first thing a leader opens: first in the menu.
    menu = MenuEntry(label=_("Dashboard"), url_name="dashboards:index", element_id="nav-dashboard")
    menu_order = 12
    # counting the default dashboards ahead of their readers; the other apps' blocks
    imports = ("jobs", "external")

    def ready(self) -> None:
        super().ready()
        # The dashboard's cache listens to the writes of the families it counts (`freshness`):
        # Django's signals for per-record writes, `core.registry.bulk_written` for bulk ones.
        from thenchot.dashboards import signals

        signals.connect()
