"""Marking vocabulary: what one `/`-separated item of a banner or portion mark is.

Every item of a marking string becomes a Token with a `kind`:

    control        CUI, CONTROLLED (inside a later block, e.g. UNCLASSIFIED//CUI, SECRET//CUI)
    category       Registry category marking, `sp` set for the SP- form (category None = unknown SP-xxx)
    ldc            Registry limited dissemination control (ldc set; countries for REL TO / DISPLAY ONLY)
    legacy         FOUO, SBU, LES, LIMDIS, ... (LEGACY family)
    supplemental   DRAFT, PRE-DECISIONAL, DELIBERATIVE, ... (SUPP family)
    statement      distribution/export statements squeezed into a marking: DIST-D, ITAR (BANNER-013)
    classified     classification levels and SCI/SAP/AEA controls (SPILL / CNSI families)
    ic_control     IC-only dissemination controls that are not CUI LDCs: ORCON, IMCON, ...
    uncontrolled   U, UNCLASSIFIED
    unknown        anything else
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from cuiscan.markings.registry import Category, Ldc, Registry

LEGACY = frozenset({
    "FOUO", "FOR OFFICIAL USE ONLY", "SBU", "SENSITIVE BUT UNCLASSIFIED", "SBU-NF", "SBU NOFORN",
    "LES", "LAW ENFORCEMENT SENSITIVE", "LES-NF", "LIMDIS", "LIMITED DISTRIBUTION", "DS", "LOU",
    "LIMITED OFFICIAL USE", "OUO", "OFFICIAL USE ONLY", "EXDIS", "NODIS", "XD", "ND",
})
SUPPLEMENTAL = frozenset({
    "DRAFT", "PRE-DECISIONAL", "PREDECISIONAL", "DELIBERATIVE", "PROVISIONAL", "PROVISIONAL - IN WORK",
    "WORKING PAPER", "WORKING PAPERS", "DELIBERATIVE PROCESS", "PRE-DECISIONAL DELIBERATIVE",
})
CLASSIFICATIONS = {"TOP SECRET": "TS", "SECRET": "S", "CONFIDENTIAL": "C"}
CLASSIFIED_CONTROLS = frozenset({
    "TS", "S", "C", "SCI", "SI", "TK", "HCS", "KLM", "BUR", "G", "GAMMA", "RSV", "SAP", "SAR", "RD", "FRD",
    "CNWDI", "TFNI", "SIGMA", "FGI", "NATO", "COSMIC", "RESTRICTED DATA", "FORMERLY RESTRICTED DATA",
    "HVSACO", "EYES ONLY", "FISA-SECRET",
})
IC_CONTROLS = frozenset({"ORCON", "ORCON-USGOV", "IMCON", "DSEN", "EYES", "RSEN", "NOCONTRACT", "WAIVED"})
_STATEMENT = re.compile(
    r"^(?:DIST(?:RIBUTION)?(?:[\s-]*STATEMENT)?[\s-]*[A-FX]|DISTRO[\s-]*[A-FX]|ITAR|EAR|EAR99"
    r"|EXPORT[\s-]*CONTROL(?:LED)?|EXPORT[\s-]*RESTRICTED|WARNING\b.*|PROPRIETARY)$")
_SP = re.compile(r"^SP(?P<sep>[-_ ])(?P<rest>[A-Z0-9][A-Z0-9-]*)$")
_LIST_LDC = re.compile(r"^(?P<head>REL[\s-]*TO|DISPLAY[\s-]*ONLY)\b(?P<rest>.*)$")
_COMPACT = re.compile(r"[\s\-_.]")


@dataclass(frozen=True, slots=True)
class Deviation:
    """One way a marking departs from the rule book, with the rule it breaks and where (char span)."""

    code: str
    rule: str | None          # None: reported by another family (LEGACY, SUPP, ...) from token kinds
    severity: str
    message: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Token:
    text: str                    # as written, stripped
    start: int                   # offset in the parsed line (banner) or block text (portion)
    end: int
    kind: str
    value: str                   # canonical form: "CTI" (no SP-), "NOFORN", "REL TO", "FOUO", ...
    sp: bool = False
    category: Category | None = None
    ldc: Ldc | None = None
    countries: tuple[str, ...] = ()   # REL TO / DISPLAY ONLY list as written, USA included
    list_text: str = ""               # the list part as written (", " separators checked by LDC-003)
    malformed: str = ""               # deviation code found while reading the item itself


class Vocabulary:
    """Lookup tables built from one Registry; cheap to build, kept by the DocView builder."""

    def __init__(self, registry: Registry):
        self.registry = registry
        # parse results by exact text: the same few marks ("(U)", "CUI") recur on every page
        self.cache: dict[tuple, object] = {}
        self.ldc_banner: dict[str, Ldc] = {}
        self.ldc_portion: dict[str, Ldc] = {}
        self.ldc_compact: dict[str, Ldc] = {}
        for ldc in registry.ldcs:
            banner = ldc.banner.split(" USA")[0]
            portion = ldc.portion.split(" USA")[0]
            self.ldc_banner[banner.upper()] = ldc
            self.ldc_portion[portion.upper()] = ldc
            self.ldc_compact[_COMPACT.sub("", banner.upper())] = ldc
            self.ldc_compact[_COMPACT.sub("", portion.upper())] = ldc

    def remember(self, key: tuple, value):
        if len(self.cache) > 20_000:
            self.cache.clear()
        self.cache[key] = value
        return value

    def classify(self, raw: str, start: int, where: str) -> Token:
        """One item of a marking; `where` is "banner" or "portion" (LDC forms differ)."""
        text = raw.strip()
        start += len(raw) - len(raw.lstrip())
        end = start + len(text)
        up = text.upper()
        m = _LIST_LDC.match(up)
        if m:
            return self._list_ldc(text, start, end, m)
        ldc = self.ldc_banner.get(up) if where == "banner" else self.ldc_portion.get(up)
        other = self.ldc_portion.get(up) if where == "banner" else self.ldc_banner.get(up)
        if ldc is not None:
            canon = ldc.banner if where == "banner" else ldc.portion
            return Token(text, start, end, "ldc", ldc.code, ldc=ldc, malformed="" if text == canon else "case")
        if other is not None:
            code = "ldc-portion-form-in-banner" if where == "banner" else "ldc-banner-form-in-portion"
            return Token(text, start, end, "ldc", other.code, ldc=other, malformed=code)
        cat = self._category(text, start, end, up)
        if cat is not None:
            return cat
        compact = _COMPACT.sub("", up)
        if compact in self.ldc_compact and up not in LEGACY:
            lc = self.ldc_compact[compact]
            return Token(text, start, end, "ldc", lc.code, ldc=lc, malformed="ldc-malformed")
        for kind, vocab in (("legacy", LEGACY), ("supplemental", SUPPLEMENTAL)):
            if up in vocab or (kind == "supplemental" and up in self.registry.supplemental):
                return Token(text, start, end, kind, up)
        if _STATEMENT.match(up):
            return Token(text, start, end, "statement", up)
        if up in ("CUI", "CONTROLLED"):
            return Token(text, start, end, "control", up, malformed="" if text == up else "case")
        if up in ("U", "UNCLASSIFIED"):
            return Token(text, start, end, "uncontrolled", up)
        if text in CLASSIFICATIONS or text in CLASSIFIED_CONTROLS or text.startswith("SAR-"):
            return Token(text, start, end, "classified", text)
        if up in IC_CONTROLS:
            return Token(text, start, end, "ic_control", up)
        return Token(text, start, end, "unknown", up)

    def _category(self, text: str, start: int, end: int, up: str) -> Token | None:
        m = _SP.match(up)
        if m and (m.group("sep") == "-" or m.group("rest") in self.registry.by_marking):
            rest = m.group("rest")
            cat = self.registry.by_marking.get(rest)
            if m.group("sep") != "-":
                bad = "sp-malformed"
            elif cat is None:
                bad = "unknown-category"
            elif text[:3] != "SP-" or text[3:] != cat.marking:
                bad = "case"
            else:
                bad = ""
            return Token(text, start, end, "category", rest, sp=True, category=cat, malformed=bad)
        cat = self.registry.by_marking.get(up)
        if cat is not None:
            return Token(text, start, end, "category", cat.marking or up, category=cat,
                         malformed="" if text == cat.marking else "case")
        return None

    def _list_ldc(self, text: str, start: int, end: int, m: re.Match) -> Token:
        head = m.group("head")
        code = "REL TO" if head.startswith("REL") else "DISPLAY ONLY"
        ldc = self.ldc_banner.get(code)
        rest = text[len(head):]
        countries = tuple(c for c in re.split(r"[\s,]+", rest.strip()) if c)
        bad = "" if head in ("REL TO", "DISPLAY ONLY") else "ldc-malformed"
        if not bad and not text.startswith(code):
            bad = "case"
        return Token(text, start, end, "ldc", code, ldc=ldc, countries=countries,
                     list_text=rest.strip(), malformed=bad)
