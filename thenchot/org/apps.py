from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import MenuEntry
from thenchot.core.plugins import Part, PluginAppConfig


class OrgConfig(PluginAppConfig):
    verbose_name = _("Organisation")
    menu = MenuEntry(url_name="org:tree")
    menu_order = 20
    imports = ("interchange",)  # units
    record_access = Part("selectors.RECORD_ACCESS")

    def ready(self) -> None:
        super().ready()
        from thenchot.accounts.scoping import use_unit_tree
        from thenchot.audit.labels import reference_labels
        from thenchot.org.selectors import unit_label
        from thenchot.org.tree import tree

        use_unit_tree(tree)  # scopes are computed on this tree (accounts sits below org)
        reference_labels.register("org.unit", unit_label)  # units in change histories
