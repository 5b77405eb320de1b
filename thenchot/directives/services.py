"""Writes to documents and tasks. Keyword-only, atomic, validated, audited; who may act is
re-checked inside the transaction (the rules are in `selectors`' docstring).

Every refused change raises `DomainError` (or `OutOfScope`, `ConcurrentUpdate`) before anything
is written, so a refusal changes nothing. Notifications are sent after commit, and only when the
`notifications` app provides `notify` (see `_notify`).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import uuid
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from thenchot.accounts.scoping import compute_scope
from thenchot.core import auditing
from thenchot.core.concurrency import ConcurrentUpdate, save_versioned
from thenchot.core.context import acting
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives.choices import ExtensionStatus, Priority, Quality
from thenchot.directives.models import (
    DocumentAttachment,
    ExtensionRequest,
    ProgressReport,
    SourceDocument,
    Task,
    TaskComment,
)
from thenchot.directives.selectors import (
    Authority,
    authority_for,
    can_read_task,
    head_user_ids,
    staff_in_subtree_on,
)
from thenchot.directives.status import effective_deadline, extension_facts
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.people.models import Staff

log = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# extension -> (content type, check of the first bytes / the archive)
_PDF = b"%PDF-"
_PNG = b"\x89PNG\r\n\x1a\n"
_JPG = b"\xff\xd8\xff"
_ZIP = b"PK\x03\x04"
ALLOWED_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}


# -- shared checks ------------------------------------------------------------------------------
def _today() -> dt.date:
    return timezone.localdate()


def _refuse(message: Any, field: str | None = None) -> DomainError:
    return DomainError(message, field_errors={field: [message]} if field else None)


def _full_clean(instance: Any, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        fields = {k: list(v) for k, v in exc.message_dict.items()}
        first = next(iter(fields.values()))[0] if fields else _("The change was refused.")
        raise DomainError(first, field_errors=fields) from exc


def _date_not_future(value: dt.date, field: str) -> None:
    if value > _today():
        raise _refuse(_("This date cannot be in the future."), field)


def validate_upload(file: UploadedFile) -> tuple[str, int, str]:
    """(name, size, content type) of an accepted attachment, or DomainError.

    Accepted: PDF, DOCX, XLSX, JPEG, PNG up to 20 MB, checked by extension *and* by content, so a
    renamed executable or an HTML page saved as .pdf is refused."""
    name = (file.name or "").rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    size = int(file.size or 0)
    if size > MAX_ATTACHMENT_BYTES:
        raise _refuse(
            _("The file is too large (%(size)s MB); the limit is 20 MB.")
            % {"size": f"{size / 1024 / 1024:.1f}"},
            "file",
        )
    if size == 0:
        raise _refuse(_("The file is empty."), "file")
    if ext not in ALLOWED_TYPES:
        raise _refuse(
            _("Files of type '%(ext)s' are not accepted; use PDF, DOCX, XLSX, JPG or PNG.")
            % {"ext": ext or "?"},
            "file",
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    ok = {
        "pdf": head.startswith(_PDF),
        "png": head.startswith(_PNG),
        "jpg": head.startswith(_JPG),
        "jpeg": head.startswith(_JPG),
        "docx": head.startswith(_ZIP) and _zip_has(file, "word/document.xml"),
        "xlsx": head.startswith(_ZIP) and _zip_has(file, "xl/workbook.xml"),
    }[ext]
    if not ok:
        raise _refuse(
            _("The content of '%(name)s' is not a valid %(ext)s file.")
            % {"name": name, "ext": ext.upper()},
            "file",
        )
    return name, size, ALLOWED_TYPES[ext]


def _zip_has(file: UploadedFile, member: str) -> bool:
    try:
        file.seek(0)
        data = io.BytesIO(file.read())
        with zipfile.ZipFile(data) as archive:
            return member in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        file.seek(0)


def _authority(by: Any) -> Authority:
    if by is None or not getattr(by, "is_authenticated", False):
        raise OutOfScope()
    return authority_for(by, _today())


def _locked_task(task: Task) -> Task:
    """The task's current row, locked for the rest of the transaction (PostgreSQL; SQLite
    serialises writers with IMMEDIATE transactions)."""
    return Task.objects.select_for_update().get(pk=task.pk)


def _require_lead_side(auth: Authority, task: Task) -> None:
    if not auth.is_lead_side(task):
        raise OutOfScope(_("Only the lead unit of this task (or its assignee) can do this."))


def _require_assigning_side(auth: Authority, task: Task) -> None:
    if not auth.is_assigning_side(task):
        raise OutOfScope(_("Only the side that assigned this task can do this."))


def _require_open(task: Task) -> None:
    if task.completed_on is not None:
        raise _refuse(_("This task is already completed."))


def _current_deadline(task: Task, on: dt.date) -> dt.date:
    facts = extension_facts(task.extensions.all())
    return effective_deadline(deadline=task.deadline, extensions=facts, on=on)


def _notify(*, users: Iterable[int | None], task: Task, event: str, message: Any) -> None:
    """Tell `users` about `event` on `task` after commit, through notifications.services.notify
    when that app provides it (it is optional for this module)."""
    recipients = sorted({u for u in users if u is not None})
    if not recipients or not apps.is_installed("thenchot.notifications"):
        return
    try:
        from thenchot.notifications.services import notify
    except ImportError:
        return

    def send() -> None:
        # Stored as text in the site language (the recipients'), not the actor's.
        with translation.override(settings.LANGUAGE_CODE):
            title = f"{task.code}: {message}"
        try:
            notify(
                recipients=recipients,
                title=title,
                body=task.title,
                url=reverse("directives:task", args=[task.code]),
                model_label="directives.task",
                object_id=task.pk,
            )
        except Exception:  # a failing notification must never undo the change it reports
            log.exception("notify failed for task %s (%s)", task.code, event)

    transaction.on_commit(send)


def _snap(instance: Any) -> dict[str, Any]:
    """`auditing.snapshot`, with stored files as their names (the writer cannot JSON them)."""
    from django.db.models.fields.files import FieldFile

    data = auditing.snapshot(instance)
    for key, value in data.items():
        if isinstance(value, FieldFile):
            data[key] = value.name or None
    return data


def _heads(unit_id: int | None) -> list[int]:
    if unit_id is None:
        return []
    return head_user_ids({unit_id}, _today()).get(unit_id, [])


def _recompute_parent_progress(task: Task) -> None:
    """A parent's progress is the weight-averaged progress of its sub-tasks (completed ones
    count 100%), carried up the chain."""
    parent_id = task.parent_id
    while parent_id is not None:
        rows = list(
            Task.objects.filter(parent_id=parent_id).values_list(
                "weight", "progress", "completed_on"
            )
        )
        total = sum((w for w, _p, _c in rows), Decimal(0))
        if not total:
            return
        done = sum((w * (100 if c is not None else p) for w, p, c in rows), Decimal(0))
        value = int((done / total).quantize(Decimal(1)))
        parent = Task.objects.get(pk=parent_id)
        if parent.progress != value and parent.completed_on is None:
            before = auditing.snapshot(parent)
            Task.objects.filter(pk=parent_id).update(progress=value)
            parent.progress = value
            auditing.record(
                parent,
                action=auditing.UPDATE,
                before=before,
                reason=_("progress rolled up from sub-tasks"),
            )
        parent_id = parent.parent_id


def _new_code(prefix: str, on: dt.date) -> str:
    return f"{prefix}-{on.year}-{uuid.uuid4().hex[:10].upper()}"


# -- documents ----------------------------------------------------------------------------------
@transaction.atomic
def document_create(
    *,
    by: Any,
    code: str,
    kind: str,
    issued_on: dt.date,
    issuer: Unit,
    title: str,
    number: str = "",
    signer: str = "",
) -> SourceDocument:
    """Record a source document. Who: anyone who may assign tasks from `issuer`."""
    with acting(actor=by):
        auth = _authority(by)
        if not auth.can_assign_from(issuer.pk):
            raise OutOfScope(_("You cannot record documents issued by this unit."))
        if SourceDocument.objects.filter(code=code).exists():
            raise _refuse(
                _("A document with code '%(code)s' already exists.") % {"code": code}, "code"
            )
        doc = SourceDocument(
            code=code,
            kind=kind,
            number=number,
            issued_on=issued_on,
            issuer=issuer,
            signer=signer,
            title=title,
        )
        _full_clean(doc)
        doc.save()
        auditing.record(doc, action=auditing.CREATE)
        return doc


@transaction.atomic
def document_attach(*, by: Any, document: SourceDocument, file: UploadedFile) -> DocumentAttachment:
    """Store a file on a document (size and type checked: `validate_upload`)."""
    with acting(actor=by):
        auth = _authority(by)
        if not auth.can_assign_from(document.issuer_id):
            raise OutOfScope(_("You cannot change documents issued by this unit."))
        name, size, content_type = validate_upload(file)
        attachment = DocumentAttachment(
            document=document, name=name, size=size, content_type=content_type, uploaded_by=by
        )
        attachment.file.save(name, file, save=False)
        attachment.save()
        auditing.record(attachment, action=auditing.CREATE, after=_snap(attachment))
        return attachment


# -- tasks --------------------------------------------------------------------------------------
@transaction.atomic
def task_create(
    *,
    by: Any,
    title: str,
    lead_unit: Unit,
    assigner_unit: Unit,
    assigned_on: dt.date,
    deadline: dt.date,
    document: SourceDocument | None = None,
    code: str = "",
    description: str = "",
    coordinating_units: Iterable[Unit] = (),
    assignee: Staff | None = None,
    priority: str = Priority.NORMAL,
    weight: Decimal | int | str = 1,
    expected_product: str = "",
) -> Task:
    """Assign a task from `assigner_unit` (by `by`) to `lead_unit`, from `document` or ad hoc.

    Refused, with every problem named at once: a deadline before the assigned date; a lead,
    coordinating or assigning unit that did not exist on the assigned date; an assigned date
    before the document's; an assignee outside the lead unit's subtree on the assigned date; a
    code already used. `by` must be able to assign from `assigner_unit` (an administrator, the
    city leadership, or a manager of it); any existing unit may be the lead unit — a department
    assigns to communes it does not manage."""
    with acting(actor=by):
        auth = _authority(by)
        if not auth.can_assign_from(assigner_unit.pk):
            raise OutOfScope(_("You cannot assign tasks on behalf of this unit."))
        coordinators = list(coordinating_units)
        errors = _task_errors(
            title=title,
            lead_unit=lead_unit,
            assigner_unit=assigner_unit,
            assigned_on=assigned_on,
            deadline=deadline,
            document=document,
            coordinating_units=coordinators,
            assignee=assignee,
            code=code,
        )
        if errors:
            first = next(iter(errors.values()))[0]
            raise DomainError(first, field_errors=errors)
        task = Task(
            code=code or _new_code("NV", assigned_on),
            title=title,
            description=description,
            document=document,
            lead_unit=lead_unit,
            assignee=assignee,
            assigner_unit=assigner_unit,
            assigned_by=by,
            assigned_on=assigned_on,
            deadline=deadline,
            priority=priority,
            weight=Decimal(str(weight)),
            expected_product=expected_product,
        )
        _full_clean(task)
        task.save()
        if coordinators:
            task.coordinating_units.set(coordinators)
        auditing.record(
            task,
            action=auditing.CREATE,
            after={
                **auditing.snapshot(task),
                "coordinating_units": sorted(u.code for u in coordinators),
            },
        )
        _notify(
            users=[assignee.user_id if assignee else None, *_heads(lead_unit.pk)],
            task=task,
            event="task_assigned",
            message=_lazy("new task assigned"),
        )
        return task


def _task_errors(
    *,
    title: str,
    lead_unit: Unit,
    assigner_unit: Unit | None,
    assigned_on: dt.date,
    deadline: dt.date,
    document: SourceDocument | None,
    coordinating_units: list[Unit],
    assignee: Staff | None,
    code: str,
) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}

    def add(field: str, message: Any) -> None:
        errors.setdefault(field, []).append(message)

    if not title.strip():
        add("title", _("A task needs a title."))
    if deadline < assigned_on:
        add("deadline", _("The deadline cannot be before the assigned date."))
    if not lead_unit.is_valid_on(assigned_on):
        add("lead_unit", _("This unit did not exist on the assigned date."))
    if assigner_unit is not None and not assigner_unit.is_valid_on(assigned_on):
        add("assigner_unit", _("This unit did not exist on the assigned date."))
    if document is not None and assigned_on < document.issued_on:
        add("assigned_on", _("A task cannot be assigned before its document was issued."))
    for unit in coordinating_units:
        if unit.pk == lead_unit.pk:
            add("coordinating_units", _("The lead unit cannot also coordinate."))
        elif not unit.is_valid_on(assigned_on):
            add(
                "coordinating_units",
                _("Unit '%(unit)s' did not exist on the assigned date.") % {"unit": unit.code},
            )
    if assignee is not None and not staff_in_subtree_on(assignee.pk, lead_unit.pk, assigned_on):
        add(
            "assignee",
            _("%(name)s is not in the lead unit or a unit under it on the assigned date.")
            % {"name": assignee.full_name},
        )
    if code and Task.objects.filter(code=code).exists():
        add("code", _("A task with code '%(code)s' already exists.") % {"code": code})
    return errors


@transaction.atomic
def subtask_create(
    *,
    by: Any,
    parent: Task,
    title: str,
    lead_unit: Unit,
    deadline: dt.date,
    assignee: Staff | None = None,
    assigned_on: dt.date | None = None,
    weight: Decimal | int | str = 1,
    code: str = "",
    description: str = "",
    expected_product: str = "",
) -> Task:
    """A manager of the parent's lead unit delegates part of it to a division or person inside
    that unit's subtree. The sub-task is assigned from the parent's lead unit, inherits its
    document and priority, and cannot fall due after the parent's effective deadline."""
    with acting(actor=by):
        auth = _authority(by)
        parent = _locked_task(parent)
        if not auth.manages_lead_unit(parent):
            raise OutOfScope(_("Only a manager of the lead unit can delegate this task."))
        _require_open(parent)
        assigned_on = assigned_on or _today()
        errors = _task_errors(
            title=title,
            lead_unit=lead_unit,
            assigner_unit=None,
            assigned_on=assigned_on,
            deadline=deadline,
            document=None,
            coordinating_units=[],
            assignee=assignee,
            code=code,
        )
        if lead_unit.pk not in tree().subtree_on(parent.lead_unit_id, assigned_on):
            errors.setdefault("lead_unit", []).append(
                _("A sub-task goes to the lead unit or a unit under it.")
            )
        if assigned_on < parent.assigned_on:
            errors.setdefault("assigned_on", []).append(
                _("A sub-task cannot be assigned before its parent task.")
            )
        parent_deadline = _current_deadline(parent, _today())
        if deadline > parent_deadline:
            errors.setdefault("deadline", []).append(
                _("A sub-task cannot fall due after its parent task (%(date)s).")
                % {"date": parent_deadline.strftime("%d/%m/%Y")}
            )
        if errors:
            raise DomainError(next(iter(errors.values()))[0], field_errors=errors)
        task = Task(
            code=code or f"{parent.code}.{uuid.uuid4().hex[:6].upper()}",
            title=title,
            description=description,
            document_id=parent.document_id,
            parent=parent,
            lead_unit=lead_unit,
            assignee=assignee,
            assigner_unit_id=parent.lead_unit_id,
            assigned_by=by,
            assigned_on=assigned_on,
            deadline=deadline,
            priority=parent.priority,
            weight=Decimal(str(weight)),
            expected_product=expected_product,
        )
        _full_clean(task)
        task.save()
        auditing.record(task, action=auditing.CREATE)
        _recompute_parent_progress(task)
        _notify(
            users=[assignee.user_id if assignee else None, *_heads(lead_unit.pk)],
            task=task,
            event="task_assigned",
            message=_lazy("new sub-task assigned"),
        )
        return task


