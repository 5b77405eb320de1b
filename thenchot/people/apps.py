from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "thenchot.people"
    label = "people"
    verbose_name = _("Staff")

    def ready(self) -> None:
        from thenchot.core.registry import record_access
        from thenchot.people import interchange  # noqa: F401  (registers job_positions, staff)

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
