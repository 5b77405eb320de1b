from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class DisciplineConfig(PluginAppConfig):
    name = "thenchot.discipline"
    label = "discipline"
    verbose_name = _("Discipline")
    url_prefix = "discipline/"
    has_api = True

    def ready(self) -> None:
        from thenchot.core.menu import MenuEntry, MenuGroup, menu_entries, menu_groups

        menu_entries.register(
            "discipline",
            MenuEntry(
                key="discipline",
                label=_("Discipline"),
                url_name="discipline:list",
                namespaces=("discipline",),
                group="oversight",
            ),
            order=61,
        )
        menu_groups.register("oversight", MenuGroup(key="oversight", label=_("Oversight")))
        from thenchot.core.registry import demo_loaders
        from thenchot.discipline.demo import load_demo_discipline

        demo_loaders.register("discipline", load_demo_discipline, order=50)
        from thenchot.core.registry import due_sources, person_panels, record_access
        from thenchot.core.reporting import ReportBlock, register_block
        from thenchot.discipline import interchange  # noqa: F401  (registers its section)
        from thenchot.discipline.due import case_due_source
        from thenchot.discipline.panels import person_panel
        from thenchot.discipline.selectors import can_read_discipline
        from thenchot.discipline.statistics import compute_block, has_data, narrative

        due_sources.register(case_due_source.policy_key, case_due_source)
        register_block(
            ReportBlock(
                key="discipline",
                title=_("Discipline"),
                compute=compute_block,
                has_data=has_data,
                narrative=narrative,
            ),
            order=20,
        )
        person_panels.register("discipline", person_panel, order=30)
        record_access.register(
            "discipline.disciplinecase", lambda scope, obj: can_read_discipline(scope, obj.staff)
        )
        record_access.register(
            "discipline.disciplinedecision",
            lambda scope, obj: can_read_discipline(scope, obj.staff),
        )
        record_access.register(
            "discipline.casepause", lambda scope, obj: can_read_discipline(scope, obj.case.staff)
        )
