from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class PeopleConfig(PluginAppConfig):
    name = "thenchot.people"
    label = "people"
    verbose_name = _("Staff")
    url_prefix = "staff/"
    has_api = True

    def ready(self) -> None:
        from thenchot.core.menu import MenuEntry, menu_entries

        menu_entries.register(
            "people",
            MenuEntry(
                key="people", label=_("Staff"), url_name="people:list", namespaces=("people",)
            ),
            order=30,
        )
        from thenchot.core.registry import record_access
        from thenchot.org.views import unit_page_parts
        from thenchot.people import interchange  # noqa: F401  (registers job_positions, staff)
        from thenchot.people.unit_page import unit_page_part

        unit_page_parts.register("people", unit_page_part)

        def staff_readable(scope, staff) -> bool:  # type: ignore[no-untyped-def]
            return scope.can_read_unit(staff.unit_id) or staff.pk == scope.own_staff_id

        record_access.register("people.staff", staff_readable)
        record_access.register(
            "people.assignment", lambda scope, obj: staff_readable(scope, obj.staff)
        )
        record_access.register(
            "people.headassignment", lambda scope, obj: scope.can_read_unit(obj.unit_id)
        )
        record_access.register("people.jobposition", lambda scope, obj: scope.user_id is not None)
