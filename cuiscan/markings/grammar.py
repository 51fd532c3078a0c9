"""Parse banner lines and portion marks into parts (rule book Appendix A), with precise deviations.

`parse_banner(line, vocab)` and `parse_portion(text, vocab)` return None when the text does not have
the SHAPE of a marking (prose that mentions CUI, "(a) first item", "(C) 2024 Acme"), so "text about
CUI is not a marking". When the shape is there, real-world deviations (spaces around //, mixed case,
`CUI/SP-CTI`, `CUI-PRIVACY`, `UNCLASSIFIED//CUI`) are tolerated and reported as Deviations that name
the rule, severity, character span and a fix; the parse never fails on them.

Deviation rules depend on where the marking sits ("banner" | "portion"); the tables below map each
deviation code to (rule, severity) for both places. Rules outside this package's families (LEGACY,
SUPP, SPILL, CNSI) are not assigned here: those families read the token kinds themselves.
Designation-indicator lines are parsed by `cuiscan.markings.diblock` (re-exported here).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from cuiscan.markings.diblock import DILine, parse_di_line  # noqa: F401  (re-export)
from cuiscan.markings.ldcrules import ldc_deviations
from cuiscan.markings.vocab import CLASSIFICATIONS, LEGACY, SUPPLEMENTAL, Deviation, Token, Vocabulary

MAX_BANNER = 160
_DOUBLE = re.compile(r"\s*/{2,}\s*")
_SINGLE = re.compile(r"\s*/\s*")
_HINT = re.compile(r"(?i:\bCUI\b|CONTROLLED)|//|\b(?:TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|FOUO|"
                   r"FOR OFFICIAL USE ONLY|SBU|LES|LIMDIS|SENSITIVE BUT UNCLASSIFIED|OFFICIAL USE ONLY|"
                   r"LIMITED DISTRIBUTION|LAW ENFORCEMENT SENSITIVE|LIMITED OFFICIAL USE)\b")
# Literal pieces every _HINT match contains (ASCII case folded by lower(); "cuı": dotless i matches i
# case-insensitively): a few `in` tests rule out most lines before the slower regex runs.
_HINT_WORDS = ("//", "SECRET", "CONFIDENTIAL", "UNCLASSIFIED", "FOUO", "OFFICIAL USE", "SBU", "LES", "LIMDIS",
               "LIMITED DISTRIBUTION", "LAW ENFORCEMENT SENSITIVE")
# the phrase, optionally with the acronym after it, or the acronym with the phrase in parentheses
_SPELLED = re.compile(r"(?i)^(?:CONTROLLED\s+UNCLASSIFIED\s+INFORMATION(?:\s*\(\s*CUI\s*\))?"
                      r"|CUI\s*\(\s*CONTROLLED\s+UNCLASSIFIED\s+INFORMATION\s*\))")
_JOINED = re.compile(r"(?i)^(?P<ctl>CUI|CONTROLLED)(?P<sep>\s*[-\u2013:]\s*|\s+)(?P<rest>\S.*)$")
_UPPER_SHAPE = re.compile(r"^[A-Z0-9][A-Z0-9 ,.()\-/]*$")
# paragraph-initial mark, optionally after a list enumerator: "(CUI) ...", "1. (U) ...", "- (CUI//NF) ..."
_PORTION = re.compile(r"^(?P<lead>\s*(?:(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{2,4})[.)]\s+|[\u2022\u25aa\u25cf\u2013*\-]\s*)?)"
                      r"\((?P<body>[^()\n]{1,90})\)(?=\s|$)")
_TRAILING = re.compile(r"\((?P<body>(?:CUI|U)(?://[^()\n]{1,80})?)\)\s*\.?\s*$")
_COPYRIGHT = re.compile(r"^\s*(?:\d{4}|copyright|\u00a9)", re.IGNORECASE)

# code -> (banner rule, banner severity, portion rule, portion severity, message). Rule None = not ours.
_TABLE: dict[str, tuple[str | None, str, str | None, str, str]] = {
    "spacing": ("BANNER-003", "warning", "PORTION-001", "warning",
                "spaces around the separator; the Registry format is written without spaces"),
    "case": ("BANNER-003", "warning", "PORTION-001", "warning",
             "'{tok}' is not written in the Registry's case ('{canon}')"),
    "separator": ("BANNER-003", "error", "PORTION-001", "error", "'{tok}' is not a valid separator; use // between blocks and / inside a block"),
    "single-slash": ("BANNER-003", "error", "PORTION-001", "error",
                     "a single / follows the control marking; the control marking is separated by //"),
    "joined-control": ("BANNER-003", "error", "PORTION-001", "error",
                       "'{tok}' joins the control marking to the next item; separate them with //"),
    "unknown-control": ("BANNER-001", "error", "PORTION-001", "error",
                        "'{tok}' is not an authorized control marking; the marking must begin with CUI"),
    "controlled-in-portion": (None, "error", "PORTION-001", "error",
                              "a portion mark must use the acronym CUI, never CONTROLLED"),
    "long-uncontrolled": (None, "error", "PORTION-001", "error",
                          "uncontrolled portions are marked (U), not (UNCLASSIFIED)"),
    "mixed-block": ("BANNER-003", "error", "PORTION-001", "error",
                    "one block mixes category markings and dissemination controls; put categories first, then // and the LDCs"),
    "category-in-ldc-position": ("BANNER-003", "error", "PORTION-001", "error",
                                 "'{tok}' is a category marking in the LDC position; join categories with a single / in one block"),
    "ldc-before-category": ("BANNER-003", "error", "PORTION-001", "error",
                            "the LDC block comes before the category block; the order is CUI//categories//LDCs"),
    "ldc-split": ("BANNER-003", "error", "PORTION-001", "error",
                  "LDCs are split over two // blocks; join them with a single / in one block"),
    "prefix": ("BANNER-002", "error", None, "error",
               "'{tok}' precedes the control marking; do not add UNCLASSIFIED or U before CUI"),
    "legacy-in-banner": ("BANNER-002", "error", None, "error",
                         "legacy marking '{tok}' is combined with CUI; remove it (CUI replaces it)"),
    "spelled-out": ("BANNER-002", "warning", None, "warning",
                    "the spelled-out phrase is not an authorized banner control marking; write CUI"),
    "unknown-category": ("BANNER-004", "error", "PORTION-001", "error",
                         "'{tok}' is not a CUI Registry category marking"),
    "sp-malformed": ("BANNER-004", "error", "PORTION-001", "error",
                     "'{tok}': the Specified prefix is written SP- (with a hyphen)"),
    "sp-not-specified": ("BANNER-004", "error", "PORTION-001", "error",
                         "'{tok}': category {canon} has no Specified authority in the Registry, so it takes no SP- prefix"),
    "not-basic": ("BANNER-004", "error", "PORTION-001", "error",
                  "'{tok}': category {canon} has only Specified authorities; write SP-{canon}"),
    "category-order": ("BANNER-006", "warning", "PORTION-001", "warning",
                       "categories are out of order; list SP- categories first, each group alphabetically: {canon}"),
    "unknown-ldc": ("BANNER-008", "error", "PORTION-001", "error",
                    "'{tok}' is not one of the Registry's limited dissemination controls"),
    "ldc-order": ("BANNER-008", "warning", "PORTION-001", "warning",
                  "LDCs are out of alphabetical order; write {canon}"),
    "statement-in-marking": ("BANNER-013", "error", "BANNER-013", "error",
                             "'{tok}' is a statement, not a marking; write it as a separate statement outside the banner and portion marks"),
    "supplemental-in-marking": ("BANNER-013", "error", None, "error",
                                "supplemental marking '{tok}' must stay out of the banner; show it separately (e.g. a DRAFT watermark)"),
}


@dataclass(frozen=True, slots=True)
class Marking:
    """A parsed banner line or portion mark."""

    text: str                     # the marking as written ("CUI//SP-CTI", "(CUI//NF)")
    start: int                    # span in the source line/block text
    end: int
    where: str                    # "banner" | "portion"
    kind: str                     # cui | uncontrolled | classified | legacy | supplemental | unknown
    control: Token | None = None
    prefix: tuple[Token, ...] = ()
    blocks: tuple[tuple[Token, ...], ...] = ()
    deviations: tuple[Deviation, ...] = ()
    spelled_out: bool = False
    tokens: tuple[Token, ...] = field(default=())

    @property
    def is_cui(self) -> bool:
        return self.kind == "cui" or any(t.kind == "control" for t in self.tokens)

    @property
    def categories(self) -> tuple[Token, ...]:
        return tuple(t for t in self.tokens if t.kind == "category")

    @property
    def ldcs(self) -> tuple[Token, ...]:
        return tuple(t for t in self.tokens if t.kind == "ldc")

    @property
    def sp_markings(self) -> frozenset[str]:
        return frozenset(t.value for t in self.categories if t.sp)

    @property
    def category_markings(self) -> tuple[str, ...]:
        return tuple(t.category.marking for t in self.categories if t.category and t.category.marking)

    def of_kind(self, kind: str) -> tuple[Token, ...]:
        return tuple(t for t in self.tokens if t.kind == kind)

    @property
    def classification(self) -> str | None:
        if self.kind != "classified":
            return None
        return self.control.value if self.control else None

    def rules(self, prefix: str) -> tuple[Deviation, ...]:
        return tuple(d for d in self.deviations if d.rule and d.rule.startswith(prefix))


def _split(text: str, base: int, sep: re.Pattern) -> tuple[list[tuple[str, int]], list[re.Match]]:
    parts, seps, pos = [], [], 0
    for m in sep.finditer(text):
        parts.append((text[pos:m.start()], base + pos))
        seps.append(m)
        pos = m.end()
    parts.append((text[pos:], base + pos))
    return parts, seps


class _Builder:
    def __init__(self, where: str, base: int):
        self.where, self.base, self.devs = where, base, []

    def dev(self, code: str, start: int, end: int, text: str, canon: str = "") -> None:
        b_rule, b_sev, p_rule, p_sev, msg = _TABLE[code]
        rule, sev = (b_rule, b_sev) if self.where == "banner" else (p_rule, p_sev)
        self.devs.append(Deviation(code, rule, sev, msg.format(tok=text, canon=canon), start, end, text))

    def separators(self, seps: list[re.Match], base: int) -> None:
        for m in seps:
            raw = m.group(0)
            if raw.strip() != "//" and "//" in raw:
                self.dev("separator", base + m.start(), base + m.end(), raw.strip())
            elif raw != raw.strip():
                self.dev("spacing", base + m.start(), base + m.end(), raw)


def _tokens(vocab: Vocabulary, segment: str, start: int, b: _Builder) -> list[Token]:
    items, seps = _split(segment, 0, _SINGLE)
    b.separators(seps, start)
    return [vocab.classify(text, start + off, b.where) for text, off in items if text.strip()]


def parse_banner(line: str, vocab: Vocabulary) -> Marking | None:
    """A banner-shaped line -> Marking; anything else (prose, titles, page numbers) -> None."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_BANNER or not _may_hint(stripped) or not _HINT.search(stripped):
        return None
    cache = vocab.cache
    key = ("b", line)
    if key in cache:
        return cache[key]
    base = line.index(stripped[0])
    return vocab.remember(key, _parse(stripped, base, vocab, "banner"))