@transaction.atomic
def progress_report(
    *,
    by: Any,
    task: Task,
    percent: int,
    note: str = "",
    attachment: UploadedFile | None = None,
    reported_on: dt.date | None = None,
) -> ProgressReport:
    """The lead side reports progress (0–100%) on an open task; the task's progress follows
    the latest report, and a parent's progress is rolled up again."""
    with acting(actor=by):
        auth = _authority(by)
        task = _locked_task(task)
        _require_lead_side(auth, task)
        _require_open(task)
        reported_on = reported_on or _today()
        if not 0 <= int(percent) <= 100:
            raise _refuse(_("Progress must be between 0 and 100%."), "percent")
        if reported_on < task.assigned_on:
            raise _refuse(
                _("A report cannot be dated before the task was assigned."), "reported_on"
            )
        _date_not_future(reported_on, "reported_on")
        report = ProgressReport(
            task=task, reported_on=reported_on, percent=int(percent), note=note, reported_by=by
        )
        if attachment is not None:
            name, _size, _type = validate_upload(attachment)
            report.attachment.save(name, attachment, save=False)
        _full_clean(report, exclude=["attachment"])
        report.save()
        auditing.record(report, action=auditing.CREATE, after=_snap(report))
        if task.progress != report.percent:
            before = auditing.snapshot(task)
            Task.objects.filter(pk=task.pk).update(progress=report.percent)
            task.progress = report.percent
            auditing.record(task, action=auditing.UPDATE, before=before)
        _recompute_parent_progress(task)
        return report


