from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class CommendationsConfig(PluginAppConfig):
    name = "thenchot.commendations"
    verbose_name = _("Commendations")
