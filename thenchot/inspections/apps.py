from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class InspectionsConfig(PluginAppConfig):
    name = "thenchot.inspections"
    label = "inspections"
    verbose_name = _("Public-service inspections")
    url_prefix = "inspections/"
    has_api = True

    def ready(self) -> None:
        from thenchot.core.menu import MenuEntry, MenuGroup, menu_entries, menu_groups

        menu_groups.register("oversight", MenuGroup(key="oversight", label=_("Oversight")))
        menu_entries.register(
            "inspections",
            MenuEntry(
                key="inspections",
                label=_("Public-service inspections"),
                url_name="inspections:list",
                namespaces=("inspections",),
                group="oversight",
            ),
            order=60,
        )
        from thenchot.core.registry import due_sources, person_panels, record_access
        from thenchot.core.reporting import ReportBlock, register_block
        from thenchot.inspections import interchange  # noqa: F401  (registers its section)
        from thenchot.inspections.due import recommendation_due_source
        from thenchot.inspections.panels import person_panel
        from thenchot.inspections.selectors import can_read_inspection
        from thenchot.inspections.statistics import compute_block, has_data, narrative

        due_sources.register(recommendation_due_source.policy_key, recommendation_due_source)
        register_block(
            ReportBlock(
                key="inspections",
                title=_("Public-service inspections"),
                compute=compute_block,
                has_data=has_data,
                narrative=narrative,
            ),
            order=10,
        )
        person_panels.register("inspections", person_panel, order=60)

        from thenchot.core.registry import demo_loaders
        from thenchot.inspections.demo import load_demo_inspections

        demo_loaders.register("inspections", load_demo_inspections, order=40)

        def inspection_readable(scope, obj) -> bool:  # type: ignore[no-untyped-def]
            return can_read_inspection(scope, obj)

        def via_inspection(scope, obj) -> bool:  # type: ignore[no-untyped-def]
            return can_read_inspection(scope, obj.inspection)

        def via_recommendation(scope, obj) -> bool:  # type: ignore[no-untyped-def]
            return can_read_inspection(scope, obj.recommendation.inspection)

        def plan_readable(scope, obj) -> bool:  # type: ignore[no-untyped-def]
            return scope.can_read_unit(obj.conducted_by_id)

        record_access.register("inspections.inspection", inspection_readable)
        record_access.register("inspections.inspectionplan", plan_readable)
        record_access.register(
            "inspections.planitem", lambda scope, obj: plan_readable(scope, obj.plan)
        )
        for label in ("finding", "recommendation", "teammember", "checklistanswer"):
            record_access.register(f"inspections.{label}", via_inspection)
        record_access.register("inspections.remediationreport", via_recommendation)
        record_access.register(
            "inspections.checklistitem", lambda scope, obj: scope.user_id is not None
        )
