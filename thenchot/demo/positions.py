"""Job positions (vị trí việc làm) and position titles for the demo. Plain data, no Django.

The positions subject to periodic rotation follow the kinds of work Decree 59/2019 lists
(accounting, inspection, land administration, civil registration, receiving citizens, licensing,
appraisal, recruitment...), with periods between 24 and 60 months.
"""

from __future__ import annotations

# (code, name, rotation_subject, rotation_period_months)
JOB_POSITIONS: tuple[tuple[str, str, bool, int | None], ...] = (
    ("LD-SO", "Lãnh đạo cấp sở", False, None),
    ("LD-PHONG", "Lãnh đạo cấp phòng", False, None),
    ("LD-HUYEN", "Lãnh đạo UBND cấp huyện", False, None),
    ("LD-XA", "Lãnh đạo UBND cấp xã", False, None),
    ("LD-DVSN", "Lãnh đạo đơn vị sự nghiệp", False, None),
    ("KETOAN", "Kế toán", True, 36),
    ("THANHTRA", "Thanh tra viên", True, 36),
    ("DIACHINH", "Cán bộ địa chính", True, 36),
    ("TUPHAP-HT", "Tư pháp - hộ tịch", True, 36),
    ("TIEPCD", "Cán bộ tiếp công dân", True, 24),
    ("QLNS", "Quản lý ngân sách", True, 36),
    ("THAMDINH", "Thẩm định dự án đầu tư", True, 36),
    ("CAPPHEPXD", "Cấp phép xây dựng", True, 36),
    ("QLDATDAI", "Quản lý đất đai", True, 48),
    ("THAMDINHGIA", "Thẩm định giá", True, 36),
    ("TUYENDUNG", "Tuyển dụng, quản lý công chức", True, 36),
    ("DKKD", "Đăng ký kinh doanh", True, 36),
    ("SATHACH", "Sát hạch, cấp giấy phép lái xe", True, 24),
    ("DAUTHAU", "Quản lý đấu thầu", True, 36),
    ("CAPPHEPKD", "Cấp phép kinh doanh có điều kiện", True, 60),
    ("TONGHOP", "Chuyên viên tổng hợp", False, None),
    ("CHUYENMON", "Chuyên viên quản lý nhà nước chuyên ngành", False, None),
    ("VANTHU", "Văn thư - lưu trữ", False, None),
    ("CNTT", "Công nghệ thông tin", False, None),
    ("PHAPCHE", "Pháp chế", False, None),
    ("CCHC", "Cải cách hành chính", False, None),
    ("VHXH", "Văn hóa - xã hội", False, None),
    ("QUANSU", "Chỉ huy trưởng quân sự", False, None),
    ("GIAOVIEN", "Giáo viên", False, None),
    ("BACSI", "Bác sĩ", False, None),
    ("DIEUDUONG", "Điều dưỡng", False, None),
    ("VIENCHUC-CM", "Viên chức chuyên môn", False, None),
)

# Which job position a plain civil servant of a division holds, by a word in the division's
# name; the first match wins, otherwise a general one.
DIVISION_POSITIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Thanh tra", ("THANHTRA",)),
    ("Tiếp công dân", ("TIEPCD",)),
    ("Kế hoạch - Tài chính", ("KETOAN", "TONGHOP")),
    ("Tài chính - Kế hoạch", ("KETOAN", "QLNS")),
    ("ngân sách", ("QLNS", "KETOAN")),
    ("giá", ("THAMDINHGIA",)),
    ("Đăng ký kinh doanh", ("DKKD",)),
    ("Thẩm định", ("THAMDINH",)),
    ("đầu tư", ("THAMDINH", "DAUTHAU")),
    ("đất đai", ("QLDATDAI",)),
    ("Tài nguyên", ("QLDATDAI", "CHUYENMON")),
    ("xây dựng", ("CAPPHEPXD", "CHUYENMON")),
    ("Quản lý đô thị", ("CAPPHEPXD",)),
    ("Kinh tế - Hạ tầng", ("CAPPHEPXD", "CHUYENMON")),
    ("người lái", ("SATHACH",)),
    ("thương mại", ("CAPPHEPKD",)),
    ("Tổ chức", ("TUYENDUNG", "TONGHOP")),
    ("Nội vụ", ("TUYENDUNG", "CCHC")),
    ("Công chức", ("TUYENDUNG",)),
    ("Cải cách", ("CCHC",)),
    ("Tư pháp", ("PHAPCHE", "TUPHAP-HT")),
    ("Văn phòng", ("VANTHU", "TONGHOP")),
    ("Hành chính", ("VANTHU", "TONGHOP")),
    ("Công nghệ thông tin", ("CNTT",)),
    ("Tin học", ("CNTT",)),
    ("Văn hóa", ("VHXH",)),
)