@transaction.atomic
def extension_request(
    *,
    by: Any,
    task: Task,
    new_deadline: dt.date,
    reason: str,
    requested_on: dt.date | None = None,
) -> ExtensionRequest:
    """The lead side asks for a later deadline, with a reason. One pending request at a time;
    the new deadline must be later than the deadline in force. A request made after that
    deadline has passed is accepted, and keeps the delay on record (`previous_deadline`)."""
    with acting(actor=by):
        auth = _authority(by)
        task = _locked_task(task)
        _require_lead_side(auth, task)
        _require_open(task)
        requested_on = requested_on or _today()
        _date_not_future(requested_on, "requested_on")
        if requested_on < task.assigned_on:
            raise _refuse(
                _("A request cannot be dated before the task was assigned."), "requested_on"
            )
        if not reason.strip():
            raise _refuse(_("Give the reason for the extension."), "reason")
        if task.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise _refuse(_("This task already has a pending extension request."))
        current = _current_deadline(task, requested_on)
        if new_deadline <= current:
            raise _refuse(
                _("The new deadline must be later than the deadline in force (%(date)s).")
                % {"date": current.strftime("%d/%m/%Y")},
                "new_deadline",
            )
        request = ExtensionRequest(
            task=task,
            requested_on=requested_on,
            previous_deadline=current,
            new_deadline=new_deadline,
            reason=reason,
            requested_by=by,
        )
        _full_clean(request)
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError as exc:  # a concurrent request won the one-pending constraint
            raise _refuse(_("This task already has a pending extension request.")) from exc
        auditing.record(request, action=auditing.CREATE)
        _notify(
            users=[task.assigned_by_id, *_heads(task.assigner_unit_id)],
            task=task,
            event="extension_requested",
            message=_lazy("extension requested"),
        )
        return request


