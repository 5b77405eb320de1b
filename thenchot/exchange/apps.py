from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class ExchangeConfig(PluginAppConfig):
    name = "thenchot.exchange"
    label = "exchange"
    verbose_name = _("Import and export")
    url_prefix = "exchange/"

    def ready(self) -> None:
        from thenchot.core.menu import MenuEntry, menu_entries

        menu_entries.register(
            "exchange",
            MenuEntry(
                key="exchange",
                label=_("Import and export"),
                url_name="exchange:import",
                namespaces=("exchange",),
            ),
            order=80,
        )
