"""Hanoi's districts and communes: the place data the demo generator builds from.

Plain data, no Django. District names are the real ones; commune and ward names are those of
the 2020–2025 arrangement (579 commune-level units) and of the 2025 arrangement (126 units, 51
wards and 75 communes) as far as we know them — a demo, not a gazetteer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The first day of two-level local government (the district level ended on 30 June 2025).
TWO_LEVEL_DAY = dt.date(2025, 7, 1)


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
