"""Hanoi's departments under the City People's Committee in 2023, and the 2025 merges.

Plain data, no Django. The names are the real ones; divisions and public service units are a
representative selection.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The day the 2025 department merges took effect.
MERGE_DAY = dt.date(2025, 3, 1)


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    head_title: str
    deputy_title: str
    # Suffixes of the generic divisions this department has (see GENERIC_DIVISIONS).
    generic: tuple[str, ...]
    specialty: tuple[tuple[str, str], ...]
    public_service_units: tuple[tuple[str, str], ...] = field(default_factory=tuple)


GENERIC_DIVISIONS: dict[str, str] = {
    "VP": "Văn phòng",
    "TCCB": "Phòng Tổ chức cán bộ",
    "TTS": "Thanh tra sở",
    "KHTC": "Phòng Kế hoạch - Tài chính",
    "HCTC": "Phòng Hành chính - Tổ chức",
}
_STD = ("VP", "TCCB", "TTS", "KHTC")
_GD = "Giám đốc Sở"
_PGD = "Phó Giám đốc Sở"

DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "SNV",
        "Sở Nội vụ",
        _GD,
        _PGD,
        _STD,
        (
            ("TCBC", "Phòng Tổ chức, biên chế và tổ chức phi chính phủ"),
            ("CCVC", "Phòng Công chức, viên chức"),
            ("XDCQ", "Phòng Xây dựng chính quyền và công tác thanh niên"),
            ("CCHC", "Phòng Cải cách hành chính"),
        ),
        (("LTLS", "Trung tâm Lưu trữ lịch sử"),),
    ),
    Department(
        "STC",
        "Sở Tài chính",
        _GD,
        _PGD,
        _STD,
        (
            ("NS", "Phòng Quản lý ngân sách"),
            ("TCDN", "Phòng Tài chính doanh nghiệp"),
            ("GCS", "Phòng Quản lý giá và công sản"),
            ("TCDT", "Phòng Tài chính đầu tư"),
            ("THTK", "Phòng Tin học và thống kê"),
        ),
        (("DVTC", "Trung tâm Thông tin - Dịch vụ tài chính"),),
    ),
    Department(
        "SKHDT",
        "Sở Kế hoạch và Đầu tư",
        _GD,
        _PGD,
        _STD,
        (
            ("THQH", "Phòng Tổng hợp, quy hoạch"),
            ("DTNN", "Phòng Đầu tư nước ngoài"),
            ("DKKD", "Phòng Đăng ký kinh doanh"),
            ("TDDA", "Phòng Thẩm định dự án"),
            ("KTN", "Phòng Kinh tế ngành"),
        ),
        (("XTDT", "Trung tâm Xúc tiến đầu tư"),),
    ),
    Department(
        "SXD",
        "Sở Xây dựng",
        _GD,
        _PGD,
        _STD,
        (
            ("QLXD", "Phòng Quản lý xây dựng"),
            ("HTKT", "Phòng Hạ tầng kỹ thuật"),
            ("PTDT", "Phòng Phát triển đô thị và nhà ở"),
            ("VLXD", "Phòng Kinh tế và vật liệu xây dựng"),
        ),
        (("KDXD", "Trung tâm Kiểm định chất lượng xây dựng"),),
    ),
    Department(
        "SGTVT",
        "Sở Giao thông vận tải",
        _GD,
        _PGD,
        _STD,
        (
            ("KCHT", "Phòng Quản lý kết cấu hạ tầng giao thông"),
            ("VTAI", "Phòng Quản lý vận tải"),
            ("PTNL", "Phòng Quản lý phương tiện và người lái"),
            ("ATGT", "Phòng An toàn giao thông"),
        ),
        (("DHGT", "Trung tâm Quản lý và điều hành giao thông đô thị"),),
    ),
    Department(
        "SGDDT",
        "Sở Giáo dục và Đào tạo",
        _GD,
        _PGD,
        _STD,
        (
            ("GDTRH", "Phòng Giáo dục Trung học"),
            ("GDMN", "Phòng Giáo dục Mầm non"),
            ("GDTH", "Phòng Giáo dục Tiểu học"),
            ("KTKD", "Phòng Khảo thí và kiểm định chất lượng giáo dục"),
            ("CTTT", "Phòng Chính trị, tư tưởng"),
        ),
        (
            ("CVA", "Trường THPT Chu Văn An"),
            ("KL", "Trường THPT Kim Liên"),
            ("PDP", "Trường THPT Phan Đình Phùng"),
            ("VD", "Trường THPT Việt Đức"),
        ),
    ),
    Department(
        "SYT",
        "Sở Y tế",
        _GD,
        _PGD,
        _STD,
        (
            ("NVY", "Phòng Nghiệp vụ Y"),
            ("NVD", "Phòng Nghiệp vụ Dược"),
            ("YTCS", "Phòng Y tế cơ sở"),
            ("QLHN", "Phòng Quản lý hành nghề"),
        ),
        (
            ("XP", "Bệnh viện Đa khoa Xanh Pôn"),
            ("TN", "Bệnh viện Thanh Nhàn"),
            ("DD", "Bệnh viện Đống Đa"),
            ("CDC", "Trung tâm Kiểm soát bệnh tật Hà Nội"),
        ),
    ),
    Department(
        "SLDTBXH",
        "Sở Lao động - Thương binh và Xã hội",
        _GD,
        _PGD,
        _STD,
        (
            ("LDVL", "Phòng Lao động - Việc làm"),
            ("BTXH", "Phòng Bảo trợ xã hội"),
            ("NCC", "Phòng Người có công"),
            ("TE", "Phòng Bảo vệ, chăm sóc trẻ em"),
            ("GDNN", "Phòng Giáo dục nghề nghiệp"),
        ),
        (("DVVL", "Trung tâm Dịch vụ việc làm Hà Nội"),),
    ),
    Department(
        "STP",
        "Sở Tư pháp",
        _GD,
        _PGD,
        _STD,
        (
            ("XDVB", "Phòng Xây dựng, kiểm tra và theo dõi thi hành văn bản"),
            ("BTTP", "Phòng Bổ trợ tư pháp"),
            ("HCTP", "Phòng Hành chính tư pháp"),
            ("PBGD", "Phòng Phổ biến, giáo dục pháp luật"),
        ),
        (("TGPL", "Trung tâm Trợ giúp pháp lý nhà nước"), ("CC1", "Phòng Công chứng số 1")),
    ),
    Department(
        "SCT",
        "Sở Công Thương",
        _GD,
        _PGD,
        _STD,
        (
            ("QLTM", "Phòng Quản lý thương mại"),
            ("QLCN", "Phòng Quản lý công nghiệp"),
            ("QLNL", "Phòng Quản lý năng lượng"),
            ("KTAT", "Phòng Kỹ thuật an toàn và môi trường"),
            ("XNK", "Phòng Xuất nhập khẩu"),
        ),
        (("XTTM", "Trung tâm Xúc tiến thương mại"),),
    ),
    Department(
        "STNMT",
        "Sở Tài nguyên và Môi trường",
        _GD,
        _PGD,
        _STD,
        (
            ("QLDD", "Phòng Quản lý đất đai"),
            ("QLMT", "Phòng Quản lý môi trường"),
            ("TNN", "Phòng Tài nguyên nước và khoáng sản"),
            ("DDBD", "Phòng Đo đạc bản đồ và viễn thám"),
        ),
        (("VPDK", "Văn phòng Đăng ký đất đai Hà Nội"),),
    ),
    Department(
        "SNNPTNT",
        "Sở Nông nghiệp và Phát triển nông thôn",
        _GD,
        _PGD,
        _STD,
        (
            ("TRT", "Phòng Trồng trọt"),
            ("CNTS", "Phòng Chăn nuôi và thủy sản"),
            ("KTHT", "Phòng Kinh tế hợp tác và phát triển nông thôn"),
            ("QLTL", "Phòng Quản lý thủy lợi"),
        ),
        (("KN", "Trung tâm Khuyến nông Hà Nội"),),
    ),
    Department(
        "SVHTT",
        "Sở Văn hóa và Thể thao",
        _GD,
        _PGD,
        _STD,
        (
            ("QLVH", "Phòng Quản lý văn hóa"),
            ("TDTT", "Phòng Quản lý thể dục thể thao"),
            ("DSVH", "Phòng Quản lý di sản văn hóa"),
            ("NTBD", "Phòng Quản lý nghệ thuật biểu diễn"),
            ("XDNS", "Phòng Xây dựng nếp sống văn hóa và gia đình"),
        ),
        (("NHC", "Nhà hát Chèo Hà Nội"), ("TV", "Thư viện Hà Nội"), ("BT", "Bảo tàng Hà Nội")),
    ),
    Department(
        "SDL",
        "Sở Du lịch",
        _GD,
        _PGD,
        ("VP", "TTS", "KHTC", "TCCB"),
        (
            ("QLLH", "Phòng Quản lý lữ hành"),
            ("QLLT", "Phòng Quản lý cơ sở lưu trú"),
            ("XTDL", "Phòng Xúc tiến và phát triển sản phẩm du lịch"),
        ),
        (("TTXT", "Trung tâm Xúc tiến du lịch"),),
    ),
    Department(
        "STTTT",
        "Sở Thông tin và Truyền thông",
        _GD,
        _PGD,
        _STD,
        (
            ("BCVT", "Phòng Bưu chính, viễn thông"),
            ("CNTT", "Phòng Công nghệ thông tin"),
            ("TTBC", "Phòng Thông tin, báo chí, xuất bản"),
        ),
        (("CNTTTT", "Trung tâm Công nghệ thông tin và Truyền thông"),),
    ),
    Department(
        "SKHCN",
        "Sở Khoa học và Công nghệ",
        _GD,
        _PGD,
        _STD,
        (
            ("QLKH", "Phòng Quản lý khoa học"),
            ("QLCNTT", "Phòng Quản lý công nghệ và thị trường công nghệ"),
            ("SHTT", "Phòng Quản lý sở hữu trí tuệ"),
            ("TDC", "Phòng Tiêu chuẩn đo lường chất lượng"),
        ),
    ),
    Department(
        "SQHKT",
        "Sở Quy hoạch - Kiến trúc",
        _GD,
        _PGD,
        _STD,
        (
            ("QHKT1", "Phòng Quy hoạch - Kiến trúc 1"),
            ("QHKT2", "Phòng Quy hoạch - Kiến trúc 2"),
            ("QHHT", "Phòng Quy hoạch hạ tầng kỹ thuật"),
            ("QHTH", "Phòng Quy hoạch tổng hợp"),
        ),
        (("VQH", "Viện Quy hoạch xây dựng Hà Nội"),),
    ),
    Department(
        "TTTP",
        "Thanh tra Thành phố",
        "Chánh Thanh tra Thành phố",
        "Phó Chánh Thanh tra Thành phố",
        ("VP", "TCCB", "KHTC"),
        (
            ("KV1", "Phòng Thanh tra, giải quyết khiếu nại, tố cáo khu vực 1"),
            ("KV2", "Phòng Thanh tra, giải quyết khiếu nại, tố cáo khu vực 2"),
            ("KTNS", "Phòng Thanh tra kinh tế - ngân sách"),
            ("PCTN", "Phòng Phòng, chống tham nhũng"),
        ),
    ),
    Department(
        "VPUBND",
        "Văn phòng UBND Thành phố",
        "Chánh Văn phòng UBND Thành phố",
        "Phó Chánh Văn phòng UBND Thành phố",
        ("HCTC", "KHTC"),
        (
            ("TH", "Phòng Tổng hợp"),
            ("KT", "Phòng Kinh tế"),
            ("DT", "Phòng Đô thị"),
            ("KGVX", "Phòng Khoa giáo - Văn xã"),
            ("NC", "Phòng Nội chính"),
            ("KSTT", "Phòng Kiểm soát thủ tục hành chính"),
            ("TCD", "Ban Tiếp công dân Thành phố"),
        ),
        (("HCC", "Trung tâm Phục vụ hành chính công Thành phố"),),
    ),
    Department(
        "BDT",
        "Ban Dân tộc",
        "Trưởng Ban Dân tộc",
        "Phó Trưởng Ban Dân tộc",
        ("VP", "TTS"),
        (("CSDT", "Phòng Chính sách dân tộc"), ("TTDB", "Phòng Tuyên truyền, địa bàn")),
    ),
)

NEW_DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "SNNMT",
        "Sở Nông nghiệp và Môi trường",
        _GD,
        _PGD,
        _STD,
        (),
    ),
)

# 2025-03-01: (absorbed department codes) -> the department that continues or begins.
MERGES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("SKHDT",), "STC"),
    (("SGTVT",), "SXD"),
    (("SLDTBXH",), "SNV"),
    (("STNMT", "SNNPTNT"), "SNNMT"),
    (("STTTT",), "SKHCN"),
)
