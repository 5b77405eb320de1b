"""Hanoi's agencies, districts and communes: the place data the demo generator builds from.

Plain data, no Django. Department and district names are the real ones; commune and ward names
are those of the 2020–2025 arrangement (579 commune-level units) and of the 2025 arrangement
(126 units, 51 wards and 75 communes) as far as we know them — a demo, not a gazetteer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The day the 2025 department merges took effect, and the first day of two-level local
# government (the district level ended on 30 June 2025).
MERGE_DAY = dt.date(2025, 3, 1)
TWO_LEVEL_DAY = dt.date(2025, 7, 1)


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


@dataclass(frozen=True)
class District:
    code: str
    kind_label: str  # quận, huyện, thị xã
    name: str
    wards: tuple[str, ...]  # phường
    towns: tuple[str, ...]  # thị trấn
    communes: tuple[str, ...]  # xã
    # The 2025 units in this district's territory: (name, "ward" | "commune").
    successors: tuple[tuple[str, str], ...]

    @property
    def full_name(self) -> str:
        return f"{self.kind_label.capitalize()} {self.name}"


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _w(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, "ward") for name in _split(text))


def _c(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, "commune") for name in _split(text))


def _d(
    code: str,
    kind_label: str,
    name: str,
    *,
    wards: str = "",
    towns: str = "",
    communes: str = "",
    successors: tuple[tuple[str, str], ...],
) -> District:
    return District(
        code, kind_label, name, _split(wards), _split(towns), _split(communes), successors
    )


DISTRICTS: tuple[District, ...] = (
    _d(
        "Q-BADINH",
        "quận",
        "Ba Đình",
        wards="Phúc Xá, Trúc Bạch, Vĩnh Phúc, Cống Vị, Liễu Giai, Nguyễn Trung Trực, Quán Thánh,"
        " Ngọc Hà, Điện Biên, Đội Cấn, Ngọc Khánh, Kim Mã, Giảng Võ, Thành Công",
        successors=_w("Ba Đình, Ngọc Hà, Giảng Võ"),
    ),
    _d(
        "Q-HOANKIEM",
        "quận",
        "Hoàn Kiếm",
        wards="Phúc Tân, Đồng Xuân, Hàng Mã, Hàng Buồm, Hàng Đào, Hàng Bồ, Cửa Đông,"
        " Lý Thái Tổ, Hàng Bạc, Hàng Gai, Chương Dương, Hàng Trống, Cửa Nam, Hàng Bông,"
        " Tràng Tiền, Trần Hưng Đạo, Phan Chu Trinh, Hàng Bài",
        successors=_w("Hoàn Kiếm, Cửa Nam"),
    ),
    _d(
        "Q-TAYHO",
        "quận",
        "Tây Hồ",
        wards="Phú Thượng, Nhật Tân, Tứ Liên, Quảng An, Xuân La, Yên Phụ, Bưởi, Thụy Khuê",
        successors=_w("Tây Hồ, Phú Thượng, Hồng Hà"),
    ),
    _d(
        "Q-LONGBIEN",
        "quận",
        "Long Biên",
        wards="Thượng Thanh, Ngọc Thụy, Giang Biên, Đức Giang, Việt Hưng, Gia Thụy, Ngọc Lâm,"
        " Phúc Lợi, Bồ Đề, Sài Đồng, Long Biên, Thạch Bàn, Phúc Đồng, Cự Khối",
        successors=_w("Long Biên, Bồ Đề, Việt Hưng, Phúc Lợi"),
    ),
    _d(
        "Q-CAUGIAY",
        "quận",
        "Cầu Giấy",
        wards="Nghĩa Đô, Nghĩa Tân, Mai Dịch, Dịch Vọng, Dịch Vọng Hậu, Quan Hoa, Yên Hòa,"
        " Trung Hòa",
        successors=_w("Cầu Giấy, Nghĩa Đô, Yên Hòa"),
    ),
    _d(
        "Q-DONGDA",
        "quận",
        "Đống Đa",
        wards="Cát Linh, Văn Miếu, Quốc Tử Giám, Láng Thượng, Ô Chợ Dừa, Văn Chương, Hàng Bột,"
        " Láng Hạ, Khâm Thiên, Thổ Quan, Nam Đồng, Trung Phụng, Quang Trung, Trung Liệt,"
        " Phương Liên, Thịnh Quang, Trung Tự, Kim Liên, Phương Mai, Ngã Tư Sở, Khương Thượng",
        successors=_w("Đống Đa, Kim Liên, Văn Miếu - Quốc Tử Giám, Láng, Ô Chợ Dừa"),
    ),
    _d(
        "Q-HAIBATRUNG",
        "quận",
        "Hai Bà Trưng",
        wards="Nguyễn Du, Bạch Đằng, Phạm Đình Hổ, Lê Đại Hành, Đồng Nhân, Phố Huế, Đống Mác,"
        " Thanh Lương, Thanh Nhàn, Cầu Dền, Bách Khoa, Đồng Tâm, Vĩnh Tuy, Bạch Mai, Quỳnh Mai,"
        " Quỳnh Lôi, Minh Khai, Trương Định",
        successors=_w("Hai Bà Trưng, Vĩnh Tuy, Bạch Mai"),
    ),
    _d(
        "Q-HOANGMAI",
        "quận",
        "Hoàng Mai",
        wards="Thanh Trì, Vĩnh Hưng, Định Công, Mai Động, Tương Mai, Đại Kim, Tân Mai,"
        " Hoàng Văn Thụ, Giáp Bát, Lĩnh Nam, Thịnh Liệt, Trần Phú, Hoàng Liệt, Yên Sở",
        successors=_w("Hoàng Mai, Lĩnh Nam, Vĩnh Hưng, Tương Mai, Định Công, Hoàng Liệt, Yên Sở"),
    ),
    _d(
        "Q-THANHXUAN",
        "quận",
        "Thanh Xuân",
        wards="Nhân Chính, Thượng Đình, Khương Trung, Khương Mai, Thanh Xuân Trung, Phương Liệt,"
        " Hạ Đình, Khương Đình, Thanh Xuân Bắc, Thanh Xuân Nam, Kim Giang",
        successors=_w("Thanh Xuân, Khương Đình, Phương Liệt"),
    ),
    _d(
        "Q-NAMTULIEM",
        "quận",
        "Nam Từ Liêm",
        wards="Cầu Diễn, Xuân Phương, Phương Canh, Mỹ Đình 1, Mỹ Đình 2, Tây Mỗ, Mễ Trì, Phú Đô,"
        " Đại Mỗ, Trung Văn",
        successors=_w("Từ Liêm, Xuân Phương, Tây Mỗ, Đại Mỗ"),
    ),
    _d(
        "Q-BACTULIEM",
        "quận",
        "Bắc Từ Liêm",
        wards="Thượng Cát, Liên Mạc, Đông Ngạc, Đức Thắng, Thụy Phương, Tây Tựu, Xuân Đỉnh,"
        " Xuân Tảo, Minh Khai, Cổ Nhuế 1, Cổ Nhuế 2, Phúc Diễn, Phú Diễn",
        successors=_w("Tây Tựu, Phú Diễn, Xuân Đỉnh, Đông Ngạc, Thượng Cát"),
    ),
    _d(
        "Q-HADONG",
        "quận",
        "Hà Đông",
        wards="Nguyễn Trãi, Mộ Lao, Văn Quán, Vạn Phúc, Yết Kiêu, Quang Trung, La Khê, Phú La,"
        " Phúc La, Hà Cầu, Yên Nghĩa, Kiến Hưng, Phú Lãm, Phú Lương, Dương Nội, Đồng Mai,"
        " Biên Giang",
        successors=_w("Hà Đông, Dương Nội, Yên Nghĩa, Phú Lương, Kiến Hưng"),
    ),
    _d(
        "TX-SONTAY",
        "thị xã",
        "Sơn Tây",
        wards="Lê Lợi, Phú Thịnh, Ngô Quyền, Quang Trung, Sơn Lộc, Xuân Khanh, Trung Hưng,"
        " Viên Sơn, Trung Sơn Trầm",
        communes="Đường Lâm, Thanh Mỹ, Xuân Sơn, Kim Sơn, Sơn Đông, Cổ Đông",
        successors=_w("Sơn Tây, Tùng Thiện") + _c("Đoài Phương"),
    ),
    _d(
        "H-SOCSON",
        "huyện",
        "Sóc Sơn",
        towns="Sóc Sơn",
        communes="Bắc Sơn, Bắc Phú, Đông Xuân, Đức Hòa, Hiền Ninh, Hồng Kỳ, Kim Lũ, Mai Đình,"
        " Minh Phú, Minh Trí, Nam Sơn, Phú Cường, Phù Linh, Phù Lỗ, Phú Minh, Quang Tiến,"
        " Tân Dân, Tân Hưng, Tân Minh, Thanh Xuân, Tiên Dược, Trung Giã, Việt Long, Xuân Giang,"
        " Xuân Thu",
        successors=_c("Sóc Sơn, Đa Phúc, Nội Bài, Trung Giã, Kim Anh"),
    ),
    _d(
        "H-DONGANH",
        "huyện",
        "Đông Anh",
        towns="Đông Anh",
        communes="Bắc Hồng, Cổ Loa, Đại Mạch, Đông Hội, Dục Tú, Hải Bối, Kim Chung, Kim Nỗ,"
        " Liên Hà, Mai Lâm, Nam Hồng, Nguyên Khê, Tàm Xá, Thụy Lâm, Tiên Dương, Uy Nỗ, Vân Hà,"
        " Vân Nội, Việt Hùng, Vĩnh Ngọc, Võng La, Xuân Canh, Xuân Nộn",
        successors=_c("Đông Anh, Phúc Thịnh, Thư Lâm, Thiên Lộc, Vĩnh Thanh"),
    ),
    _d(
        "H-GIALAM",
        "huyện",
        "Gia Lâm",
        towns="Trâu Quỳ, Yên Viên",
        communes="Bát Tràng, Cổ Bi, Đa Tốn, Đặng Xá, Đình Xuyên, Đông Dư, Dương Hà, Dương Quang,"
        " Dương Xá, Kiêu Kỵ, Kim Lan, Kim Sơn, Lệ Chi, Ninh Hiệp, Phù Đổng, Phú Thị, Trung Mầu,"
        " Văn Đức, Yên Thường, Yên Viên",
        successors=_c("Gia Lâm, Thuận An, Bát Tràng, Phù Đổng"),
    ),
    _d(
        "H-THANHTRI",
        "huyện",
        "Thanh Trì",
        towns="Văn Điển",
        communes="Đại Áng, Đông Mỹ, Duyên Hà, Hữu Hòa, Liên Ninh, Ngọc Hồi, Ngũ Hiệp,"
        " Tả Thanh Oai, Tam Hiệp, Tân Triều, Thanh Liệt, Tứ Hiệp, Vạn Phúc, Vĩnh Quỳnh, Yên Mỹ",
        successors=_c("Thanh Trì, Đại Thanh, Nam Phù, Ngọc Hồi") + _w("Thanh Liệt"),
    ),
    _d(
        "H-MELINH",
        "huyện",
        "Mê Linh",
        towns="Chi Đông, Quang Minh",
        communes="Chu Phan, Đại Thịnh, Hoàng Kim, Kim Hoa, Liên Mạc, Mê Linh, Tam Đồng, Thạch Đà,"
        " Thanh Lâm, Tiền Phong, Tiến Thắng, Tiến Thịnh, Tráng Việt, Tự Lập, Văn Khê, Vạn Yên",
        successors=_c("Mê Linh, Yên Lãng, Tiến Thắng, Quang Minh"),
    ),
    _d(
        "H-BAVI",
        "huyện",
        "Ba Vì",
        towns="Tây Đằng",
        communes="Ba Trại, Ba Vì, Cẩm Lĩnh, Cam Thượng, Châu Sơn, Chu Minh, Cổ Đô, Đông Quang,"
        " Đồng Thái, Khánh Thượng, Minh Châu, Minh Quang, Phong Vân, Phú Châu, Phú Cường,"
        " Phú Đông, Phú Phương, Phú Sơn, Sơn Đà, Tản Hồng, Tản Lĩnh, Thái Hòa, Thuần Mỹ, Thụy An,"
        " Tiên Phong, Tòng Bạt, Vân Hòa, Vạn Thắng, Vật Lại, Yên Bài",
        successors=_c("Ba Vì, Minh Châu, Suối Hai, Cổ Đô, Quảng Oai, Vật Lại, Bất Bạt, Yên Bài"),
    ),
    _d(
        "H-PHUCTHO",
        "huyện",
        "Phúc Thọ",
        towns="Phúc Thọ",
        communes="Hát Môn, Hiệp Thuận, Liên Hiệp, Long Xuyên, Ngọc Tảo, Phúc Hòa, Phụng Thượng,"
        " Sen Phương, Tam Hiệp, Tam Thuấn, Thanh Đa, Thọ Lộc, Thượng Cốc, Tích Giang,"
        " Trạch Mỹ Lộc, Vân Hà, Vân Nam, Vân Phúc, Võng Xuyên, Xuân Đình",
        successors=_c("Phúc Thọ, Phúc Lộc, Hát Môn"),
    ),
    _d(
        "H-DANPHUONG",
        "huyện",
        "Đan Phượng",
        towns="Phùng",
        communes="Đan Phượng, Đồng Tháp, Hạ Mỗ, Hồng Hà, Liên Hà, Liên Hồng, Liên Trung,"
        " Phương Đình, Song Phượng, Tân Hội, Tân Lập, Thọ An, Thọ Xuân, Thượng Mỗ, Trung Châu",
        successors=_c("Đan Phượng, Ô Diên, Liên Minh"),
    ),
    _d(
        "H-HOAIDUC",
        "huyện",
        "Hoài Đức",
        towns="Trạm Trôi",
        communes="An Khánh, An Thượng, Cát Quế, Đắc Sở, Di Trạch, Đông La, Đức Giang,"
        " Đức Thượng, Dương Liễu, Kim Chung, La Phù, Lại Yên, Minh Khai, Sơn Đồng, Song Phương,"
        " Tiền Yên, Vân Canh, Vân Côn, Yên Sở",
        successors=_c("Hoài Đức, Dương Hòa, Sơn Đồng, An Khánh"),
    ),
    _d(
        "H-QUOCOAI",
        "huyện",
        "Quốc Oai",
        towns="Quốc Oai",
        communes="Cấn Hữu, Cộng Hòa, Đại Thành, Đồng Quang, Đông Xuân, Đông Yên, Hòa Thạch,"
        " Liệp Tuyết, Nghĩa Hương, Ngọc Liệp, Ngọc Mỹ, Phú Cát, Phú Mãn, Phượng Cách, Sài Sơn,"
        " Tân Hòa, Tân Phú, Thạch Thán, Tuyết Nghĩa, Yên Sơn",
        successors=_c("Quốc Oai, Kiều Phú, Hưng Đạo, Phú Cát"),
    ),
    _d(
        "H-THACHTHAT",
        "huyện",
        "Thạch Thất",
        towns="Liên Quan",
        communes="Bình Phú, Bình Yên, Cẩm Yên, Cần Kiệm, Canh Nậu, Chàng Sơn, Đại Đồng, Dị Nậu,"
        " Đồng Trúc, Hạ Bằng, Hương Ngải, Hữu Bằng, Kim Quan, Lại Thượng, Phú Kim, Phùng Xá,"
        " Tân Xã, Thạch Hòa, Thạch Xá, Tiến Xuân, Yên Bình, Yên Trung",
        successors=_c("Thạch Thất, Hạ Bằng, Tây Phương, Hòa Lạc, Yên Xuân"),
    ),
    _d(
        "H-CHUONGMY",
        "huyện",
        "Chương Mỹ",
        towns="Chúc Sơn, Xuân Mai",
        communes="Đại Yên, Đồng Lạc, Đồng Phú, Đông Phương Yên, Đông Sơn, Hòa Chính, Hoàng Diệu,"
        " Hoàng Văn Thụ, Hồng Phong, Hợp Đồng, Hữu Văn, Lam Điền, Mỹ Lương, Nam Phương Tiến,"
        " Ngọc Hòa, Phú Nam An, Phú Nghĩa, Phụng Châu, Quảng Bị, Tân Tiến, Thanh Bình,"
        " Thượng Vực, Thủy Xuân Tiên, Tiên Phương, Tốt Động, Trần Phú, Trung Hòa, Trường Yên,"
        " Văn Võ, Thụy Hương",
        successors=_w("Chương Mỹ") + _c("Phú Nghĩa, Xuân Mai, Trần Phú, Hòa Phú, Quảng Bị"),
    ),
    _d(
        "H-THANHOAI",
        "huyện",
        "Thanh Oai",
        towns="Kim Bài",
        communes="Bích Hòa, Bình Minh, Cao Dương, Cao Viên, Cự Khê, Dân Hòa, Đỗ Động, Hồng Dương,"
        " Kim An, Kim Thư, Liên Châu, Mỹ Hưng, Phương Trung, Tam Hưng, Tân Ước, Thanh Cao,"
        " Thanh Mai, Thanh Thùy, Thanh Văn, Xuân Dương",
        successors=_c("Thanh Oai, Bình Minh, Tam Hưng, Dân Hòa"),
    ),
    _d(
        "H-THUONGTIN",
        "huyện",
        "Thường Tín",
        towns="Thường Tín",
        communes="Chương Dương, Dũng Tiến, Duyên Thái, Hà Hồi, Hiền Giang, Hòa Bình, Hồng Vân,"
        " Khánh Hà, Lê Lợi, Liên Phương, Minh Cường, Nghiêm Xuyên, Nguyễn Trãi, Nhị Khê, Ninh Sở,"
        " Quất Động, Tân Minh, Thắng Lợi, Thống Nhất, Thư Phú, Tiền Phong, Tô Hiệu, Tự Nhiên,"
        " Vạn Điểm, Văn Bình, Văn Phú, Văn Tự, Vân Tảo",
        successors=_c("Thường Tín, Hồng Vân, Thượng Phúc, Chương Dương"),
    ),
    _d(
        "H-PHUXUYEN",
        "huyện",
        "Phú Xuyên",
        towns="Phú Xuyên, Phú Minh",
        communes="Bạch Hạ, Châu Can, Chuyên Mỹ, Đại Thắng, Đại Xuyên, Hoàng Long, Hồng Minh,"
        " Hồng Thái, Khai Thái, Minh Tân, Nam Phong, Nam Tiến, Nam Triều, Phú Túc, Phú Yên,"
        " Phúc Tiến, Phượng Dực, Quang Lãng, Quang Trung, Sơn Hà, Tân Dân, Tri Thủy, Tri Trung,"
        " Văn Hoàng, Vân Từ",
        successors=_c("Phú Xuyên, Phượng Dực, Chuyên Mỹ, Đại Xuyên"),
    ),
    _d(
        "H-UNGHOA",
        "huyện",
        "Ứng Hòa",
        towns="Vân Đình",
        communes="Cao Thành, Đại Cường, Đại Hùng, Đội Bình, Đông Lỗ, Đồng Tân, Đồng Tiến,"
        " Hòa Lâm, Hòa Nam, Hòa Phú, Hoa Sơn, Hòa Xá, Hồng Quang, Kim Đường, Liên Bạt,"
        " Lưu Hoàng, Minh Đức, Phù Lưu, Phương Tú, Quảng Phú Cầu, Sơn Công, Tảo Dương Văn,"
        " Trầm Lộng, Trung Tú, Trường Thịnh, Vạn Thái, Viên An, Viên Nội",
        successors=_c("Ứng Hòa, Vân Đình, Ứng Thiên, Hòa Xá"),
    ),
    _d(
        "H-MYDUC",
        "huyện",
        "Mỹ Đức",
        towns="Đại Nghĩa",
        communes="An Mỹ, An Phú, An Tiến, Bột Xuyên, Đại Hưng, Đốc Tín, Đồng Tâm, Hồng Sơn,"
        " Hợp Thanh, Hợp Tiến, Hùng Tiến, Hương Sơn, Lê Thanh, Mỹ Thành, Phù Lưu Tế, Phúc Lâm,"
        " Phùng Xá, Thượng Lâm, Tuy Lai, Vạn Kim, Xuy Xá",
        successors=_c("Mỹ Đức, Phúc Sơn, Hồng Sơn, Hương Sơn"),
    ),
)

# The divisions of a district People's Committee (urban districts have an economy and an urban
# management division; rural ones agriculture and economic infrastructure).
DISTRICT_DIVISIONS_COMMON: tuple[tuple[str, str], ...] = (
    ("VP", "Văn phòng HĐND và UBND"),
    ("PNV", "Phòng Nội vụ"),
    ("TCKH", "Phòng Tài chính - Kế hoạch"),
    ("PTP", "Phòng Tư pháp"),
    ("TNMT", "Phòng Tài nguyên và Môi trường"),
    ("GDDT", "Phòng Giáo dục và Đào tạo"),
    ("VHTT", "Phòng Văn hóa và Thông tin"),
    ("LDTBXH", "Phòng Lao động - Thương binh và Xã hội"),
    ("PYT", "Phòng Y tế"),
    ("TTRA", "Thanh tra"),
)
DISTRICT_DIVISIONS_URBAN: tuple[tuple[str, str], ...] = (
    ("QLDT", "Phòng Quản lý đô thị"),
    ("PKT", "Phòng Kinh tế"),
)
DISTRICT_DIVISIONS_RURAL: tuple[tuple[str, str], ...] = (
    ("KTHT", "Phòng Kinh tế - Hạ tầng"),
    ("NNPTNT", "Phòng Nông nghiệp và Phát triển nông thôn"),
)

# The divisions of a 2025 commune or ward People's Committee, and its public service centre.
NEW_COMMUNE_DIVISIONS: tuple[tuple[str, str, str], ...] = (
    ("VP", "Văn phòng HĐND và UBND", "division"),
    ("KT", "Phòng Kinh tế", "division"),
    ("VHXH", "Phòng Văn hóa - Xã hội", "division"),
    ("HCC", "Trung tâm Phục vụ hành chính công", "public_service_unit"),
)
NEW_WARD_ECONOMY = "Phòng Kinh tế, Hạ tầng và Đô thị"
