import polars as pl
import pytest

from nhanluc.geo.addresses import _bare, bare_column, shared_address_index
from nhanluc.geo.models import AdminUnit

pytestmark = pytest.mark.django_db


def test_every_units_name_is_made_bare_in_one_step_as_one_by_one():
    # The address index folds every unit's name at once; an address's parts are folded one by one.
    edge_cases = [
        "Xã",
        "Xã ",
        "TP. Hải Dương",
        "Thành phố Trung ương Huế",
        "Thị xã Sơn Tây",
        "Q.1",
        "Đặc khu Cô Tô",
    ]
    names = [*AdminUnit.objects.values_list("name", flat=True), *edge_cases]
    frame = pl.DataFrame({"name": names}, schema={"name": pl.Utf8})
    assert frame.select(bare_column(pl.col("name"))).to_series().to_list() == [_bare(name) for name in names]
    assert _bare("Xã") == "xa" and _bare("Thị xã Sơn Tây") == "son tay" and _bare("Q.1") == "1"


def test_the_index_reads_current_and_legacy_addresses():
    index = shared_address_index()
    legacy = index.resolve("Xã Cổ Thành, TP Chí Linh, Tỉnh Hải Dương")
    assert legacy.legacy_commune_code and legacy.province_code == "31"
    assert index.resolve("Nhật Bản").abroad
