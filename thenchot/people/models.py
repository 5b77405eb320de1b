"""Staff, job positions, dated unit assignments and dated heads of units."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thenchot.core.collation import MAX_KEY_LENGTH, name_sort_key
from thenchot.core.fields import parent_reference, reference
from thenchot.core.models import Dated, VersionedModel, check, not_before, valid_range
from thenchot.core.text import fold
from thenchot.people.choices import AssignmentReason, HeadRole, LeaveKind, StaffCategory


class JobPosition(VersionedModel):
    """A job position (vị trí việc làm); some are subject to periodic rotation."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    rotation_subject = models.BooleanField(_("subject to periodic rotation"), default=False)
    rotation_period_months = models.PositiveSmallIntegerField(
        _("rotation period (months)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("job position")
        verbose_name_plural = _("job positions")
        ordering = ["code"]
        constraints = [
            check(
                Q(rotation_period_months__isnull=True)
                | Q(rotation_period_months__gte=24, rotation_period_months__lte=60),
                name="people_jobposition_period_24_60",
                message=_("The rotation period must be between 24 and 60 months."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class NameKeyField(models.CharField):  # type: ignore[type-arg]
    """A `core.collation` sort key: compared byte by byte on every database. SQLite's default
    collation is already BINARY; PostgreSQL gets COLLATE "C", since the database's default
    (often en_US.UTF-8) would weigh digits and punctuation its own way."""

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


class Staff(VersionedModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=StaffCategory.choices)
    # The unit of the open assignment: kept in step by the services so that lists filter and
    # sort without a join on the history (the history is in Assignment).
    unit = reference("org.Unit", _("unit"), "staff")
    position_title = models.CharField(_("position title"), max_length=200, blank=True)
    is_leader = models.BooleanField(_("leader or manager"), default=False)
    job_position = reference(JobPosition, _("job position"), "staff", optional=True)
    in_position_since = models.DateField(_("in position since"), null=True, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    # End of employment: the last assignment ends that day (`rules.leaving_closing`).
    left_on = models.DateField(_("left on"), null=True, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    retirement_on = models.DateField(_("retirement on"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
    )
    search_text = models.CharField(_("search text"), max_length=300, blank=True, editable=False)
    # People are listed by given name, middle, family, in Vietnamese order (`core.collation`):
    # every write of `full_name` refreshes it (`save()`, the services, the import, the demo).
    name_key = NameKeyField(
        _("name sort key"), max_length=MAX_KEY_LENGTH, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["name_key", "code"]
        indexes = [
            models.Index(fields=["unit", "name_key"], name="people_staff_unit_key_idx"),
            models.Index(fields=["name_key", "code"], name="people_staff_key_idx"),
            models.Index(fields=["category"], name="people_staff_category_idx"),
        ]
        constraints = [
            not_before(
                "left_on",
                "joined_on",
                name="people_staff_left_after_joined",
                message=_("'Left on' cannot be before 'joined on'."),
                later_optional=True,
                earlier_optional=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    def refresh_search_text(self) -> None:
        """The columns derived from the name: the search text and the sort key."""
        self.search_text = staff_search_text(self.code, self.full_name)
        self.name_key = name_sort_key(self.full_name)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        fields = kwargs.get("update_fields")
        if fields is not None and "full_name" in fields:
            kwargs["update_fields"] = {*fields, "search_text", "name_key"}
        super().save(*args, **kwargs)


def staff_search_text(code: str, full_name: str) -> str:
    return f"{fold(full_name)} {fold(code)}"[:300]


class Assignment(Dated):
    """Staff member `staff` worked in `unit` from `valid_from` to `valid_to` (inclusive)."""

    staff = parent_reference(Staff, _("staff member"), "assignments")
    unit = reference("org.Unit", _("unit"), "assignments")
    reason = models.CharField(
        _("reason"), max_length=20, choices=AssignmentReason.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["staff_id", "valid_from"]
        constraints = [
            valid_range(name="people_assignment_valid_range"),
        ]
        indexes = [models.Index(fields=["unit", "valid_from"], name="people_assign_unit_idx")]

    def __str__(self) -> str:
        return f"{self.staff_id} @ {self.unit_id} [{self.valid_from}..{self.valid_to}]"


class HeadAssignment(Dated):
    """`staff` is head (or deputy) of `unit` from `valid_from` to `valid_to` (inclusive)."""

    unit = parent_reference("org.Unit", _("unit"), "heads")
    staff = parent_reference(Staff, _("staff member"), "headships")
    role = models.CharField(_("role"), max_length=10, choices=HeadRole.choices)

    class Meta:
        verbose_name = _("head or deputy")
        verbose_name_plural = _("heads and deputies")
        ordering = ["unit_id", "role", "valid_from"]
        constraints = [
            valid_range(name="people_head_valid_range"),
        ]
        indexes = [models.Index(fields=["staff", "role"], name="people_head_staff_idx")]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.role} of {self.unit_id}"


class Leave(VersionedModel):
    """A period away from work: used by evaluation (months worked) and rotation (postponements)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    staff = parent_reference(Staff, _("staff member"), "leaves")
    kind = models.CharField(_("kind"), max_length=20, choices=LeaveKind.choices)
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leaves")
        ordering = ["staff_id", "date_from"]
        constraints = [
            not_before(
                "date_to",
                "date_from",
                name="people_leave_valid_range",
                message=_("The end of a leave cannot be before its start."),
            ),
        ]
        indexes = [models.Index(fields=["staff", "date_from"], name="people_leave_staff_idx")]

    def __str__(self) -> str:
        return f"{self.code}: {self.staff_id} {self.kind} {self.date_from}..{self.date_to}"


class Child(models.Model):
    """A staff member's child, where recorded (rotation postpones while a child is under 36 months)."""

    staff = parent_reference(Staff, _("staff member"), "children")
    born_on = models.DateField(_("born on"))
    sole_carer = models.BooleanField(_("sole carer"), default=False)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["staff_id", "born_on"]

    def __str__(self) -> str:
        return f"{self.staff_id}: {self.born_on}"
