from django.utils.translation import gettext_lazy as _

from thenchot.core.menu import OVERSIGHT, MenuEntry
from thenchot.core.plugins import Part, PluginAppConfig


class RotationConfig(PluginAppConfig):
    verbose_name = _("Periodic job rotation")
    menu = MenuEntry(url_name="rotation:due", group=OVERSIGHT.key)
    menu_order = 62
    menu_groups = (OVERSIGHT,)
    imports = ("interchange",)  # leaves, rotations
    report_block = Part("statistics.rotations_block", order=30)
    person_panel = Part("panels.person_panel", order=40)
    record_access = Part("selectors.RECORD_ACCESS")
    demo_loader = Part("demo.load_demo_rotation", order=55)

    def ready(self) -> None:
        super().ready()
        from thenchot.core.registry import demo_loaders
        from thenchot.discipline.demo import open_case_candidates
        from thenchot.rotation.demo import due_staff, load_demo_rotation_history

        open_case_candidates.register("rotation", due_staff)
        # 2023's rotations move people before any app gives them work (tasks from order 30): a
        # task is never assigned to someone who, by the history, had already left its unit.
        demo_loaders.register("rotation_history", load_demo_rotation_history, order=25)
