"""The forms of commendation (Law on Emulation and Commendation 2022, Decree 98/2023): the
certificates a head of an agency or the City's chairman gives, the emulation titles, the
State's orders. Labels name the Vietnamese title in the Vietnamese catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommendationKind(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate of commendation")  # Giấy khen
    MERIT_CERTIFICATE = "merit_certificate", _("Certificate of merit")  # Bằng khen
    EMULATION_FIGHTER = "emulation_fighter", _("Emulation fighter")  # Chiến sĩ thi đua
    EMULATION_FLAG = "emulation_flag", _("Emulation flag")  # Cờ thi đua
    MEDAL = "medal", _("Order (State decoration)")  # Huân chương
    OTHER = "other", _("Other form of commendation")  # Khác


class Subject(models.TextChoices):
    """Whom a commendation honours: one person or one collective (a unit), never both."""

    STAFF = "staff", _("A staff member")
    UNIT = "unit", _("A unit")
