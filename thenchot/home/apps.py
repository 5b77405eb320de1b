from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class HomeConfig(PluginAppConfig):
    """The home page: the top floor, reading the apps below it (it imports nothing of its own
    into them)."""

    name = "thenchot.home"
    label = "home"
    verbose_name = _("Home")
    url_prefix = ""

    def ready(self) -> None:
        from thenchot.core.menu import MenuEntry, menu_entries

        menu_entries.register(
            "home",
            MenuEntry(key="home", label=_("Home"), url_name="home:index", namespaces=("home",)),
            order=10,
        )
