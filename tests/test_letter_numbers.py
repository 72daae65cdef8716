"""Letter numbers: canonical form, parts, searchable variants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas.letter_numbers import canonical_number, number_variants, parse_number
from schemas.text import to_arabic_digits, to_thai_digits


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("ศธ ๐๔๐๔๙/ว ๕๐๘", "ศธ 04049/ว508"),
        ("ศธ04049.007/12", "ศธ 04049.007/12"),
        ("๑๒๓/๒๕๖๗", "123/2567"),
        ("ที่ ศธ ๐๔๑๗๖/๓๓๙๒", "ศธ 04176/3392"),
        ("ที่ศธ 04049/508", "ศธ 04049/508"),
        ("ศธ 04049 / ว 508", "ศธ 04049/ว508"),
        ("ศ.ธ. 04049/508", "ศธ 04049/508"),
        ("ศธ ๐๔๑๐๓.๐๐๑/๒๗๙๑", "ศธ 04103.001/2791"),
        ("ที่ มท 0808.2/ว1234", "มท 0808.2/ว1234"),
        ("ศธ 04049/ว508", "ศธ 04049/ว508"),
    ],
)
def test_canonical_forms(printed: str, canonical: str) -> None:
    assert canonical_number(printed) == canonical


@pytest.mark.parametrize("text", ["", "เรื่อง ประชุม", "ศธ 04049", "โทร. 0 5891 8621"])
def test_no_number(text: str) -> None:
    assert canonical_number(text) is None


def test_parts() -> None:
    parts = parse_number("ที่ ศธ ๐๔๐๔๙/ว ๕๐๘")
    assert parts is not None
    assert (parts.agency, parts.unit, parts.circular, parts.running) == ("ศธ", "04049", True, "508")
    assert parts.thai_digits
    order = parse_number("123/2567")
    assert order is not None and order.agency == "" and not order.thai_digits


def test_variants_of_a_circular() -> None:
    variants = number_variants("ศธ 04049/ว508")
    assert variants[0] == "ศธ 04049/ว508"
    for form in ("ศธ04049/ว508", "ศธ 04049/ว 508", "ศธ ๐๔๐๔๙/ว๕๐๘", "ศธ๐๔๐๔๙/ว ๕๐๘"):
        assert form in variants
    assert len(variants) == len(set(variants))


def test_variants_of_an_order() -> None:
    assert number_variants("123/2567") == ["123/2567", "๑๒๓/๒๕๖๗"]


def test_variants_of_garbage_keep_the_text() -> None:
    assert number_variants("ไม่มีเลข") == ["ไม่มีเลข"]


agencies = st.sampled_from(["", "ศธ", "มท", "สธ", "กค", "นร", "ลป"])
units = st.builds(
    lambda main, sub: main + (f".{sub}" if sub else ""),
    st.from_regex(r"0[0-9]{3,4}", fullmatch=True),
    st.one_of(st.just(""), st.from_regex(r"[0-9]{1,3}", fullmatch=True)),
)
runnings = st.integers(min_value=1, max_value=99999).map(str)


@st.composite
def printed_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A number printed with random spacing and digits, and its canonical form."""
    agency, unit = draw(agencies), draw(units)
    circular, running = draw(st.booleans()), draw(runnings)
    if not agency:
        unit = unit.split(".")[0].lstrip("0") or "1"
    mark = "ว" if circular else ""
    canonical = f"{agency + ' ' if agency else ''}{unit}/{mark}{running}"
    space = draw(st.sampled_from(["", " ", "  "]))
    mark_space = draw(st.sampled_from(["", " "])) if circular else ""
    printed = f"{agency}{space if agency else ''}{unit}/{mark}{mark_space}{running}"
    if draw(st.booleans()):
        printed = to_thai_digits(printed)
    if draw(st.booleans()):
        printed = "ที่ " + printed
    return printed, canonical


@given(printed_numbers())
def test_printed_forms_canonicalise(pair: tuple[str, str]) -> None:
    printed, canonical = pair
    assert canonical_number(printed) == canonical


@given(printed_numbers())
def test_canonical_number_is_idempotent(pair: tuple[str, str]) -> None:
    once = canonical_number(pair[0])
    assert once is not None
    assert canonical_number(once) == once


@given(printed_numbers())
def test_thai_and_arabic_digits_canonicalise_alike(pair: tuple[str, str]) -> None:
    printed = pair[0]
    assert canonical_number(to_thai_digits(printed)) == canonical_number(to_arabic_digits(printed))


@given(printed_numbers())
def test_every_variant_canonicalises_back(pair: tuple[str, str]) -> None:
    canonical = pair[1]
    for variant in number_variants(canonical):
        assert canonical_number(variant) == canonical
