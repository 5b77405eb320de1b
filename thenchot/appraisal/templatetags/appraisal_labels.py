"""`{% load appraisal_labels %}`: `{{ use.group|quota_group }}`, `{{ use.base_label|quota_base }}`,
`{{ use.ratio|quota_ratio }}`."""

from __future__ import annotations

from django import template

from thenchot.appraisal import labels

register = template.Library()
register.filter("quota_group", labels.group_label)
register.filter("quota_base", labels.base_label)
register.filter("quota_ratio", labels.ratio_percent)
