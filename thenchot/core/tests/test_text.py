from hypothesis import given
from hypothesis import strategies as st

from thenchot.core.text import fold


def test_it_folds_vietnamese_names():
    assert fold("Nguyễn Văn An") == "nguyen van an"
    assert fold("ĐỖ THỊ ĐÀO") == "do thi dao"
    assert fold("  Lê   Quang  Minh ") == "le quang minh"


@given(st.text())
def test_it_is_idempotent(text):
    assert fold(fold(text)) == fold(text)
