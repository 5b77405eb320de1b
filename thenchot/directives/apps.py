from django.utils.translation import gettext_lazy as _

from thenchot.core.plugins import PluginAppConfig


class DirectivesConfig(PluginAppConfig):
    name = "thenchot.directives"
    label = "directives"
    verbose_name = _("Task direction tracking")
    url_prefix = "directives/"
    has_api = True

    def ready(self) -> None:
        from thenchot.core.menu import MenuEntry, menu_entries

        menu_entries.register(
            "tasks",
            MenuEntry(
                key="tasks",
                label=_("Tasks"),
                url_name="directives:mine",
                namespaces=("directives",),
                element_id="nav-tasks",
            ),
            order=40,
        )
        from thenchot.core.registry import due_sources, record_access
        from thenchot.directives import interchange  # noqa: F401  (registers documents, tasks)
        from thenchot.directives.due import task_due_source
        from thenchot.directives.selectors import can_read_task

        due_sources.register(task_due_source.policy_key, task_due_source)

        from thenchot.core.registry import demo_loaders
        from thenchot.directives.demo import load_demo_directives

        demo_loaders.register("directives", load_demo_directives, order=30)

        from thenchot.core.reporting import ReportBlock, register_block
        from thenchot.directives.statistics import has_tasks, narrative_tasks, report_block_tasks

        register_block(
            ReportBlock(
                key="tasks",
                title=_("Tasks"),
                compute=report_block_tasks,
                has_data=has_tasks,
                narrative=narrative_tasks,
            ),
            order=60,
        )

        def task_readable(scope, task) -> bool:  # type: ignore[no-untyped-def]
            return can_read_task(scope, task)

        def signed_in(scope, obj) -> bool:  # type: ignore[no-untyped-def]
            return scope.user_id is not None

        record_access.register("directives.task", task_readable)
        record_access.register("directives.sourcedocument", signed_in)
        record_access.register("directives.documentattachment", signed_in)
        for label in ("progressreport", "extensionrequest", "taskcomment"):
            record_access.register(
                f"directives.{label}",
                lambda scope, obj: can_read_task(scope, obj.task),
            )
