from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CITY = "city", _("City")
    DEPARTMENT = "department", _("Department")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    DIVISION = "division", _("Division")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Public service unit")
    PARTY_BODY = "party_body", _("Party body")
    MASS_ORGANISATION = "mass_organisation", _("Mass organisation")
    OTHER = "other", _("Other")