def _may_hint(text: str) -> bool:
    for word in _HINT_WORDS:
        if word in text:
            return True
    low = text.lower()
    return "cui" in low or "controlled" in low or "cu\u0131" in low


def parse_portion(text: str, vocab: Vocabulary) -> Marking | None:
    """A paragraph-initial portion mark -> Marking (span = the parenthesised mark), else None."""
    if "(" not in text[:12]:
        return None
    m = _PORTION.match(text)
    if not m:
        return None
    key = ("p", m.group(0), m.group("body").split("/")[0].strip() == "C" and bool(_COPYRIGHT.match(text[m.end():])))
    if key in vocab.cache:
        return vocab.cache[key]
    return vocab.remember(key, _portion(text, m, vocab))


def _portion(text: str, m: re.Match, vocab: Vocabulary) -> Marking | None:
    body = m.group("body")
    start = m.start("body")
    first = body.split("/")[0].strip()
    if first == "C" and _COPYRIGHT.match(text[m.end():]):
        return None   # "(C) 2024 Acme" is a copyright sign, not CONFIDENTIAL
    mk = _parse(body.strip(), start + len(body) - len(body.lstrip()), vocab, "portion", strict=True)
    if mk is None:
        return None
    devs = mk.deviations
    if body != body.strip() and mk.kind in ("cui", "uncontrolled"):
        b = _Builder("portion", start)
        b.dev("spacing", start - 1, m.end("body") + 1, f"({body})")
        devs = (*b.devs, *devs)
    return Marking(text=f"({body})", start=start - 1, end=m.end("body") + 1, where="portion", kind=mk.kind,
                   control=mk.control, prefix=mk.prefix, blocks=mk.blocks, deviations=devs, tokens=mk.tokens)


