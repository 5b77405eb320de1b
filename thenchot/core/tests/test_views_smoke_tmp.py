import pytest
pytestmark = pytest.mark.django_db

def test_smoke(client_for, world):
    c = client_for("lan")
    for url in ["/", "/org/", "/org/?on=2023-01-01&q=noi", "/org/SNV/", f"/org/children/?parent={world.snv.pk}", "/login/", "/password/change/"]:
        r = c.get(url)
        print(url, r.status_code)
        assert r.status_code == 200, r.content[:3000]

def test_smoke2(client_for, world):
    c = client_for("lan")
    for url in ["/staff/", "/staff/?q=nguyen&unit=SNV&category=civil_servant&is_leader=false&sort=-unit", f"/staff/{world.staff['an'].code}/", f"/audit/org.unit/{world.snv.pk}/", f"/audit/people.staff/{world.staff['an'].pk}/"]:
        r = c.get(url)
        print(url, r.status_code)
        assert r.status_code == 200, r.content[:3000]