@transaction.atomic
def extension_decide(
    *,
    request: ExtensionRequest,
    approve: bool,
    comment: str,
    by: Any,
    expected_version: int,
    decided_on: dt.date | None = None,
) -> ExtensionRequest:
    """The assigning side approves or rejects a pending request (a rejection needs a comment).
    An approval moves the effective deadline from `decided_on`. Someone who is not on the
    assigning side is refused; of two people deciding at once, the second is told the record
    changed (`ConcurrentUpdate`)."""
    with acting(actor=by):
        auth = _authority(by)
        fresh = ExtensionRequest.objects.select_related("task").get(pk=request.pk)
        task = fresh.task
        _require_assigning_side(auth, task)
        if fresh.version != expected_version:
            raise ConcurrentUpdate()
        if fresh.status != ExtensionStatus.PENDING:
            raise _refuse(_("This request has already been decided."))
        _require_open(task)
        decided_on = decided_on or _today()
        _date_not_future(decided_on, "decided_on")
        if decided_on < fresh.requested_on:
            raise _refuse(_("A decision cannot be dated before the request."), "decided_on")
        if not approve and not comment.strip():
            raise _refuse(_("Say why the request is rejected."), "comment")
        before = auditing.snapshot(fresh)
        fresh.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        fresh.decided_on = decided_on
        fresh.decided_by = by
        fresh.decision_comment = comment
        save_versioned(
            fresh,
            expected_version=expected_version,
            fields=["status", "decided_on", "decided_by", "decision_comment"],
        )
        auditing.record(fresh, action=auditing.UPDATE, before=before)
        _notify(
            users=[fresh.requested_by_id, task.assignee.user_id if task.assignee else None]
            + _heads(task.lead_unit_id),
            task=task,
            event="extension_approved" if approve else "extension_rejected",
            message=_lazy("extension approved") if approve else _lazy("extension rejected"),
        )
        return fresh


