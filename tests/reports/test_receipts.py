import math

from hypothesis import given
from hypothesis import strategies as st

from kenniscentrum.reports import receipts


def test_a_code_carries_at_least_50_bits() -> None:
    assert receipts.CODE_LENGTH * math.log2(len(receipts.ALPHABET)) >= 50


def test_codes_differ_per_token_and_repeat_for_the_same_token() -> None:
    tokens = [receipts.new_submission_token() for _ in range(500)]
    codes = {receipts.code_from_token(t) for t in tokens}
    assert len(codes) == 500
    assert receipts.code_from_token(tokens[0]) == receipts.code_from_token(tokens[0])


@given(st.text(min_size=8, max_size=30).map(lambda s: s.replace("\x00", "")))
def test_any_typed_text_maps_back_to_itself_once_formatted(token: str) -> None:
    code = receipts.code_from_token(token)
    assert receipts.normalise_code(receipts.format_code(code)) == code
    assert receipts.normalise_code(" " + receipts.format_code(code).lower() + " ") == code


@given(st.text(max_size=60))
def test_normalising_never_crashes_and_only_returns_valid_codes(raw: str) -> None:
    code = receipts.normalise_code(raw)
    assert code is None or (len(code) == receipts.CODE_LENGTH and set(code) <= set(receipts.ALPHABET))


def test_look_alike_letters_are_read_as_digits() -> None:
    assert receipts.normalise_code("OIL0-0000-0000") == "0110" + "0" * 8
