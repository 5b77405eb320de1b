from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "thenchot.appraisal"
    label = "appraisal"
    verbose_name = _("Evaluation and classification")
