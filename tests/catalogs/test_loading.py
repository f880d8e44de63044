import shutil

import pytest

from nhanluc.catalogs.choices import TRAINING_FIELD_VERSION, VSCO_VERSION, VSIC_VERSION, IndustryLevel
from nhanluc.catalogs.models import Industry, Occupation, OccupationTitle, TrainingField
from nhanluc.catalogs.services import ReferenceDataMissing, classifications_dir, load_catalogs

pytestmark = pytest.mark.django_db


def test_classifications_are_loaded_with_their_versions():
    assert Occupation.objects.filter(version=VSCO_VERSION, level=1).count() == 10
    assert Occupation.objects.filter(version=VSCO_VERSION, level=4).count() == 509
    assert OccupationTitle.objects.filter(occupation__code="7212").count() == 3
    assert Industry.objects.filter(version=VSIC_VERSION, level=IndustryLevel.SECTION).count() == 21
    assert Industry.objects.filter(version=VSIC_VERSION, level=IndustryLevel.CLASS).count() == 464
    assert Industry.objects.filter(version=VSIC_VERSION, level=IndustryLevel.SUBCLASS).count() == 734
    assert TrainingField.objects.filter(version=TRAINING_FIELD_VERSION).count() == 110
    assert Industry.objects.get(code="62090").parent.code == "6209"
    assert Occupation.objects.get(code="7212").parent.code == "7"


def test_loading_twice_changes_nothing():
    before = list(OccupationTitle.objects.order_by("pk").values_list("pk", "title"))
    result = load_catalogs(source="test")
    assert result["occupations"]["level4"]["created"] == 0
    assert result["occupations"]["level4"]["updated"] == 0
    assert result["industries"]["level5"] == {"created": 0, "updated": 0, "unchanged": 734}
    assert result["occupations"]["titles"]["created"] == result["occupations"]["titles"]["deleted"] == 0
    assert list(OccupationTitle.objects.order_by("pk").values_list("pk", "title")) == before


def test_missing_reference_folder_says_what_is_expected(tmp_path, settings):
    real_folder = settings.NHANLUC_REFERENCE_DATA / "classifications"
    settings.NHANLUC_REFERENCE_DATA = None
    with pytest.raises(ReferenceDataMissing, match="NHANLUC_REFERENCE_DATA"):
        classifications_dir()
    (tmp_path / "classifications").mkdir()
    shutil.copy(real_folder / "DmNghe.json", tmp_path / "classifications" / "DmNghe.json")
    with pytest.raises(ReferenceDataMissing) as error:
        classifications_dir(tmp_path)
    assert "DmNganh.json" in str(error.value) and "vsic2018_level5.csv" in str(error.value)
    assert "DmNghe.json:" not in str(error.value)