@transaction.atomic
def task_complete(
    *,
    by: Any,
    task: Task,
    completed_on: dt.date,
    product: str,
    expected_version: int,
    quality: str | None = None,
    major_errors: int | None = None,
) -> Task:
    """Record the completion of a task with its product. The lead side or the assigning side
    may record it; the quality mark and major errors are the assigning side's to give (here or
    later with `task_assess`). Completing twice is refused."""
    with acting(actor=by):
        auth = _authority(by)
        fresh = _locked_task(task)
        lead, assigning = auth.is_lead_side(fresh), auth.is_assigning_side(fresh)
        if not (lead or assigning):
            raise OutOfScope(_("Only the lead unit or the assigning side can complete this task."))
        if (quality is not None or major_errors is not None) and not assigning:
            raise OutOfScope(_("Only the side that assigned this task gives its quality mark."))
        if fresh.version != expected_version:
            raise ConcurrentUpdate()
        _require_open(fresh)
        if not product.strip():
            raise _refuse(_("Describe the product of the task."), "product")
        if completed_on < fresh.assigned_on:
            raise _refuse(_("A task cannot be completed before it was assigned."), "completed_on")
        _date_not_future(completed_on, "completed_on")
        _check_quality(quality, major_errors)
        before = auditing.snapshot(fresh)
        fresh.completed_on = completed_on
        fresh.product = product
        fresh.progress = 100
        fresh.completion_recorded_by = by
        fields = ["completed_on", "product", "progress", "completion_recorded_by"]
        if quality is not None:
            fresh.quality = quality
            fields.append("quality")
        if major_errors is not None:
            fresh.major_errors = major_errors
            fields.append("major_errors")
        save_versioned(fresh, expected_version=expected_version, fields=fields)
        auditing.record(fresh, action=auditing.UPDATE, before=before)
        _recompute_parent_progress(fresh)
        _notify(
            users=[fresh.assigned_by_id, *_heads(fresh.assigner_unit_id)],
            task=fresh,
            event="task_completed",
            message=_lazy("task completed"),
        )
        _copy_back(task, fresh)
        return fresh


