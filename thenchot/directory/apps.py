from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class DirectoryConfig(PluginAppConfig):
    """Signing in through the agency's directory (OpenID Connect, LDAP / Active Directory) and
    the mapping of its groups to roles (docs/sso.md)."""

    name = "thenchot.directory"
    verbose_name = _("Agency directory sign-in")
    url_prefix = "oidc/"
