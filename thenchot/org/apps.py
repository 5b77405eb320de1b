from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class OrgConfig(PluginAppConfig):
    name = "thenchot.org"
    label = "org"
    verbose_name = _("Organisation")
    url_prefix = "org/"
    has_api = True

    def ready(self) -> None:
        from thenchot.core.menu import MenuEntry, menu_entries

        menu_entries.register(
            "org",
            MenuEntry(key="org", label=_("Organisation"), url_name="org:tree", namespaces=("org",)),
            order=20,
        )
        from thenchot.accounts.scoping import use_unit_tree
        from thenchot.audit.labels import reference_labels
        from thenchot.core.registry import record_access
        from thenchot.org import interchange  # noqa: F401  (registers the units section)
        from thenchot.org.selectors import unit_label
        from thenchot.org.tree import tree

        use_unit_tree(tree)  # scopes are computed on this tree (accounts sits below org)
        reference_labels.register("org.unit", unit_label)  # units in change histories
        record_access.register("org.unit", lambda scope, obj: scope.can_read_unit(obj.pk))
        record_access.register("org.unitlink", lambda scope, obj: scope.can_read_unit(obj.unit_id))
        record_access.register(
            "org.unitsuccession", lambda scope, obj: scope.can_read_unit(obj.successor_id)
        )
