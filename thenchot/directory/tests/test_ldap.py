"""Signing in with the agency's LDAP / Active Directory password on the usual login form: the
groups give roles on units, taken back when the groups change; local accounts keep working."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client

from thenchot.accounts.models import RoleGrant
from thenchot.accounts.testing import PASSWORD
from thenchot.audit.models import AuditEntry
from thenchot.directory.models import DirectoryAccount, DirectoryGrant, GroupMapping
from thenchot.directory.tests import ldap_double
from thenchot.directory.tests.conftest import LDAP_ENV, use_ldap

THU_PASSWORD = "Thu@HaNoi2026"


def _login(username: str, password: str) -> tuple[Client, object]:
    client = Client()
    response = client.post("/login/", {"username": username, "password": password})
    return client, response


def _grants(username: str) -> set[tuple[str, str | None]]:
    return {
        (g.role, g.unit.code if g.unit else None)
        for g in RoleGrant.objects.filter(user__username=username).select_related("unit")
    }


def _map(directory, world, group: str, role: str, unit=None) -> GroupMapping:  # type: ignore[no-untyped-def]
    return GroupMapping.objects.create(group=directory.group_dn(group), role=role, unit=unit)


def test_it_signs_in_with_the_directory_password_and_maps_the_groups(directory, world):  # type: ignore[no-untyped-def]
    _map(directory, world, "to-chuc-snv", "personnel", world.snv)
    directory.add_person("thu", THU_PASSWORD, groups=("to-chuc-snv", "khong-dung"))
    client, response = _login("thu", THU_PASSWORD)
    assert response.status_code == 302 and client.get("/").status_code == 200
    thu = get_user_model().objects.get(username="thu")
    assert not thu.has_usable_password()  # the directory holds the password, not us
    assert thu.email == "thu@hanoi.gov.vn" and thu.last_name == "Nguyễn"
    assert _grants("thu") == {("personnel", "SNV")}
    link = DirectoryAccount.objects.get(user=thu)
    assert link.source == "ldap" and link.subject == f"uid=thu,{ldap_double.PEOPLE}"
    grant = RoleGrant.objects.get(user=thu)
    assert DirectoryGrant.objects.filter(grant=grant, source="ldap").exists()
    line = AuditEntry.objects.get(model_label="accounts.rolegrant", object_id=str(grant.pk))
    assert line.action == "create" and line.actor_id == thu.pk


def test_it_refuses_a_wrong_password(directory, world):  # type: ignore[no-untyped-def]
    _map(directory, world, "to-chuc-snv", "personnel", world.snv)
    directory.add_person("thu", THU_PASSWORD, groups=("to-chuc-snv",))
    client, response = _login("thu", "sai-mat-khau")
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get("/").status_code == 302
    assert not get_user_model().objects.filter(username="thu").exists()


def test_an_empty_password_never_reaches_the_directory(directory, world):  # type: ignore[no-untyped-def]
    from thenchot.directory.tests.ldap_double import MockLDAPBackend

    _map(directory, world, "to-chuc-snv", "personnel", world.snv)
    directory.add_person("thu", THU_PASSWORD, groups=("to-chuc-snv",))
    # An anonymous bind (no password) would succeed on most servers: never a sign-in.
    assert MockLDAPBackend().authenticate(None, username="thu", password="") is None


def test_a_removed_group_takes_the_role_back_at_the_next_sign_in(directory, world):  # type: ignore[no-untyped-def]
    _map(directory, world, "to-chuc-snv", "personnel", world.snv)
    _map(directory, world, "thanh-tra", "inspector", world.stc)
    directory.add_person("thu", THU_PASSWORD, groups=("to-chuc-snv", "thanh-tra"))
    _login("thu", THU_PASSWORD)
    assert _grants("thu") == {("personnel", "SNV"), ("inspector", "STC")}
    thu = get_user_model().objects.get(username="thu")
    # A role granted by hand (the admin page) is none of the directory's business.
    RoleGrant.objects.create(user=thu, role="division_manager", unit=world.snv_tc)
    directory.set_groups("thu", ("to-chuc-snv",))
    client, response = _login("thu", THU_PASSWORD)
    assert response.status_code == 302
    assert _grants("thu") == {("personnel", "SNV"), ("division_manager", "SNV-TC")}
    removed = AuditEntry.objects.filter(model_label="accounts.rolegrant", action="delete")
    assert [e.before["role"] for e in removed] == ["inspector"]


def test_a_person_whose_groups_give_no_role_is_told_so(directory, world, settings):  # type: ignore[no-untyped-def]
    directory.add_person("khach", THU_PASSWORD, groups=("khong-dung",))
    client, response = _login("khach", THU_PASSWORD)
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert (
        errors
        == [
            "Your agency account is in no group that has a role in Then Chốt. Ask the "
            "administrator to map your group to a role."
        ]
        or "Tài khoản cơ quan" in errors[0]
    )
    assert not get_user_model().objects.filter(username="khach").exists()


def test_losing_the_last_role_refuses_the_next_sign_in(directory, world):  # type: ignore[no-untyped-def]
    _map(directory, world, "to-chuc-snv", "personnel", world.snv)
    directory.add_person("thu", THU_PASSWORD, groups=("to-chuc-snv",))
    _login("thu", THU_PASSWORD)
    directory.set_groups("thu", ())
    client, response = _login("thu", THU_PASSWORD)
    assert response.status_code == 200 and client.get("/").status_code == 302
    assert _grants("thu") == set()  # taken back, though the sign-in was refused


def test_local_accounts_keep_working(directory, world):  # type: ignore[no-untyped-def]
    client, response = _login("lan", PASSWORD)
    assert response.status_code == 302 and client.get("/").status_code == 200
    assert _grants("lan") == {("personnel", "SNV")}
    assert not DirectoryAccount.objects.exists()


def test_a_directory_namesake_never_gets_a_local_account(directory, world):  # type: ignore[no-untyped-def]
    _map(directory, world, "to-chuc-snv", "personnel", world.snv)
    # "lan" exists locally, with her own password: the directory's "lan" is someone to link
    # by hand, not to hand her account to.
    directory.add_person("lan", "Khac#Mat-khau1", groups=("to-chuc-snv",))
    client, response = _login("lan", "Khac#Mat-khau1")
    assert response.status_code == 200 and client.get("/").status_code == 302
    refusal = str(response.context["form"].non_field_errors()).lower()
    assert "already exists" in refusal or "đã có tài khoản nội bộ" in refusal
    assert not DirectoryAccount.objects.exists()


def test_an_account_without_a_password_is_linked(directory, world):  # type: ignore[no-untyped-def]
    _map(directory, world, "to-chuc-snv", "personnel", world.snv)
    imported = get_user_model().objects.create_user("thu", email="")  # no usable password
    directory.add_person("thu", THU_PASSWORD, groups=("to-chuc-snv",))
    _client, response = _login("thu", THU_PASSWORD)
    assert response.status_code == 302
    assert DirectoryAccount.objects.get(user=imported).source == "ldap"


def test_a_directory_account_never_signs_in_with_a_local_password(directory, world):  # type: ignore[no-untyped-def]
    _map(directory, world, "to-chuc-snv", "personnel", world.snv)
    directory.add_person("thu", THU_PASSWORD, groups=("to-chuc-snv",))
    _login("thu", THU_PASSWORD)
    thu = get_user_model().objects.get(username="thu")
    thu.set_password("Local#Pass2026")  # set some other way (a reset link, say)
    thu.save()
    client, response = _login("thu", "Local#Pass2026")
    assert response.status_code == 200 and client.get("/").status_code == 302


def test_it_binds_directly_and_searches_groups(settings, directory, world):  # type: ignore[no-untyped-def]
    """Without a service account: bind as the DN built from the user name; groups found by a
    search for groups naming the person as member."""
    use_ldap(
        settings,
        {
            "THENCHOT_LDAP_URL": LDAP_ENV["THENCHOT_LDAP_URL"],
            "THENCHOT_LDAP_USER_DN_TEMPLATE": f"uid={{username}},{ldap_double.PEOPLE}",
            "THENCHOT_LDAP_GROUP_BASE": ldap_double.GROUPS,
        },
    )
    dn = directory.add_person("thu", THU_PASSWORD)
    directory.add_group("lanh-dao", [dn])
    _map(directory, world, "lanh-dao", "city_leadership")
    client, response = _login("THU", THU_PASSWORD)
    assert response.status_code == 302
    assert _grants("thu") == {("city_leadership", None)}
    _client, wrong = _login("thu", "sai")
    assert wrong.status_code == 200
