from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import MenuEntry
from thenchot.core.plugins import Part, PluginAppConfig


class SurveysConfig(PluginAppConfig):
    verbose_name = _("Satisfaction surveys")
    # Pages at /surveys/..., and the public form at the short address /s/<code>/.
    url_prefix = ""
    menu = MenuEntry(url_name="surveys:list")
    menu_order = 63
    imports = ("interchange",)  # the `surveys` and `survey_responses` sections
    report_block = Part("report.satisfaction_report_block", order=90)
    unit_panel = Part("panels.unit_panel", order=40)
    record_access = Part("selectors.RECORD_ACCESS")
    demo_loader = Part("demo.load_demo_surveys", order=90)
