from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class IntegrityConfig(PluginAppConfig):
    """Seals of closed periods: a checksum chain over their results, checked by the
    `verify_periods` command and on the close screen (docs/integrity.md)."""

    name = "thenchot.integrity"
    verbose_name = _("Integrity of closed periods")

    def ready(self) -> None:
        super().ready()
        # No registry of core covers these: the close's signals and the close screen's panel.
        from thenchot.core import signals
        from thenchot.core.panels import register_period_panel
        from thenchot.integrity import panels, receivers

        signals.period_closed.connect(receivers.on_period_closed, dispatch_uid="integrity-seal")
        signals.period_reopened.connect(
            receivers.on_period_reopened, dispatch_uid="integrity-reopen"
        )
        register_period_panel(self.label, panels.integrity_panel, order=100)
