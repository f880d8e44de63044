import pytest

from nhanluc.core.choices import AuditAction
from nhanluc.core.models import AuditEvent
from nhanluc.geo.choices import Level, Scheme
from nhanluc.geo.models import AdminUnit, UnitSuccession
from nhanluc.geo.services import (
    UnknownLegacyCommune,
    convert_legacy_commune,
    current_province_of_legacy,
    load_geography,
)

pytestmark = pytest.mark.django_db


def count(scheme, level, **extra):
    return AdminUnit.objects.filter(scheme=scheme, level=level, **extra).count()


def test_current_units_34_provinces_3321_communes():
    assert count(Scheme.CURRENT, Level.PROVINCE) == 34
    assert count(Scheme.CURRENT, Level.COMMUNE) == 3321
    assert count(Scheme.CURRENT, Level.COMMUNE, division_type="xã") == 2621
    assert count(Scheme.CURRENT, Level.COMMUNE, division_type="phường") == 687
    assert count(Scheme.CURRENT, Level.COMMUNE, division_type="đặc khu") == 13
    assert count(Scheme.CURRENT, Level.DISTRICT) == 0  # the district level was abolished


def test_legacy_units_63_provinces_696_districts_10051_communes():
    assert count(Scheme.LEGACY, Level.PROVINCE) == 63
    assert count(Scheme.LEGACY, Level.DISTRICT) == 696
    # 10,051 communes of the legacy list, plus the 10 that only the conversion table names.
    assert count(Scheme.LEGACY, Level.COMMUNE) == 10051 + 10
    assert AdminUnit.objects.get(scheme=Scheme.LEGACY, code="03980").name == "Phường Mộc Lỵ"


def test_hai_phong_has_114_communes():
    communes = AdminUnit.objects.current().communes().in_province("31")
    assert communes.count() == 114
    assert communes.filter(division_type="phường").count() == 45
    assert communes.filter(division_type="xã").count() == 67
    assert communes.filter(division_type="đặc khu").count() == 2
    assert all(c.parent.code == "31" for c in communes.select_related("parent"))


def test_phuong_chi_linh_comes_from_three_hai_duong_units():
    chi_linh = AdminUnit.objects.current().get(code="10546")
    assert chi_linh.name == "Phường Chí Linh"
    predecessors = UnitSuccession.objects.filter(new=chi_linh).select_related("old__parent__parent")
    assert {p.old.name for p in predecessors} == {"Phường Phả Lại", "Phường Cổ Thành", "Xã Nhân Huệ"}
    assert {p.old.parent.parent.code for p in predecessors} == {"30"}  # former Hải Dương


def test_loading_twice_changes_nothing():
    before_units = list(
        AdminUnit.objects.order_by("pk").values_list("pk", "scheme", "code", "name", "parent_id")
    )
    before_links = list(
        UnitSuccession.objects.order_by("pk").values_list("pk", "old_id", "new_id", "partial")
    )
    result = load_geography(source="test")
    assert result["units"]["created"] == result["units"]["updated"] == 0
    assert result["successions"] == {"created": 0, "updated": 0, "deleted": 0, "unchanged": len(before_links)}
    assert (
        list(AdminUnit.objects.order_by("pk").values_list("pk", "scheme", "code", "name", "parent_id"))
        == before_units
    )
    assert (
        list(UnitSuccession.objects.order_by("pk").values_list("pk", "old_id", "new_id", "partial"))
        == before_links
    )
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="geo.adminunit").exists()


def test_a_changed_name_is_restored_and_audited():
    unit = AdminUnit.objects.current().get(code="10546")
    AdminUnit.objects.filter(pk=unit.pk).update(name="Tên sai")
    result = load_geography(source="test")
    assert result["units"]["updated"] == 1
    unit.refresh_from_db()
    assert unit.name == "Phường Chí Linh"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_id="2025:10546")
    assert event.changes["name"] == ["Tên sai", "Phường Chí Linh"]


def test_convert_a_whole_merge():
    conversion = convert_legacy_commune("10546")  # Phường Phả Lại → Phường Chí Linh
    assert conversion.commune.code == "10546" and not conversion.partial and not conversion.needs_review


def test_a_split_commune_is_never_guessed():
    split = UnitSuccession.objects.filter(partial=True, old__level=Level.COMMUNE).values_list(
        "old__code", flat=True
    )
    code = next(
        c for c in split if UnitSuccession.objects.filter(old__code=c, old__scheme=Scheme.LEGACY).count() > 1
    )
    conversion = convert_legacy_commune(code)
    assert conversion.partial and conversion.needs_review and conversion.commune is None
    assert len(conversion.candidates) > 1


def test_unknown_legacy_commune_is_refused():
    with pytest.raises(UnknownLegacyCommune, match="99999"):
        convert_legacy_commune("99999")


def test_province_table_fixes_the_package_error_for_tien_giang():
    assert current_province_of_legacy("82").code == "82"  # Tiền Giang → Đồng Tháp only
    assert current_province_of_legacy("30").code == "31"  # Hải Dương → Hải Phòng
    assert current_province_of_legacy("15").name == "Tỉnh Lào Cai"  # legacy 15 (Yên Bái) → new 15


def test_diacritics_insensitive_search():
    found = AdminUnit.objects.current().communes().search("chi linh")
    assert "10546" in set(found.values_list("code", flat=True))
    assert AdminUnit.objects.current().provinces().search("HAI PHONG").get().code == "31"


def test_merged_in_part_needs_review_even_with_one_successor():
    conversion = convert_legacy_commune("00556")  # Xã Đặng Xá: "nhập một phần diện tích"
    assert len(conversion.candidates) == 1 and conversion.partial and conversion.needs_review


def test_kept_whole_is_not_flagged_partial():
    kept = UnitSuccession.objects.get(old__scheme=Scheme.LEGACY, old__code="00859")  # "giữ nguyên"
    assert not kept.partial


def test_reference_loads_are_audited_for_the_deployment_province():
    assert AuditEvent.objects.filter(action=AuditAction.LOAD, province_code="31").count() >= 2
