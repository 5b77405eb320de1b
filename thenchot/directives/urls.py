"""Pages of directives. Documents and tasks are found by their code, and an official number such
as "12/KL-UBND" serves as a code (imports use it), so a code may hold "/": the code is a `path`.

A `path` also matches "<code>/<action>", so every route under a record comes before the record
itself; otherwise ".../12/KL-UBND/progress/" would be read as the task "12/KL-UBND/progress".
The price, as in the API (`api/urls.py`): a code ending in "/<action>" (say "X/progress") reaches
that action of "X", not its own page. Links are built with `reverse()`/`{% url %}`, which keep
the "/" and quote what a path must not hold ("#", "?", "%").
"""

from django.urls import path

from thenchot.directives import views

app_name = "directives"
urlpatterns = [
    path("", views.my_task_list, name="mine"),
    path("unit/", views.unit_task_list, name="unit"),
    path("assigned/", views.assigned_task_list, name="assigned"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/assignees/", views.assignee_options, name="assignee_options"),
    path("pick/units/", views.unit_pick, name="pick_unit"),
    path("pick/assignees/", views.assignee_pick, name="pick_assignee"),
    path("pick/documents/", views.document_pick, name="pick_document"),
    path("tasks/<path:code>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<path:code>/progress/<int:pk>/file/", views.progress_file, name="progress_file"),
    path("tasks/<path:code>/extension/", views.task_extension, name="task_extension"),
    path(
        "tasks/<path:code>/extensions/<int:pk>/decide/",
        views.extension_decide,
        name="extension_decide",
    ),
    path("tasks/<path:code>/complete/", views.task_complete, name="task_complete"),
    path("tasks/<path:code>/assess/", views.task_assess, name="task_assess"),
    path("tasks/<path:code>/comment/", views.task_comment, name="task_comment"),
    path("tasks/<path:code>/subtask/", views.task_subtask, name="task_subtask"),
    path("tasks/<path:code>/", views.task_page, name="task"),
    path("documents/", views.document_list, name="documents"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<path:code>/attach/", views.document_attach, name="document_attach"),
    path("documents/<path:code>/files/<int:pk>/", views.attachment_download, name="attachment"),
    path("documents/<path:code>/", views.document_page, name="document"),
]
