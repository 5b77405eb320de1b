from django.db import models
from django.utils.translation import gettext_lazy as _


class Element(models.TextChoices):
    """The five elements of the satisfaction index (Hanoi's SIPAS questionnaire): access to the
    service, the procedure, the civil servant, the result, and the handling of feedback."""

    ACCESS = "access", _("Access to the service")
    PROCEDURE = "procedure", _("Administrative procedure")
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    RESULT = "result", _("Result of the service")
    FEEDBACK = "feedback", _("Handling of feedback")


ELEMENTS: tuple[str, ...] = tuple(Element.values)
SCORES: tuple[int, ...] = (1, 2, 3, 4, 5)
# An answer of 4 or 5 counts as satisfied (report.md, `satisfaction`).
SATISFIED_FROM = 4

# One question per element, the shape of the demo's and the default questionnaire.
STANDARD_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("Q1", "Việc tiếp cận dịch vụ có thuận tiện không?", "access"),
    ("Q2", "Thủ tục hành chính có đơn giản, công khai không?", "procedure"),
    ("Q3", "Công chức có lịch sự, tận tình không?", "civil_servant"),
    ("Q4", "Kết quả có đúng hạn, đúng quy định không?", "result"),
    ("Q5", "Góp ý, phản ánh có được tiếp nhận và xử lý không?", "feedback"),
)
