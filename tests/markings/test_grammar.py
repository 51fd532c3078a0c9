"""Banner / portion / DI grammar: parametrised tables and a property test that parsing never raises."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from cuiscan.markings.diblock import distribution_letter, parse_di_line, split_values
from cuiscan.markings.grammar import find_trailing_portion, parse_banner, parse_portion
from cuiscan.markings.registry import load_registry
from cuiscan.markings.vocab import Vocabulary

V = Vocabulary(load_registry())

# text -> (kind, [(token kind, value)], [(rule, severity, code, (start, end))])
BANNERS = [
    ("CUI", "cui", [("control", "CUI")], []),
    ("CUI//SP-CTI/SP-EXPT//NOFORN", "cui", [("control", "CUI"), ("category", "CTI"), ("category", "EXPT"),
                                            ("ldc", "NOFORN")], []),
    ("CUI//NOFORN", "cui", [("control", "CUI"), ("ldc", "NOFORN")], []),
    ("CUI//PRIVILEGE//Attorney-Client", "cui", [("control", "CUI"), ("category", "PRIVILEGE"),
                                                ("ldc", "Attorney-Client")], []),
    ("CUI//REL TO USA, AUS, GBR", "cui", [("control", "CUI"), ("ldc", "REL TO")], []),
    ("CUI/SP-CTI", "cui", None, [("BANNER-003", "error", "single-slash", (3, 4))]),
    ("CUI//SP-CTI//SP-EXPT", "cui", None, [("BANNER-003", "error", "category-in-ldc-position", (13, 20))]),
    ("CUI // SP-CTI", "cui", None, [("BANNER-003", "warning", "spacing", (3, 7))]),
    ("CUI//sp-cti", "cui", None, [("BANNER-003", "warning", "case", (5, 11))]),
    ("CUI//NOFORN//SP-CTI", "cui", None, [("BANNER-003", "error", "ldc-before-category", (13, 19))]),
    ("CUI//SP-CTI/NOFORN", "cui", None, [("BANNER-003", "error", "mixed-block", (5, 18))]),
    ("CUI//CTI", "cui", None, [("BANNER-004", "error", "not-basic", (5, 8))]),
    ("CUI//SP-MIL", "cui", None, [("BANNER-004", "error", "sp-not-specified", (5, 11))]),
    ("CUI//PII", "cui", None, [("BANNER-004", "error", "unknown-category", (5, 8))]),
    ("CUI//SP CTI", "cui", None, [("BANNER-004", "error", "sp-malformed", (5, 11))]),
    ("CUI//PRVCY/SP-CTI", "cui", None, [("BANNER-006", "warning", "category-order", (5, 17))]),
    ("CUI//SP-CTI//ORCON", "cui", None, [("BANNER-008", "error", "unknown-ldc", (13, 18))]),
    ("CUI//NOCON/DL ONLY", "cui", None, [("BANNER-008", "warning", "ldc-order", (5, 18))]),
    ("UNCLASSIFIED//CUI", "cui", None, [("BANNER-002", "error", "prefix", (0, 12))]),
    ("CUI//FOUO", "cui", None, [("BANNER-002", "error", "legacy-in-banner", (5, 9))]),
    ("CONTROLLED UNCLASSIFIED INFORMATION (CUI) // SP-CTI", "cui", None,
     [("BANNER-002", "warning", "spelled-out", (0, 41))]),
    ("CUI-PRIVACY", "cui", None, [("BANNER-001", "error", "unknown-control", (0, 11))]),
    ("SENSITIVE//PRIVACY", "unknown", None, [("BANNER-001", "error", "unknown-control", (0, 9))]),
    ("CUI//NF", "cui", None, [("LDC-001", "error", "ldc-portion-form-in-banner", (5, 7))]),
    ("CUI//NO FORN", "cui", None, [("LDC-001", "error", "ldc-malformed", (5, 12))]),
    ("CUI//FED ONLY/FEDCON", "cui", None, [("LDC-002", "error", "ldc-conflict", (5, 20))]),
    ("CUI//FED ONLY/NOCON", "cui", None, [("LDC-002", "warning", "ldc-redundant", (5, 19))]),
    ("CUI//REL TO GBR, USA", "cui", None, [("LDC-003", "error", "usa-not-first", (5, 20))]),
    ("CUI//REL TO USA, GBR, AUS", "cui", None, [("LDC-003", "warning", "country-order", (5, 25))]),
    ("CUI//REL TO USA, XYZ", "cui", None, [("LDC-003", "error", "unknown-country", (5, 20))]),
    ("CUI//REL TO USA ONLY", "cui", None, [("LDC-003", "error", "list-empty", (5, 20))]),
    ("CUI//SP-PRVCY//Attorney-WP", "cui", None, [("LDC-005", "error", "attorney-without-privilege", (15, 26))]),
    ("CUI//SP-INTEL//RELIDO", "cui", None, [("LDC-006", "info", "relido", (15, 21))]),
    ("CUI//SP-CTI//DIST-D", "cui", None, [("BANNER-013", "error", "statement-in-marking", (13, 19))]),
    ("CUI//DRAFT", "cui", None, [("BANNER-013", "error", "supplemental-in-marking", (5, 10))]),
    ("SECRET//NOFORN", "classified", [("classified", "SECRET"), ("ldc", "NOFORN")], []),
    ("UNCLASSIFIED", "uncontrolled", [("uncontrolled", "UNCLASSIFIED")], []),
    ("FOUO", "legacy", [("legacy", "FOUO")], []),
    ("  CUI  ", "cui", [("control", "CUI")], []),
]


@pytest.mark.parametrize("text,kind,tokens,devs", BANNERS, ids=[b[0] for b in BANNERS])
def test_banner_table(text, kind, tokens, devs):
    mk = parse_banner(text, V)
    assert mk is not None and mk.kind == kind
    if tokens is not None:
        assert [(t.kind, t.value) for t in mk.tokens] == tokens
    assert [(d.rule, d.severity, d.code, (d.start, d.end)) for d in mk.deviations] == devs


@pytest.mark.parametrize("text", [
    "CUI is information the government creates", "Controlled Unclassified Information (CUI) is a program",
    "CUI - Test schedule", "Secret Santa party", "Page 1 of 3", "", "Contains CUI? ask the office",
    "The CUI program office", "x" * 300, "Controlled by: AFRL",
])
def test_not_a_banner(text):
    assert parse_banner(text, V) is None


PORTIONS = [
    ("(CUI) text", "cui", "(CUI)", []),
    ("(CUI//SP-CTI) text", "cui", "(CUI//SP-CTI)", []),
    ("(CUI//SP-PRVCY//NF) text", "cui", "(CUI//SP-PRVCY//NF)", []),
    ("(U) Background.", "uncontrolled", "(U)", []),
    ("1. (U) Schedule", "uncontrolled", "(U)", []),
    ("(U//CUI) warning box", "cui", "(U//CUI)", []),
    ("(CONTROLLED) text", "cui", "(CONTROLLED)", [("PORTION-001", "controlled-in-portion")]),
    ("(CUI-SP-CTI) text", "cui", "(CUI-SP-CTI)", [("PORTION-001", "joined-control")]),
    ("(UNCLASSIFIED) text", "uncontrolled", "(UNCLASSIFIED)", [("PORTION-001", "long-uncontrolled")]),
    ("(CUI//NOFORN) text", "cui", "(CUI//NOFORN)", [("LDC-001", "ldc-banner-form-in-portion")]),
    ("(CUI//SP-CTI//DIST-C) x", "cui", "(CUI//SP-CTI//DIST-C)", [("BANNER-013", "statement-in-marking")]),
    ("(CUI//PREDECISIONAL) x", "cui", "(CUI//PREDECISIONAL)", [(None, "supplemental-in-marking")]),
    ("( CUI) text", "cui", "( CUI)", [("PORTION-001", "spacing")]),
    ("(FOUO) text", "legacy", "(FOUO)", []),
    ("(U//FOUO) text", "uncontrolled", "(U//FOUO)", []),
    ("(S) secret paragraph", "classified", "(S)", []),
    ("(TS//SCI) x", "classified", "(TS//SCI)", []),
]


@pytest.mark.parametrize("text,kind,mark,devs", PORTIONS, ids=[p[0] for p in PORTIONS])
def test_portion_table(text, kind, mark, devs):
    mk = parse_portion(text, V)
    assert mk is not None and (mk.kind, mk.text) == (kind, mark)
    assert text[mk.start:mk.end] == mark
    assert [(d.rule, d.code) for d in mk.deviations] == devs


@pytest.mark.parametrize("text", ["(a) first item", "(1) step", "(C) 2024 Acme", "(s) plural", "(PDF) file",
                                  "(see below) text", "text (CUI)", "(USA) team"])
def test_not_a_portion(text):
    assert parse_portion(text, V) is None


def test_trailing_mark_but_not_a_definition():
    assert find_trailing_portion("The engine results are here (CUI)")[2] == "(CUI)"
    assert find_trailing_portion("Controlled Unclassified Information (CUI).") is None
    assert find_trailing_portion("nothing here") is None


@pytest.mark.parametrize("line,kind,label,value,marked", [
    ("Controlled by: AFRL/RQ", "controlled_by", "Controlled by", "AFRL/RQ", False),
    ("Controlled By: OUSD(I&S)/IAP", "controlled_by", "Controlled By", "OUSD(I&S)/IAP", False),
    ("CUI Categories: CTI, EXPT", "category", "CUI Categories", "CTI, EXPT", False),
    ("Distribution/Dissemination Control: D", "dissem", "Distribution/Dissemination Control", "D", False),
    ("LDC: FEDCON", "dissem", "LDC", "FEDCON", False),
    ("POC: J. Smith, 937-555-0100", "poc", "POC", "J. Smith, 937-555-0100", False),
    ("Decontrol On: 20300101", "decontrol", "Decontrol On", "20300101", False),
    ("(U) Controlled by: AFRL/RQ", "controlled_by", "Controlled by", "AFRL/RQ", True),
])
def test_di_lines(line, kind, label, value, marked):
    di = parse_di_line(line)
    assert (di.kind, di.label, di.value, di.portion_marked) == (kind, label, value, marked)
    assert line[di.value_start:] == value


@pytest.mark.parametrize("line", ["The block says who controls it: nobody", "Controlled access only", "Category 5 storm"])
def test_not_di_lines(line):
    assert parse_di_line(line) is None


def test_di_values():
    assert split_values("CTI, EXPT and PRVCY") == [("CTI", 0), ("EXPT", 5), ("PRVCY", 14)]
    assert [distribution_letter(v) for v in ("D", "Distribution Statement C", "FEDCON", "DL ONLY", "C.")] == \
        ["D", "C", None, None, "C"]


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_parsers_never_raise_on_arbitrary_text(text):
    for candidate in (text, "CUI//" + text, "(" + text, "(CUI//" + text + ") x", text + " (CUI)"):
        parse_banner(candidate, V)
        parse_portion(candidate, V)
        find_trailing_portion(candidate)
        parse_di_line(candidate)
        parse_di_line("Controlled by: " + candidate)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["CUI", "SP-CTI", "NOFORN", "REL TO USA, GBR", "FOUO", "DRAFT", "U", "//", "/",
                                 " ", "NF", "PRVCY", "SECRET", "x", "(", ")", "-", "FED ONLY"]), max_size=12))
def test_parsers_never_raise_on_marking_shaped_text(parts):
    text = "".join(parts)
    for candidate in (text, "(" + text + ") body"):
        mk = parse_banner(candidate, V)
        if mk is not None:
            assert all(0 <= d.start <= d.end <= len(candidate) + 1 for d in mk.deviations)
        parse_portion(candidate, V)
