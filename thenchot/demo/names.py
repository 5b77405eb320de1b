"""Vietnamese personal names for the demo: family names weighted roughly as in the population,
middle names that follow the person's gender, given names by gender. Plain data, no Django."""

from __future__ import annotations

import random

# (family name, weight in per mille): Nguyễn is about four in ten Vietnamese; Huỳnh and Võ are
# mostly southern, so they are rarer in a Hanoi list than nationally.
FAMILY_NAMES: tuple[tuple[str, int], ...] = (
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 50),
    ("Phan", 40),
    ("Vũ", 40),
    ("Đặng", 22),
    ("Bùi", 22),
    ("Đỗ", 18),
    ("Ngô", 14),
    ("Dương", 12),
    ("Hồ", 10),
    ("Đinh", 10),
    ("Trịnh", 9),
    ("Đào", 9),
    ("Lý", 6),
    ("Võ", 6),
    ("Huỳnh", 4),
    ("Mai", 5),
    ("Lương", 5),
    ("Tạ", 4),
    ("Cao", 4),
    ("Chu", 3),
    ("Kiều", 3),
    ("Khuất", 2),
    ("Nghiêm", 2),
)

MIDDLE_MALE: tuple[tuple[str, int], ...] = (
    ("Văn", 40),
    ("Đức", 9),
    ("Minh", 8),
    ("Quang", 7),
    ("Hữu", 6),
    ("Xuân", 5),
    ("Thanh", 5),
    ("Mạnh", 4),
    ("Công", 4),
    ("Tiến", 3),
    ("Trọng", 3),
    ("Quốc", 3),
    ("Đình", 4),
    ("Ngọc", 3),
    ("Duy", 3),
    ("Việt", 2),
    ("Huy", 2),
    ("Thế", 2),
    ("Bá", 2),
    ("Hoàng", 2),
)

MIDDLE_FEMALE: tuple[tuple[str, int], ...] = (
    ("Thị", 50),
    ("Thu", 7),
    ("Ngọc", 6),
    ("Thanh", 6),
    ("Minh", 4),
    ("Hồng", 4),
    ("Phương", 3),
    ("Thùy", 3),
    ("Mai", 2),
    ("Diệu", 2),
    ("Kim", 3),
    ("Bích", 2),
    ("Thúy", 2),
    ("Khánh", 2),
    ("Quỳnh", 2),
    ("Hoài", 2),
    ("Hải", 2),
)

# A second middle name after "Thị" ("Nguyễn Thị Thu Hà"): common for women born after 1970.
SECOND_MIDDLE_FEMALE: tuple[str, ...] = ("Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim", "Bích")

GIVEN_MALE: tuple[str, ...] = (
    "An", "Anh", "Bình", "Bảo", "Chiến", "Công", "Cường", "Dũng", "Duy", "Dương", "Đạt", "Đức",
    "Giang", "Hải", "Hào", "Hậu", "Hiếu", "Hiệp", "Hòa", "Hoàng", "Hùng", "Huy", "Hưng", "Khánh",
    "Khoa", "Kiên", "Kiệt", "Lâm", "Long", "Lộc", "Lực", "Mạnh", "Minh", "Nam", "Nghĩa", "Nhật",
    "Phong", "Phúc", "Quang", "Quân", "Sơn", "Tài", "Tâm", "Thái", "Thắng", "Thành", "Thịnh",
    "Thuận", "Tiến", "Toàn", "Trung", "Trường", "Tú", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ",
)  # fmt: skip

GIVEN_FEMALE: tuple[str, ...] = (
    "An", "Anh", "Bích", "Chi", "Diệp", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hải",
    "Hiền", "Hoa", "Hoài", "Hồng", "Huệ", "Hương", "Huyền", "Khánh", "Lan", "Lệ", "Liên",
    "Linh", "Loan", "Ly", "Mai", "Minh", "My", "Nga", "Ngân", "Ngọc", "Nhàn", "Nhung", "Oanh",
    "Phương", "Quyên", "Quỳnh", "Sen", "Tâm", "Thảo", "Thơ", "Thu", "Thủy", "Thúy", "Trang",
    "Trinh", "Tuyết", "Uyên", "Vân", "Yến",
)  # fmt: skip


def _cumulative(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    names = [name for name, _w in pairs]
    total = 0
    cum: list[int] = []
    for _name, weight in pairs:
        total += weight
        cum.append(total)
    return names, cum


_FAMILY = _cumulative(FAMILY_NAMES)
_MID_M = _cumulative(MIDDLE_MALE)
_MID_F = _cumulative(MIDDLE_FEMALE)


def full_name(rng: random.Random, *, female: bool) -> str:
    """A realistic full name: family, middle name(s) matching `female`, given name."""
    family = rng.choices(_FAMILY[0], cum_weights=_FAMILY[1])[0]
    if female:
        middle = rng.choices(_MID_F[0], cum_weights=_MID_F[1])[0]
        given = rng.choice(GIVEN_FEMALE)
        if middle == "Thị" and rng.random() < 0.2:
            second = rng.choice(SECOND_MIDDLE_FEMALE)
            if second != given:
                middle = f"{middle} {second}"
    else:
        middle = rng.choices(_MID_M[0], cum_weights=_MID_M[1])[0]
        given = rng.choice(GIVEN_MALE)
    if middle.endswith(given):  # "Minh Minh" reads as a typo
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return f"{family} {middle} {given}"
