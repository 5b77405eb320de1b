from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class AuditConfig(PluginAppConfig):
    verbose_name = _("Audit log")
