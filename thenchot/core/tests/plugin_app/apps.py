"""An app added by the "Add an app" checklist of docs/architecture.md, and nothing else: the
test proves that its pages, API routes, menu entry, report block and interchange section reach
the site without editing the root URLs, the API root or the base template."""

from thenchot.core.menu import MenuEntry
from thenchot.core.plugins import Part, PluginAppConfig


class PluginAppConfigForTest(PluginAppConfig):
    name = "thenchot.core.tests.plugin_app"
    url_prefix = "plugin-app/"
    menu = MenuEntry(label="Plugin", url_name="plugin_app:index")
    menu_order = 99
    imports = ("interchange",)
    report_block = Part("reporting.block")
