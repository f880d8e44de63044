import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from nhanluc.core.text import fold, fold_column, fold_repeated, words

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵÁẶỆỰ"
)


def test_fold_strips_vietnamese_diacritics():
    assert fold("Phường Chí Linh") == "phuong chi linh"
    assert fold("ĐẶC KHU Bạch Long Vĩ") == "dac khu bach long vi"
    assert fold("Kế toán, kiểm toán") == "ke toan kiem toan"
    assert words("  Thợ   hàn ") == ["tho", "han"]
    assert fold("") == ""


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=VIETNAMESE + "0123456789 ,.-/()'\u00a0\t\u0301\u0300\u0303\u0309\u0323", max_size=40
        ),
        max_size=30,
    )
)
def test_fold_column_folds_as_fold_does(texts):
    # The import folds a million names at once; the search folds one query: they must agree.
    folded = pl.DataFrame({"text": texts}, schema={"text": pl.Utf8}).select(fold_column(pl.col("text")))
    assert folded.get_column("text").to_list() == [fold(text) for text in texts]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Nguyễn Văn An", "Trần Thị Ánh", "", "ĐỖ  Đức", None]), max_size=40))
def test_fold_repeated_folds_each_row_as_fold_does(names):
    # Each distinct name folded once, then given back to every row that holds it.
    frame = pl.DataFrame({"name": names}, schema={"name": pl.Utf8})
    folded = frame.select(fold_repeated("name", frame.get_column("name"))).get_column("name").to_list()
    assert folded == [None if name is None else fold(name) for name in names]
