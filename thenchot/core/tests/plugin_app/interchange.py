from thenchot.core.interchange import Field, Section
from thenchot.core.registry import interchange_sections


class PluginRecords(Section):
    key = "plugin_records"
    fields = (Field("code", required=True),)


interchange_sections.register("plugin_records", PluginRecords())
