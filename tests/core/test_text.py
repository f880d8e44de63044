from nhanluc.core.text import fold, words


def test_fold_strips_vietnamese_diacritics():
    assert fold("Phường Chí Linh") == "phuong chi linh"
    assert fold("ĐẶC KHU Bạch Long Vĩ") == "dac khu bach long vi"
    assert fold("Kế toán, kiểm toán") == "ke toan kiem toan"
    assert words("  Thợ   hàn ") == ["tho", "han"]
    assert fold("") == ""
