"""The mapping of groups: compared as directories compare them, city-wide roles name no
unit, other roles must; edits in the admin are audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from thenchot.audit.models import AuditEntry
from thenchot.directory.models import GroupMapping
from thenchot.directory.services import roles_for_groups


def test_groups_are_compared_as_the_directory_compares_them(world):  # type: ignore[no-untyped-def]
    GroupMapping.objects.create(
        group="CN=To-Chuc,OU=Groups,DC=hanoi", role="personnel", unit=world.snv
    )
    assert roles_for_groups(["cn=to-chuc, ou=groups, dc=hanoi"]) == {("personnel", world.snv.pk)}
    assert roles_for_groups(["cn=to-chuc,ou=other,dc=hanoi"]) == set()


def test_a_unit_role_needs_its_unit_and_a_city_wide_role_has_none(world):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        GroupMapping(group="g", role="personnel").full_clean()
    leaders = GroupMapping.objects.create(group="lanh-dao", role="city_leadership", unit=world.snv)
    assert leaders.unit is None


def test_the_admin_audits_an_edit(client_for, world):  # type: ignore[no-untyped-def]
    admin = client_for("quan")
    world.user("quan").is_staff = world.user("quan").is_superuser = True
    world.user("quan").save()
    response = admin.post(
        "/admin/directory/groupmapping/add/",
        {"group": " cn=thanh-tra,dc=hanoi ", "role": "inspector", "unit": world.stc.pk, "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mapping = GroupMapping.objects.get()
    assert mapping.group == "cn=thanh-tra,dc=hanoi" and mapping.group_key == "cn=thanh-tra,dc=hanoi"
    line = AuditEntry.objects.get(model_label="directory.groupmapping")
    assert line.action == "create" and line.actor_id == world.user("quan").pk
    refused = admin.post(
        "/admin/directory/groupmapping/add/",
        {"group": "cn=thanh-tra,dc=hanoi", "role": "inspector", "unit": world.stc.pk},
    )
    assert refused.status_code == 200 and GroupMapping.objects.count() == 1
