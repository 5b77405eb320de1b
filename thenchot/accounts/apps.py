from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class AccountsConfig(PluginAppConfig):
    verbose_name = _("Accounts and roles")
    url_prefix = ""

    def ready(self) -> None:
        from thenchot.accounts.scoping import Scope, compute_scope
        from thenchot.core import scope

        scope.provide(
            scope.ScopeProvider(for_user=compute_scope, nobody=lambda: Scope(user_id=None))
        )
