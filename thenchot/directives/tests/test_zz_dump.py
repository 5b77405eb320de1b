import pytest, re
from thenchot.directives.testing import sample_task
from thenchot.directives.services import extension_request, progress_report
import datetime as dt
pytestmark = pytest.mark.django_db
def test_dump(client_for, world):
    t = sample_task(world)
    progress_report(by=world.user("lan"), task=t, percent=30, note="ok")
    extension_request(by=world.user("lan"), task=t, new_deadline=t.deadline+dt.timedelta(days=5), reason="r")
    html = client_for("minh").get(f"/directives/tasks/{t.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    main = html[html.index('<main'):]
    text = re.sub(r"<script.*?</script>", "", main, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    print(re.sub(r"\s+", " ", text))
    html = client_for("hung").get("/directives/statistics/").content.decode()
    print(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index('<main'):html.index('<script')])))
