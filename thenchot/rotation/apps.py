from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class RotationConfig(PluginAppConfig):
    name = "thenchot.rotation"
    label = "rotation"
    verbose_name = _("Periodic job rotation")
    url_prefix = "rotation/"
    has_api = True

    def ready(self) -> None:
        from thenchot.core.menu import MenuEntry, MenuGroup, menu_entries, menu_groups

        menu_entries.register(
            "rotation",
            MenuEntry(
                key="rotation",
                label=_("Periodic job rotation"),
                url_name="rotation:due",
                namespaces=("rotation",),
                group="oversight",
            ),
            order=62,
        )
        menu_groups.register("oversight", MenuGroup(key="oversight", label=_("Oversight")))
        from thenchot.core.registry import demo_loaders
        from thenchot.discipline.demo import open_case_candidates
        from thenchot.rotation.demo import due_staff, load_demo_rotation

        demo_loaders.register("rotation", load_demo_rotation, order=55)
        open_case_candidates.register("rotation", due_staff)
        from thenchot.core.registry import person_panels, record_access
        from thenchot.core.reporting import ReportBlock, register_block
        from thenchot.rotation import interchange  # noqa: F401  (registers leaves, rotations)
        from thenchot.rotation.panels import person_panel
        from thenchot.rotation.statistics import compute_block, has_data, narrative

        register_block(
            ReportBlock(
                key="rotations",
                title=_("Periodic job rotation"),
                compute=compute_block,
                has_data=has_data,
                narrative=narrative,
            ),
            order=30,
        )
        person_panels.register("rotations", person_panel, order=40)

        def staff_readable(scope, staff) -> bool:  # type: ignore[no-untyped-def]
            return scope.can_read_unit(staff.unit_id) or staff.pk == scope.own_staff_id

        def postponement_readable(scope, obj) -> bool:  # type: ignore[no-untyped-def]
            from thenchot.discipline.selectors import can_read_discipline

            return can_read_discipline(scope, obj.staff)

        record_access.register("rotation.rotation", lambda s, o: staff_readable(s, o.staff))
        record_access.register("rotation.postponement", postponement_readable)
        record_access.register("rotation.rotationplan", lambda s, o: s.can_read_unit(o.agency_id))
        record_access.register("rotation.planitem", lambda s, o: s.can_read_unit(o.plan.agency_id))
