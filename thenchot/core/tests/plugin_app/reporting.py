from thenchot.core.reporting import ReportBlock

block = ReportBlock(
    key="plugin_app",
    title="Plugin",
    compute=lambda **kwargs: {"count": 1},
    has_data=lambda: True,
)
