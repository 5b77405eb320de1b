"""The project's settings with the checklist's one line added."""

from thenchot.settings import *  # noqa: F403
from thenchot.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS[:-1], "thenchot.core.tests.plugin_app", INSTALLED_APPS[-1]]
