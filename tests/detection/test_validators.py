"""Property tests of the validators and of redaction: the format facts they encode, over many inputs."""
from __future__ import annotations

import hashlib
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cuiscan.detection import validators as v
from cuiscan.detection.redact import digest, mask_code, mask_digits, redact

areas = st.integers(1, 899).filter(lambda a: a != 666)


@given(areas, st.integers(1, 99), st.integers(1, 9999))
def test_ssn_accepts_every_issuable_number(area, group, serial):
    ssn = f"{area:03d}-{group:02d}-{serial:04d}"
    expected = None if ssn.replace("-", "") in ("078051120", "219099999", "123456789") or len(set(ssn.replace("-", ""))) == 1 else 1.0
    assert v.ssn(ssn) == expected
    assert v.ssn(ssn.replace("-", " ")) == expected


@given(st.sampled_from([0, 666]) | st.integers(900, 999), st.integers(0, 99), st.integers(0, 9999))
def test_ssn_rejects_never_issued_areas(area, group, serial):
    assert v.ssn(f"{area:03d}-{group:02d}-{serial:04d}") is None


@given(areas, st.integers(0, 9999))
def test_ssn_rejects_group_00(area, serial):
    assert v.ssn(f"{area:03d}-00-{serial:04d}") is None


@given(areas, st.integers(0, 99))
def test_ssn_rejects_serial_0000(area, group):
    assert v.ssn(f"{area:03d}-{group:02d}-0000") is None


@given(st.text(alphabet="0123456789-", max_size=12).filter(lambda s: sum(c.isdigit() for c in s) != 9))
def test_ssn_needs_nine_digits(text):
    assert v.ssn(text) is None


@given(st.integers(0, 9), st.sampled_from("ABCDE"), st.sampled_from("0123569"), st.integers(0, 99))
def test_eccn_valid_format(cat, group, regime, tail):
    assert v.eccn(f"{cat}{group}{regime}{tail:02d}") == 1.0


@given(st.integers(0, 9), st.sampled_from("FGHXZ"), st.integers(0, 999))
def test_eccn_rejects_unknown_product_groups(cat, group, tail):
    assert v.eccn(f"{cat}{group}{tail:03d}") is None


def test_eccn_regime_digits_and_ear99_scores_low():
    assert v.eccn("3A701") is None and v.eccn("3A801") is None and v.eccn("3A401") is None
    assert v.eccn("5D002.c.1") == 1.0
    assert 0 < v.eccn("EAR99") < 0.5


@given(st.dates(min_value=date(1900, 1, 1), max_value=date.today()))
def test_birth_date_accepts_real_past_dates(d):
    assert v.birth_date(f"{d.month}/{d.day}/{d.year}") == 1.0
    assert v.birth_date(d.isoformat()) == 1.0
    assert v.birth_date(d.strftime("%d %B %Y")) == 1.0
    assert v.birth_date(d.strftime("%B %d, %Y")) == 1.0


@given(st.dates(min_value=date.today() + timedelta(days=1), max_value=date(2200, 1, 1)))
def test_birth_date_rejects_future(d):
    assert v.birth_date(d.isoformat()) is None


def test_birth_date_rejects_impossible_dates():
    for text in ("02/30/1990", "13/01/1990", "1899-12-31", "31 Foo 1990", "1990"):
        assert v.birth_date(text) is None


CODE = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=12, max_size=12)


@given(CODE)
def test_uei_rules(code):
    ok = code[0] != "0" and any(c.isalpha() for c in code) and not any(
        code[i:i + 9].isdigit() for i in range(4))
    assert (v.uei(code) == 1.0) == ok
    assert v.uei(code.replace(code[1], "O", 1)) is None


@given(st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=5, max_size=5))
def test_cage_rules(code):
    assert (v.cage(code) == 1.0) == any(c.isdigit() for c in code)
    assert v.cage(code[:4] + "I") is None


@given(st.sampled_from(["W91CRB", "N00024", "FA8650", "HR0011", "SPE4A1"]), st.integers(0, 99),
       st.sampled_from("ABCDFGHMP"), st.text(alphabet="0123456789ABC", min_size=4, max_size=4))
def test_piid_accepts_dod_shapes(dodaac, fy, kind, serial):
    assert v.piid(f"{dodaac}-{fy:02d}-{kind}-{serial}") == 1.0
    assert v.piid(f"{dodaac}{fy:02d}{kind}{serial}") == 1.0
    assert v.piid(f"{dodaac}-{fy:02d}-I-{serial}") is None


def test_nsn_and_edipi():
    assert v.nsn("1410-01-456-7890") == 1.0
    assert v.nsn("0910-01-456-7890") is None
    assert v.edipi("1502938475") == 1.0
    assert v.edipi("1234567890") is None and v.edipi("7777777777") is None and v.edipi("123456789") is None


@given(st.from_regex(r"\A\d{3}-\d{2}-\d{4}\Z"))
def test_mask_digits_keeps_shape_and_last_four(ssn):
    masked = mask_digits(ssn)
    assert masked == "***-**-" + ssn[-4:]
    assert len(masked) == len(ssn)


@given(st.text(alphabet="ABCDEFGHJK0123456789-", min_size=4, max_size=20))
def test_mask_code_never_shows_more_than_three_characters(code):
    masked = mask_code(code)
    shown = [c for c in masked if c.isalnum()]
    assert len(masked) == len(code) and len(shown) <= 3


@given(st.text(min_size=1, max_size=60))
def test_redaction_by_name_never_contains_the_value(value):
    out = redact("name", value, "distribution statement C")
    assert out == "[distribution statement C]"
    assert digest(value) == hashlib.sha256(" ".join(value.split()).casefold().encode()).hexdigest()