# Commune-level civil servants: (position title, job position).
COMMUNE_CIVIL_SERVANTS: tuple[tuple[str, str], ...] = (
    ("Công chức Văn phòng - Thống kê", "VANTHU"),
    ("Công chức Địa chính - Xây dựng - Đô thị và Môi trường", "DIACHINH"),
    ("Công chức Tài chính - Kế toán", "KETOAN"),
    ("Công chức Tư pháp - Hộ tịch", "TUPHAP-HT"),
    ("Công chức Văn hóa - Xã hội", "VHXH"),
    ("Chỉ huy trưởng Ban Chỉ huy Quân sự", "QUANSU"),
)

# Commune-level cadres (elected posts): position titles; they hold no job position.
COMMUNE_CADRES: tuple[str, ...] = (
    "Phó Bí thư Đảng ủy",
    "Phó Chủ tịch HĐND",
    "Chủ tịch Ủy ban MTTQ Việt Nam",
    "Bí thư Đoàn TNCS Hồ Chí Minh",
    "Chủ tịch Hội Liên hiệp Phụ nữ",
    "Chủ tịch Hội Nông dân",
    "Chủ tịch Hội Cựu chiến binh",
)

CONTRACT_TITLES: tuple[str, ...] = (
    "Nhân viên lái xe",
    "Nhân viên bảo vệ",
    "Nhân viên phục vụ",
    "Nhân viên hợp đồng",
)


def unit_leader_titles(name: str, kind: str) -> tuple[str, str]:
    """(head title, deputy title) for a unit that is not a department or the city."""
    if kind == "district":
        label = name.split(" ")[0].lower()
        if name.startswith("Thị xã"):
            label = "thị xã"
        return f"Chủ tịch UBND {label}", f"Phó Chủ tịch UBND {label}"
    if kind in {"commune", "ward"}:
        label = "phường" if kind == "ward" else "xã"
        if name.startswith("Thị trấn"):
            label = "thị trấn"
        return f"Chủ tịch UBND {label}", f"Phó Chủ tịch UBND {label}"
    if name.startswith("Văn phòng Đăng ký"):
        return "Giám đốc", "Phó Giám đốc"
    if name.startswith("Văn phòng"):
        return "Chánh Văn phòng", "Phó Chánh Văn phòng"
    if name.startswith("Thanh tra"):
        return "Chánh Thanh tra", "Phó Chánh Thanh tra"
    if name.startswith("Ban"):
        return "Trưởng ban", "Phó Trưởng ban"
    if name.startswith("Trường"):
        return "Hiệu trưởng", "Phó Hiệu trưởng"
    if name.startswith("Viện"):
        return "Viện trưởng", "Phó Viện trưởng"
    if name.startswith("Phòng"):
        return "Trưởng phòng", "Phó Trưởng phòng"
    return "Giám đốc", "Phó Giám đốc"


def public_employee_plain(name: str) -> tuple[tuple[str, str], ...]:
    """(title, job position) choices for a viên chức of a public service unit called `name`."""
    if name.startswith("Bệnh viện") or "bệnh tật" in name:
        return (("Bác sĩ", "BACSI"), ("Điều dưỡng", "DIEUDUONG"), ("Kỹ thuật viên", "VIENCHUC-CM"))
    if name.startswith("Trường"):
        return (("Giáo viên", "GIAOVIEN"),)
    return (("Viên chức", "VIENCHUC-CM"), ("Chuyên viên", "VIENCHUC-CM"), ("Kế toán", "KETOAN"))
