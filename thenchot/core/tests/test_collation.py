"""People's names in the order of Vietnamese official lists (given, middle, family; a ă â ...;
tones ngang, huyền, hỏi, ngã, sắc, nặng), by a key that compares byte by byte."""

import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thenchot.core.collation import MAX_KEY_LENGTH, name_sort_key

# Each list is in the order an official list gives. Letters go one by one, digraphs included
# ("ch" between "ca" and "cu"), as the CLDR tailoring for Vietnamese has it.
OFFICIAL_ORDER = [
    pytest.param(["Nguyễn Văn An", "Trần Thị Ánh", "Lê Văn Bình"], id="given-name-first"),
    pytest.param(["Ngô Văn An", "Nguyễn Văn An"], id="ngo-before-nguyen"),
    pytest.param(["Dương Văn An", "Đinh Văn An", "Giang Văn An"], id="d-dd-g"),
    pytest.param(["Đinh Văn An", "Trịnh Văn An"], id="dinh-before-trinh"),
    pytest.param(["Phạm Văn Hùng", "Phạm Việt Hùng"], id="van-before-viet"),
    pytest.param(
        ["Lê Văn Ha", "Lê Văn Hà", "Lê Văn Hả", "Lê Văn Hã", "Lê Văn Há", "Lê Văn Hạ"],
        id="tones-ngang-huyen-hoi-nga-sac-nang",
    ),
    pytest.param(["Nguyễn Văn Há", "Trần Văn Ha"], id="letters-before-tones"),
    pytest.param(["Trần Thị Ánh", "Nguyễn Văn Anh"], id="tone-only-where-letters-tie"),
    pytest.param(["Lê Thị Anh", "Lê Thị Ăn", "Lê Thị Ân", "Lê Thị Bắc"], id="a-breve-circumflex"),
    pytest.param(["Hồ Văn Em", "Hồ Văn Êm", "Hồ Văn Gấm"], id="e-circumflex"),
    pytest.param(["Trần Văn Oanh", "Trần Văn Ông", "Trần Văn Ơn", "Trần Văn Phúc"], id="o-o-o"),
    pytest.param(["Nguyễn Thị Uyên", "Nguyễn Thị Ưng", "Nguyễn Thị Vân"], id="u-horn"),
    pytest.param(["An", "Lê An", "Nguyễn An", "Vũ An", "Nguyễn Văn An"], id="no-middle-first"),
    pytest.param(["Nguyễn Thị Khai", "Nguyễn Thị Minh Khai"], id="shorter-middle-first"),
    pytest.param(["Lê Hoa", "Lê Hoà", "Lê Hòa", "Lê Hoả"], id="tone-wherever-the-mark-sits"),
    pytest.param(["nguyễn văn an", "Lê Văn Bình"], id="case-ignored"),
    pytest.param(["Ðinh Văn Hải", "Đinh Văn Hải", "Đinh Văn Hậu"], id="eth-for-d-stroke"),
    pytest.param(["Đỗ Thị Châu", "Đỗ Thị Cúc"], id="letter-by-letter-ch"),
    pytest.param(["Nguyễn Văn Bình", "Nguyễn Văn Bính"], id="accents-after"),
]


@pytest.mark.parametrize("names", OFFICIAL_ORDER)
def test_it_sorts_names_in_official_order(names):
    shuffled = list(reversed(names))
    random.Random(len(names)).shuffle(shuffled)
    assert sorted(shuffled, key=name_sort_key) == names
    backwards = names[::-1]
    assert sorted(backwards, key=name_sort_key) == names


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("  Nguyễn   Văn An ", "Nguyễn Văn An"),
        (unicodedata.normalize("NFD", "Nguyễn Văn Đức"), "Nguyễn Văn Đức"),
    ],
)
def test_it_ignores_spacing_and_unicode_form(one, other):
    assert name_sort_key(one) == name_sort_key(other)


@pytest.mark.parametrize("name", ["", None, "   ", "-", "Nguyễn Văn An", "Ông 李 Minh"])
def test_it_keeps_the_key_ascii_but_for_the_name_itself(name):
    key = name_sort_key(name)
    levels = key.split("|")
    assert len(levels) == 3
    assert (levels[0] + levels[1]).isascii()
    assert levels[2] == " ".join((name or "").split())


def test_it_puts_an_empty_name_first():
    assert sorted(["Lê An", "", "A"], key=name_sort_key) == ["", "A", "Lê An"]


def test_it_fits_the_longest_name_the_field_holds():
    name = " ".join(["Nguyễn"] * 28)[:200]
    assert len(name_sort_key(name)) <= MAX_KEY_LENGTH
    assert name_sort_key(name).endswith(name)


# The reference: what an official list does, spelled out the slow way.
_LETTERS = [
    "aàảãáạ",
    "ăằẳẵắặ",
    "âầẩẫấậ",
    "b",
    "c",
    "d",
    "đ",
    "eèẻẽéẹ",
    "êềểễếệ",
    "f",
    "g",
    "h",
    "iìỉĩíị",
    "j",
    "k",
    "l",
    "m",
    "n",
    "oòỏõóọ",
    "ôồổỗốộ",
    "ơờởỡớợ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "uùủũúụ",
    "ưừửữứự",
    "v",
    "w",
    "x",
    "yỳỷỹýỵ",
    "z",
]
_PLACE = {ch: (i, tone) for i, row in enumerate(_LETTERS) for tone, ch in enumerate(row)}


def _reference(name: str) -> tuple:
    words = []
    for word in name.lower().split():
        places = [_PLACE[ch] for ch in word]
        tone = next((t for _i, t in places if t), 0)
        words.append((tuple(i for i, _t in places), tone))
    letters = [w for w, _t in words]
    given_name, middle, family = letters[-1], tuple(letters[1:-1]), tuple(letters[:-1][:1])
    tones = [words[-1][1], *(t for _w, t in words[1:-1])] + (
        [words[0][1]] if len(words) > 1 else []
    )
    return (given_name, middle, family, tuple(tones), " ".join(name.split()))


_letter = st.sampled_from([ch for row in _LETTERS for ch in row])
_word = (
    st.lists(_letter, min_size=1, max_size=7)
    .map("".join)
    .map(lambda w: w.capitalize() if len(w) % 2 else w.upper())
)
_name = st.lists(_word, min_size=1, max_size=5).map(" ".join)


def _sign(a, b) -> int:
    return (a > b) - (a < b)


@given(_name, _name)
def test_it_orders_like_the_reference(one, other):
    assert _sign(name_sort_key(one), name_sort_key(other)) == _sign(
        _reference(one), _reference(other)
    )


@given(_name)
def test_it_ignores_case_until_the_last_level(name):
    def head(key: str) -> str:
        return key.rsplit("|", 1)[0]

    assert head(name_sort_key(name.lower())) == head(name_sort_key(name.upper()))
