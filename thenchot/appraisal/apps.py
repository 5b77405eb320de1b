from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import MenuEntry
from thenchot.core.plugins import Part, PluginAppConfig


class AppraisalConfig(PluginAppConfig):
    verbose_name = _("Evaluation and classification")
    menu = MenuEntry(label=_("Evaluation"), url_name="appraisal:index", element_id="nav-appraisal")
    menu_order = 50
    imports = ("interchange", "jobs", "awaiting", "summary")
    report_block = Part("selectors.evaluations_block", order=80)
    person_panel = Part("panels.person_panel", order=20)
    due_source = Part("due.step_due_source")
    record_access = Part("selectors.RECORD_ACCESS")
    # After discipline (50) and rotation (55): the closed months read their decisions.
    demo_loader = Part("demo.load_demo_appraisal", order=90)

    def ready(self) -> None:
        super().ready()
        from thenchot.appraisal.labels import category_label, pack_label
        from thenchot.audit.labels import value_labels

        # Change histories show the labels of these stored codes (issue 11).
        value_labels.register("appraisal.evaluation.category", category_label)
        value_labels.register("appraisal.evaluation.rule_pack", pack_label)
