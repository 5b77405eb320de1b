from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class SurveysConfig(PluginAppConfig):
    name = "thenchot.surveys"
    verbose_name = _("Satisfaction surveys")