def find_trailing_portion(text: str) -> tuple[int, int, str] | None:
    """`... text (CUI)` at the END of a paragraph (PORTION-001 position error) -> (start, end, mark)."""
    if not text.rstrip().endswith((")", ").")):
        return None
    m = _TRAILING.search(text)
    if not m or m.start() < 3:
        return None
    before = text[:m.start()].rstrip().lower()
    if before.endswith(("information", "unclassified", "controlled")):
        return None   # "Controlled Unclassified Information (CUI)" is a definition, not a mark
    return m.start(), m.start() + len(m.group("body")) + 2, f"({m.group('body')})"


def _parse(text: str, base: int, vocab: Vocabulary, where: str, strict: bool = False) -> Marking | None:
    b = _Builder(where, base)
    spelled = _SPELLED.match(text) if where == "banner" else None
    if spelled:
        rest = text[spelled.end():]
        if rest.strip() and not rest.lstrip().startswith("/"):
            return None   # prose: "Controlled Unclassified Information (CUI) is information that ..."
        control = Token(spelled.group(0), base, base + spelled.end(), "control", "CUI")
        b.dev("spelled-out", control.start, control.end, control.text)
        segs, seps = _split(rest.lstrip("/ "), base + len(text) - len(rest.lstrip("/ ")), _DOUBLE)
        return _finish(vocab, b, text, base, "cui", control, (), segs, where, spelled=True)
    segs, seps = _split(text, base, _DOUBLE)
    b.separators(seps, 0)
    head_text, head_start = segs[0]
    items, islashes = _split(head_text, head_start, _SINGLE)
    first_text, first_start = items[0]
    first = first_text.strip()
    up = first.upper()
    rest_segs = segs[1:]
    if up in ("CUI", "CONTROLLED") or (where == "portion" and up == "U" and _next_is_control(rest_segs)):
        if up == "U":   # (U//CUI) inside classified documents (CNSI-002 note)
            control = vocab.classify(rest_segs[0][0].split("/")[0], rest_segs[0][1], where)
            prefix = (vocab.classify(first_text, first_start, where),)
            rest_segs = [(rest_segs[0][0][len(rest_segs[0][0].split("/")[0]):].lstrip("/"),
                          rest_segs[0][1])] + rest_segs[1:]
            return _finish(vocab, b, text, base, "cui", control, prefix, rest_segs, where)
        control = vocab.classify(first_text, first_start, where)
        if control.malformed == "case":
            b.dev("case", control.start, control.end, control.text, up)
        if up == "CONTROLLED" and where == "portion":
            b.dev("controlled-in-portion", control.start, control.end, control.text)
        if len(items) > 1:
            m = islashes[0]
            b.dev("single-slash", m.start() + head_start, m.end() + head_start, "/")
            tail_start = items[1][1]
            rest_segs = [(head_text[tail_start - head_start:], tail_start)] + rest_segs
        return _finish(vocab, b, text, base, "cui", control, (), rest_segs, where)
    joined = _JOINED.match(first) if len(items) == 1 else None
    if joined:
        rest = joined.group("rest")
        rest_start = first_start + joined.start("rest")
        toks = _tokens(vocab, rest, rest_start, _Builder(where, base))
        known = all(t.kind not in ("unknown",) for t in toks)
        spaced = not joined.group("sep").strip()
        if rest != rest.upper() or (spaced and not known):
            return None   # "CUI - Test schedule", "CUI program office": prose or titles, not markings
        control = Token(joined.group("ctl"), first_start, first_start + 3 if joined.group("ctl").upper() == "CUI" else first_start + 10,
                        "control", joined.group("ctl").upper())
        b.dev("joined-control" if known else "unknown-control", first_start, first_start + len(first), first)
        if not known:   # "CUI-PRIVACY": one malformed control word; its parts are not separate findings
            return Marking(text=text, start=base, end=base + len(text), where=where, kind="cui", control=control,
                           blocks=(tuple(toks),), deviations=tuple(b.devs), tokens=(control, *toks))
        return _finish(vocab, b, text, base, "cui", control, (), [(rest, rest_start)] + rest_segs, where)
    if up in ("UNCLASSIFIED", "U") and first == up:
        if _next_is_control(rest_segs):
            prefix = tuple(vocab.classify(t, s, where) for t, s in items if t.strip())
            seg0, s0 = rest_segs[0]
            citems, _ = _split(seg0, s0, _SINGLE)
            control = vocab.classify(citems[0][0], citems[0][1], where)
            b.dev("prefix", prefix[0].start, prefix[-1].end, "/".join(p.text for p in prefix))
            tail = [(seg0[citems[1][1] - s0:], citems[1][1])] if len(citems) > 1 else []
            return _finish(vocab, b, text, base, "cui", control, prefix, tail + rest_segs[1:], where)
        if up == "U" and not rest_segs:
            return _plain(vocab, text, base, where, "uncontrolled", items, rest_segs) if where == "portion" else None
        if up == "UNCLASSIFIED" and where == "portion":
            b.dev("long-uncontrolled", first_start, first_start + len(first), first)
        return _plain(vocab, text, base, where, "uncontrolled", items, rest_segs, b)
    if first in CLASSIFICATIONS or (where == "portion" and first in ("TS", "S", "C")) or \
            (where == "portion" and not first and text.startswith("//")):
        return _plain(vocab, text, base, where, "classified", items, rest_segs)
    if up in LEGACY and first == up:
        return _plain(vocab, text, base, where, "legacy", items, rest_segs)
    if up in SUPPLEMENTAL and first == up and where == "banner":
        # "PRE-DECISIONAL // DELIBERATIVE": an administrative label, not a control marking (SUPP family)
        return _plain(vocab, text, base, where, "supplemental", items, rest_segs)
    if where == "banner" and "//" in text and _UPPER_SHAPE.match(text) and not strict:
        b.dev("unknown-control", first_start, first_start + len(first), first)
        return _plain(vocab, text, base, where, "unknown", items, rest_segs, b)
    return None


