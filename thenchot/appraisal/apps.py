from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class AppraisalConfig(PluginAppConfig):
    name = "thenchot.appraisal"
    label = "appraisal"
    verbose_name = _("Evaluation and classification")
    url_prefix = "appraisal/"
    has_api = True

    def ready(self) -> None:
        from thenchot.core.menu import MenuEntry, menu_entries

        menu_entries.register(
            "appraisal",
            MenuEntry(
                key="appraisal",
                label=_("Evaluation"),
                url_name="appraisal:index",
                namespaces=("appraisal",),
                element_id="nav-appraisal",
            ),
            order=50,
        )
        from thenchot.appraisal import (
            interchange,  # noqa: F401  (registers its section)
            jobs,  # noqa: F401  (registers the job)
        )
        from thenchot.appraisal.due import step_due_source
        from thenchot.appraisal.selectors import can_read, has_report_data, narrative, report_block
        from thenchot.core.registry import due_sources, record_access
        from thenchot.core.reporting import ReportBlock, register_block

        due_sources.register(step_due_source.policy_key, step_due_source)

        from thenchot.appraisal import panels
        from thenchot.appraisal.demo import load_demo_appraisal
        from thenchot.core.registry import demo_loaders

        panels.register()
        # After discipline (50) and rotation (55): the closed months read their decisions.
        demo_loaders.register("appraisal", load_demo_appraisal, order=90)
        register_block(
            ReportBlock(
                key="evaluations",
                title=_("Evaluations"),
                compute=report_block,
                has_data=has_report_data,
                narrative=narrative,
            ),
            order=80,
        )
        record_access.register("appraisal.evaluation", can_read)
