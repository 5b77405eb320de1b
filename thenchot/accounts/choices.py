from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    CITY_LEADERSHIP = "city_leadership", _("City leadership")
    PERSONNEL = "personnel", _("Personnel officer (Nội vụ)")
    UNIT_HEAD = "unit_head", _("Unit head")
    DIVISION_MANAGER = "division_manager", _("Division manager")
    STAFF = "staff", _("Staff")
    INSPECTOR = "inspector", _("Inspector")


# Roles that see everything, whatever unit the grant names.
CITY_WIDE_ROLES = {Role.ADMIN, Role.CITY_LEADERSHIP}
# Roles that may change organisation and staff records inside their subtree.
ORG_WRITER_ROLES = {Role.ADMIN, Role.PERSONNEL}
