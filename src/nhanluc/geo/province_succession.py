"""The 63 → 34 provinces of Nghị quyết 202/2025/QH15 (12/06/2025), kept by us.

We do not take this table from `vietnam-provinces`: its province-level mapping wrongly sends legacy
ward 27691 (Long An) to Tiền Giang, so Tiền Giang appears to go to two provinces (domain brief §5).
Each new province keeps the code of one of its predecessors (QĐ 19/2025/QĐ-TTg).
`tests/geo/test_reference_crosscheck.py` checks this table against every row of the statistics
office's ward conversion table.
"""

# new province code → legacy province codes that became it
NEW_PROVINCE_SOURCES: dict[str, tuple[str, ...]] = {
    "01": ("01",),  # Thành phố Hà Nội
    "04": ("04",),  # Cao Bằng
    "08": ("08", "02"),  # Tuyên Quang ← Tuyên Quang, Hà Giang
    "11": ("11",),  # Điện Biên
    "12": ("12",),  # Lai Châu
    "14": ("14",),  # Sơn La
    "15": ("15", "10"),  # Lào Cai ← Yên Bái, Lào Cai
    "19": ("19", "06"),  # Thái Nguyên ← Thái Nguyên, Bắc Kạn
    "20": ("20",),  # Lạng Sơn
    "22": ("22",),  # Quảng Ninh
    "24": ("24", "27"),  # Bắc Ninh ← Bắc Giang, Bắc Ninh
    "25": ("25", "26", "17"),  # Phú Thọ ← Phú Thọ, Vĩnh Phúc, Hòa Bình
    "31": ("31", "30"),  # Hải Phòng ← Hải Phòng, Hải Dương
    "33": ("33", "34"),  # Hưng Yên ← Hưng Yên, Thái Bình
    "37": ("37", "35", "36"),  # Ninh Bình ← Ninh Bình, Hà Nam, Nam Định
    "38": ("38",),  # Thanh Hóa
    "40": ("40",),  # Nghệ An
    "42": ("42",),  # Hà Tĩnh
    "44": ("44", "45"),  # Quảng Trị ← Quảng Bình, Quảng Trị
    "46": ("46",),  # Huế
    "48": ("48", "49"),  # Đà Nẵng ← Đà Nẵng, Quảng Nam
    "51": ("51", "62"),  # Quảng Ngãi ← Quảng Ngãi, Kon Tum
    "52": ("52", "64"),  # Gia Lai ← Bình Định, Gia Lai
    "56": ("56", "58"),  # Khánh Hòa ← Khánh Hòa, Ninh Thuận
    "66": ("66", "54"),  # Đắk Lắk ← Đắk Lắk, Phú Yên
    "68": ("68", "67", "60"),  # Lâm Đồng ← Lâm Đồng, Đắk Nông, Bình Thuận
    "75": ("75", "70"),  # Đồng Nai ← Đồng Nai, Bình Phước
    "79": ("79", "74", "77"),  # Hồ Chí Minh ← Hồ Chí Minh, Bình Dương, Bà Rịa - Vũng Tàu
    "80": ("80", "72"),  # Tây Ninh ← Long An, Tây Ninh
    "82": ("82", "87"),  # Đồng Tháp ← Tiền Giang, Đồng Tháp
    "86": ("86", "83", "84"),  # Vĩnh Long ← Vĩnh Long, Bến Tre, Trà Vinh
    "91": ("91", "89"),  # An Giang ← Kiên Giang, An Giang
    "92": ("92", "93", "94"),  # Cần Thơ ← Cần Thơ, Hậu Giang, Sóc Trăng
    "96": ("96", "95"),  # Cà Mau ← Cà Mau, Bạc Liêu
}

LEGACY_TO_NEW_PROVINCE: dict[str, str] = {
    legacy: new for new, sources in NEW_PROVINCE_SOURCES.items() for legacy in sources
}