def _next_is_control(segs: list[tuple[str, int]]) -> bool:
    return bool(segs) and segs[0][0].split("/")[0].strip().upper() in ("CUI", "CONTROLLED")


def _plain(vocab: Vocabulary, text: str, base: int, where: str, kind: str, items, segs,
           b: _Builder | None = None) -> Marking:
    b = b or _Builder(where, base)
    control = vocab.classify(items[0][0], items[0][1], where)
    toks = [vocab.classify(t, s, where) for t, s in items[1:] if t.strip()]
    for seg, start in segs:
        toks.extend(_tokens(vocab, seg, start, b))
    return Marking(text=text, start=base, end=base + len(text), where=where, kind=kind, control=control,
                   blocks=(tuple(toks),) if toks else (), deviations=tuple(b.devs), tokens=(control, *toks))


def _finish(vocab: Vocabulary, b: _Builder, text: str, base: int, kind: str, control: Token,
            prefix: tuple[Token, ...], segs: list[tuple[str, int]], where: str, spelled: bool = False) -> Marking:
    blocks = [tuple(_tokens(vocab, seg, start, b)) for seg, start in segs if seg.strip()]
    _check_blocks(vocab, b, blocks)
    flat = (*prefix, control, *(t for blk in blocks for t in blk))
    return Marking(text=text, start=base, end=base + len(text), where=where, kind=kind, control=control,
                   prefix=prefix, blocks=tuple(blocks), deviations=tuple(b.devs), spelled_out=spelled,
                   tokens=flat)


