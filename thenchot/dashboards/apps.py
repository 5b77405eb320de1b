from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class DashboardsConfig(PluginAppConfig):
    name = "thenchot.dashboards"
    verbose_name = _("Dashboards")
