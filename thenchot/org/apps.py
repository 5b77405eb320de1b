from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "thenchot.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from thenchot.core.registry import record_access
        from thenchot.org import interchange  # noqa: F401  (registers the units section)

        record_access.register("org.unit", lambda scope, obj: scope.can_read_unit(obj.pk))
        record_access.register("org.unitlink", lambda scope, obj: scope.can_read_unit(obj.unit_id))
        record_access.register(
            "org.unitsuccession", lambda scope, obj: scope.can_read_unit(obj.successor_id)
        )
