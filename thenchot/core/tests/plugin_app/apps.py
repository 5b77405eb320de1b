"""An app added by the "Add an app" checklist of docs/architecture.md, and nothing else: the
test proves that its pages, API routes, menu entry, report block and interchange section reach
the site without editing the root URLs, the API root or the base template."""

from thenchot.core.plugins import PluginAppConfig


class PluginAppConfigForTest(PluginAppConfig):
    name = "thenchot.core.tests.plugin_app"
    label = "plugin_app"
    url_prefix = "plugin-app/"
    has_api = True

    def ready(self) -> None:
        from thenchot.core.interchange import Field, Section
        from thenchot.core.menu import MenuEntry, menu_entries
        from thenchot.core.registry import interchange_sections
        from thenchot.core.reporting import ReportBlock, register_block

        menu_entries.register(
            "plugin_app",
            MenuEntry(key="plugin_app", label="Plugin", url_name="plugin_app:index"),
            order=99,
        )
        register_block(
            ReportBlock(
                key="plugin_app",
                title="Plugin",
                compute=lambda **kwargs: {"count": 1},
                has_data=lambda: True,
            )
        )

        class PluginRecords(Section):
            key = "plugin_records"
            fields = (Field("code", required=True),)

        interchange_sections.register("plugin_records", PluginRecords())
