from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class ReformConfig(PluginAppConfig):
    name = "thenchot.reform"
    verbose_name = _("Administrative-reform index")