def _check_blocks(vocab: Vocabulary, b: _Builder, blocks: list[tuple[Token, ...]]) -> None:
    roles: list[str] = []
    for i, blk in enumerate(blocks):
        kinds = {t.kind for t in blk}
        if "category" in kinds and "ldc" in kinds:
            b.dev("mixed-block", blk[0].start, blk[-1].end, "/".join(t.text for t in blk))
            roles.append("mixed")
        elif "category" in kinds:
            roles.append("cat")
        elif "ldc" in kinds or "ic_control" in kinds:
            roles.append("ldc")
        else:   # only unknown/legacy/statement items: position decides what was meant
            roles.append("cat" if i == 0 and len(blocks) > 1 or (i == 0 and "unknown" in kinds) else "ldc")
    seen_cat = seen_ldc = False
    for blk, role in zip(blocks, roles):
        if role == "cat":
            if seen_ldc:
                b.dev("ldc-before-category", blk[0].start, blk[-1].end, "/".join(t.text for t in blk))
            elif seen_cat:
                for t in blk:
                    if t.kind == "category":
                        b.dev("category-in-ldc-position", t.start, t.end, t.text)
            seen_cat = True
        elif role == "ldc":
            if seen_ldc:
                b.dev("ldc-split", blk[0].start, blk[-1].end, "/".join(t.text for t in blk))
            seen_ldc = True
        for t in blk:
            _check_token(b, t, role)
    cats = [t for blk in blocks for t in blk if t.kind == "category" and t.category]
    want = sorted(cats, key=lambda t: (not t.sp, (t.category.marking or "").upper()))
    if [t.value for t in cats] != [t.value for t in want]:
        b.dev("category-order", cats[0].start, cats[-1].end, "/".join(t.text for t in cats),
              "/".join(("SP-" if t.sp else "") + (t.category.marking or "") for t in want))
    ldcs = [t for blk in blocks for t in blk if t.kind == "ldc"]
    canon = [t.value.upper() for t in ldcs]
    if canon != sorted(canon):
        b.dev("ldc-order", ldcs[0].start, ldcs[-1].end, "/".join(t.text for t in ldcs),
              "/".join(t.text for t in sorted(ldcs, key=lambda t: t.value.upper())))
    for d in ldc_deviations(ldcs, cats, b.where):
        b.devs.append(d)


