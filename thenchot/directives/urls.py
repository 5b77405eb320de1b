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
    path("tasks/<str:code>/", views.task_page, name="task"),
    path("tasks/<str:code>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<str:code>/progress/<int:pk>/file/", views.progress_file, name="progress_file"),
    path("tasks/<str:code>/extension/", views.task_extension, name="task_extension"),
    path(
        "tasks/<str:code>/extensions/<int:pk>/decide/",
        views.extension_decide,
        name="extension_decide",
    ),
    path("tasks/<str:code>/complete/", views.task_complete, name="task_complete"),
    path("tasks/<str:code>/assess/", views.task_assess, name="task_assess"),
    path("tasks/<str:code>/comment/", views.task_comment, name="task_comment"),
    path("tasks/<str:code>/subtask/", views.task_subtask, name="task_subtask"),
    path("documents/", views.document_list, name="documents"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<str:code>/", views.document_page, name="document"),
    path("documents/<str:code>/attach/", views.document_attach, name="document_attach"),
    path("documents/<str:code>/files/<int:pk>/", views.attachment_download, name="attachment"),
]