def _check_quality(quality: str | None, major_errors: int | None) -> None:
    if quality is not None and quality not in Quality.values:
        raise _refuse(_("Unknown quality mark '%(value)s'.") % {"value": quality}, "quality")
    if major_errors is not None and not 0 <= int(major_errors) <= 100:
        raise _refuse(_("Major errors must be a number from 0."), "major_errors")


def _copy_back(target: Task, fresh: Task) -> None:
    for field in fresh._meta.concrete_fields:
        setattr(target, field.attname, getattr(fresh, field.attname))


@transaction.atomic
def task_assess(
    *, by: Any, task: Task, quality: str, major_errors: int, expected_version: int
) -> Task:
    """The assigning side grades a completed task: quality mark and number of major errors."""
    with acting(actor=by):
        auth = _authority(by)
        fresh = _locked_task(task)
        _require_assigning_side(auth, fresh)
        if fresh.version != expected_version:
            raise ConcurrentUpdate()
        if fresh.completed_on is None:
            raise _refuse(_("Only a completed task can be graded."))
        _check_quality(quality, major_errors)
        before = auditing.snapshot(fresh)
        fresh.quality = quality
        fresh.major_errors = int(major_errors)
        save_versioned(fresh, expected_version=expected_version, fields=["quality", "major_errors"])
        auditing.record(fresh, action=auditing.UPDATE, before=before)
        _copy_back(task, fresh)
        return fresh


@transaction.atomic
def task_comment(*, by: Any, task: Task, text: str) -> TaskComment:
    """A checking, urging or handling note by anyone who may read the task."""
    with acting(actor=by):
        if by is None or not by.is_authenticated:
            raise OutOfScope()
        if not can_read_task(compute_scope(by, _today()), task):
            raise OutOfScope()
        if not text.strip():
            raise _refuse(_("A comment cannot be empty."), "text")
        comment = TaskComment.objects.create(task=task, author=by, text=text.strip())
        auditing.record(comment, action=auditing.CREATE)
        return comment