def _check_token(b: _Builder, t: Token, role: str) -> None:
    if t.kind == "category":
        cat = t.category
        if t.malformed in ("sp-malformed", "unknown-category"):
            b.dev(t.malformed, t.start, t.end, t.text)
        elif cat is not None:
            if t.malformed == "case":
                b.dev("case", t.start, t.end, t.text, ("SP-" if t.sp else "") + (cat.marking or ""))
            if t.sp and cat.specified is False:
                b.dev("sp-not-specified", t.start, t.end, t.text, cat.marking or "")
            elif not t.sp and cat.basic is False:
                b.dev("not-basic", t.start, t.end, t.text, cat.marking or "")
    elif t.kind == "unknown":
        b.dev("unknown-category" if role == "cat" else "unknown-ldc", t.start, t.end, t.text)
    elif t.kind == "ic_control":
        b.dev("unknown-ldc", t.start, t.end, t.text)
    elif t.kind == "legacy":
        b.dev("legacy-in-banner", t.start, t.end, t.text)
    elif t.kind == "statement":
        b.dev("statement-in-marking", t.start, t.end, t.text)
    elif t.kind == "supplemental":
        b.dev("supplemental-in-marking", t.start, t.end, t.text)
    elif t.kind == "ldc" and t.malformed == "case":
        canon = t.ldc.banner.split(" USA")[0] if b.where == "banner" else t.ldc.portion.split(" USA")[0]
        b.dev("case", t.start, t.end, t.text, canon)
