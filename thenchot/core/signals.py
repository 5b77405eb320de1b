"""Signals the floor defines for apps above it to listen to (core imports no app).

`period_closed`: sent inside the close's transaction, once the closed periods' results are
written; `period_ids` are the EvaluationPeriod primary keys closed now. `period_reopened`: sent
inside the reopening's transaction with the one period reopened. A listener that raises rolls
the close (or reopening) back with it.
"""

from __future__ import annotations

from django.dispatch import Signal

period_closed = Signal()  # sender: the model class; period_ids: list[int]; by: the user or None
period_reopened = Signal()  # sender: the model class; period_id: int; by: the user or None
