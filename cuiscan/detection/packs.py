"""The one loader for detection rule packs (`rules/detection/*.yaml`): one schema, checked on load.

A pack file:

    family: EXPT                       # every rule ID in the file starts with this prefix
    title: Export-control indicators
    sources:                           # provenance: where the pack's facts come from, and when
      - {source: "15 CFR 774 Supplement 1 (Commerce Control List)", date: 2026-12-06}
    groups: {name: [words]}            # optional named word groups for rules' `needs` (any pack may use them)
    rules:
      - id: EXPT-003                   # permanent: never renumbered, never reused
        name: ECCN code                # short label; the redacted evidence of phrase rules
        category: EXPT                 # registry marking the indicator points to
        kind: pattern                  # pattern (regex) | phrase (PhraseMatcher) | token (spaCy Matcher)
        patterns: ['\\b(?P<v>[0-9][A-E][0-9]{3})\\b']
        validator: eccn                # optional, see validators.py; may lower the score or reject
        context: {words: [eccn, export control classification], window: 10, boost: 0.3, required: false}
        needs: [military_application, [mm, tolerance]]   # optional: the rule runs only on passages
                                       # holding a word (or every word of a phrase) of EACH group
        score: 0.35                    # base score of one hit (before context, validator, repetition)
        role: signal                   # signal | support (raises a score, never flags alone) | dampen
        severity: warning
        redact: name                   # name (evidence = the rule name) | digits | code
        summary / rationale / references
        examples: {match: [...], no_match: [...]}     # run by the test suite for every rule

Dampen rules (statement A, articles about CUI) carry `factor` (score multiplier), `applies_to`
(categories; empty = all) and `min_distinct` (distinct matched texts needed before they apply).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from cuiscan.errors import ConfigError
from cuiscan.records import Severity
from cuiscan.rulebook import YAML_LOADER, rules_dir

KINDS = ("pattern", "phrase", "token")
ROLES = ("signal", "support", "dampen")
REDACTIONS = ("name", "digits", "code")
_ID_RE = re.compile(r"^([A-Z]+)-(\d{3})$")
_WORD_RE = re.compile(r"[a-z0-9]+")
_REQUIRED = ("id", "name", "category", "kind", "patterns", "score", "severity", "summary",
             "rationale", "references", "examples")
# Words too common to decide whether a passage is worth a spaCy pass.
COMMON_WORDS = frozenset("""a an and any are as at be by for from has have in into is it its may not of on
only or other our shall that the their them these this to under was were which will with within without
all also than then there those what when where who whose you your information document data documents
use used using must should can been being per""".split())


@dataclass(frozen=True, slots=True)
class Context:
    words: tuple[str, ...] = ()
    window: int = 10          # words on either side of the match
    boost: float = 0.0        # added to the score when a context word is in the window
    required: bool = False    # without a context word the match is dropped


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    category: str
    kind: str
    patterns: tuple
    score: float
    severity: Severity
    summary: str
    rationale: str
    references: tuple[str, ...]
    match_examples: tuple[str, ...]
    no_match_examples: tuple[str, ...]
    role: str = "signal"
    validator: str | None = None
    context: Context = field(default_factory=Context)
    redact: str = "name"
    case_sensitive: bool = False
    anchors: frozenset[str] = frozenset()   # a passage without one of these words cannot match
    phrase_words: tuple[frozenset[str], ...] = ()   # phrase rules: the words of each phrase (all must be present)
    factor: float = 1.0
    applies_to: tuple[str, ...] = ()
    min_distinct: int = 1
    pack: str = ""
    needs: tuple[tuple[str, ...], ...] = ()   # word groups the passage must each touch (see _Gate)
    needs_names: tuple[str, ...] = ()         # the groups' names (or their first words), for explanations


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[Rule, ...]
    version: str               # content hash of the pack files: changes whenever a rule changes
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)   # the packs' named word groups

    def by_id(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise ConfigError(f"unknown detection rule id: {rule_id}")


def default_packs_dir() -> Path:
    return rules_dir() / "detection"


def load_packs(directory: str | None = None, registry: str | None = None) -> RuleSet:
    """Load and check every pack in `directory`; a broken pack is a ConfigError naming the rule.

    Cached per directory and file state (name, size, mtime): an edited pack is read again.
    """
    base = Path(directory) if directory else default_packs_dir()
    files = sorted(base.glob("*.yaml"))
    if not files:
        raise ConfigError(f"no detection rule packs found in {base}")
    state = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return _load(str(base), state, registry)


@lru_cache(maxsize=8)
def _load(base_dir: str, state: tuple, registry: str | None) -> RuleSet:
    files = [Path(base_dir) / name for name, _, _ in state]
    known = registry_markings(registry)
    rules: dict[str, Rule] = {}
    packs = []
    for path in files:
        raw_bytes = path.read_bytes()
        try:
            data = _load_without_aliases(raw_bytes) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path.name}: not valid YAML: {exc}") from None
        family = data.get("family") if isinstance(data, dict) else None
        if not isinstance(family, str) or not isinstance(data.get("rules"), list):
            raise ConfigError(f"{path.name}: a pack needs 'family' and a list of 'rules'")
        _check_sources(data.get("sources"), path.name)
        packs.append((path, data))
    groups = _word_groups(packs)
    for path, data in packs:
        family = data["family"]
        for raw in data["rules"]:
            rule = _parse_checked(raw, path.name, family, known, groups)
            if rule.id in rules:
                raise ConfigError(f"{path.name}: rule {rule.id} is defined twice")
            rules[rule.id] = rule
    return RuleSet(rules=tuple(rules.values()), version=_digest(files), groups=groups)


def packs_digest(directory: str | None = None) -> str:
    """The packs' version (RuleSet.version) from their bytes alone: what an incremental scan compares
    before it knows whether it will inspect anything, without parsing a rule."""
    base = Path(directory) if directory else default_packs_dir()
    return _digest(sorted(base.glob("*.yaml")))


def _digest(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=4)
def registry_markings(registry: str | None = None) -> frozenset[str]:
    """Category markings of the CUI registry (CTI, EXPT, PRVCY ...)."""
    path = Path(registry) if registry else rules_dir() / "cui-registry.yaml"
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=YAML_LOADER) or {}
    except OSError as exc:
        raise ConfigError(f"cannot read the CUI registry {path}: {exc.strerror}") from None
    return frozenset(c["marking"] for c in data.get("categories", []) if c.get("marking"))


def _load_without_aliases(raw: bytes):
    """Safe YAML without aliases: a kilobyte of nested aliases expands to billions of nodes. The
    events are checked first (cheap, nothing is built), then the document is loaded."""
    for event in yaml.parse(raw, Loader=YAML_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise ConfigError(f"YAML aliases are not allowed in rule packs (line {event.start_mark.line + 1})")
    return yaml.load(raw, Loader=YAML_LOADER)


def _check_sources(sources, file_name: str) -> None:
    """Every pack says where its knowledge comes from: `sources: [{source: ..., date: ...}]`."""
    if not isinstance(sources, list) or not sources or not all(
            isinstance(s, dict) and str(s.get("source") or "").strip() and str(s.get("date") or "").strip()
            for s in sources):
        raise ConfigError(f"{file_name}: a pack needs 'sources', a list of {{source, date}} (its provenance)")


def _word_groups(packs) -> dict[str, tuple[str, ...]]:
    """Named word groups (`groups: {name: [words]}` in any pack), for rules' `needs` to refer to by name:
    one list of military-application words serves every pack that asks for it."""
    groups: dict[str, tuple[str, ...]] = {}
    for path, data in packs:
        raw = data.get("groups") or {}
        if not isinstance(raw, dict):
            raise ConfigError(f"{path.name}: groups must map names to lists of words")
        for name, words in raw.items():
            if name in groups:
                raise ConfigError(f"{path.name}: word group {name!r} is defined twice")
            if not isinstance(words, list) or not words:
                raise ConfigError(f"{path.name}: word group {name!r} must be a non-empty list")
            groups[name] = tuple(str(w).lower() for w in words)
    return groups


def _parse_checked(raw, file_name: str, family: str, known: frozenset[str],
                   groups: dict[str, tuple[str, ...]] | None = None) -> Rule:
    """`_parse`, with a wrongly typed field reported as a ConfigError naming the rule, not a traceback."""
    try:
        rule = _parse(raw, file_name, family, known, groups or {})
        _check_types(rule)
    except ConfigError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, OverflowError) as exc:
        rid = raw.get("id", "?") if isinstance(raw, dict) else "?"
        raise ConfigError(f"{file_name}: rule {rid}: a field has the wrong type or value ({exc})") from None
    return rule


def _check_types(rule: Rule) -> None:
    where = f"{rule.pack}: rule {rule.id}"
    if not all(isinstance(x, str) for x in (*rule.match_examples, *rule.no_match_examples, *rule.references,
                                            *rule.applies_to)):
        raise ConfigError(f"{where}: examples, references and applies_to must be lists of text")
    if not 0.0 <= rule.factor <= 1.0 or rule.min_distinct < 1 or not 1 <= rule.context.window <= 1000:
        raise ConfigError(f"{where}: factor must be in [0, 1], min_distinct >= 1, context window 1..1000")
    if rule.kind == "token":
        for pattern in rule.patterns:
            if not pattern or not all(isinstance(spec, dict) and spec for spec in pattern):
                raise ConfigError(f"{where}: a token pattern is a non-empty list of non-empty token specs")
    elif not all(isinstance(p, str) and p for p in rule.patterns):
        raise ConfigError(f"{where}: {rule.kind} patterns must be non-empty text")


def _parse(raw: dict, file_name: str, family: str, known: frozenset[str], groups: dict) -> Rule:
    if not isinstance(raw, dict):
        raise ConfigError(f"{file_name}: every rule must be a mapping")
    rid = raw.get("id", "?")
    where = f"{file_name}: rule {rid}"
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise ConfigError(f"{where} lacks {', '.join(missing)}")
    m = _ID_RE.match(str(rid))
    if not m or m.group(1) != family:
        raise ConfigError(f"{where}: id must be '{family}-' + three digits")
    if raw["category"] not in known:
        raise ConfigError(f"{where}: category {raw['category']!r} is not a registry marking")
    if raw["kind"] not in KINDS:
        raise ConfigError(f"{where}: kind must be one of {', '.join(KINDS)}")
    role = raw.get("role", "signal")
    if role not in ROLES:
        raise ConfigError(f"{where}: role must be one of {', '.join(ROLES)}")
    redact = raw.get("redact", "name")
    if redact not in REDACTIONS:
        raise ConfigError(f"{where}: redact must be one of {', '.join(REDACTIONS)}")
    score = float(raw["score"])
    if not 0.0 < score <= 1.0:
        raise ConfigError(f"{where}: score must be in (0, 1]")
    patterns = raw["patterns"]
    if not isinstance(patterns, list) or not patterns:
        raise ConfigError(f"{where}: patterns must be a non-empty list")
    validator = raw.get("validator")
    if validator is not None:
        from cuiscan.detection.validators import VALIDATORS

        if validator not in VALIDATORS:
            raise ConfigError(f"{where}: unknown validator {validator!r}")
    case_sensitive = bool(raw.get("case_sensitive", False))
    if raw["kind"] == "pattern":
        for pat in patterns:
            try:
                re.compile(pat)
            except (re.error, TypeError) as exc:
                raise ConfigError(f"{where}: bad regex {pat!r}: {exc}") from None
    examples = raw["examples"] or {}
    match_ex = tuple(examples.get("match") or ())
    if not match_ex:
        raise ConfigError(f"{where}: needs at least one 'match' example")
    try:
        severity = Severity(raw["severity"])
    except ValueError:
        raise ConfigError(f"{where}: unknown severity {raw['severity']!r}") from None
    return Rule(
        id=rid, name=str(raw["name"]), category=raw["category"], kind=raw["kind"],
        patterns=tuple(_freeze(p) for p in patterns), score=score, severity=severity,
        summary=" ".join(str(raw["summary"]).split()), rationale=" ".join(str(raw["rationale"]).split()),
        references=tuple(str(r) for r in raw["references"]), match_examples=match_ex,
        no_match_examples=tuple(examples.get("no_match") or ()), role=role, validator=validator,
        context=_context(raw.get("context"), where), redact=redact, case_sensitive=case_sensitive,
        anchors=_anchors(raw, where), phrase_words=_phrase_words(raw), factor=float(raw.get("factor", 1.0)),
        applies_to=tuple(raw.get("applies_to") or ()), min_distinct=int(raw.get("min_distinct", 1)),
        pack=file_name, needs=_needs(raw.get("needs"), where, groups),
        needs_names=tuple(g if isinstance(g, str) else f"[{', '.join(map(str, g[:4]))}...]"
                          for g in (raw.get("needs") or ())),
    )


def _needs(raw, where: str, named: dict[str, tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """`needs`: groups of words or phrases (a list, or the name of a pack-level word group); a passage
    must hold one of each group before the rule runs. This is how co-occurrence is asked for
    ("military application" AND "engineering detail") without a rule per combination; it is checked on
    the passage's words, so it costs no matching."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: needs must be a list of word lists or group names")
    groups = []
    for group in raw:
        if isinstance(group, str):
            if group not in named:
                raise ConfigError(f"{where}: needs names an unknown word group {group!r}")
            groups.append(named[group])
        elif isinstance(group, list) and group:
            groups.append(tuple(str(w).lower() for w in group))
        else:
            raise ConfigError(f"{where}: needs must be a list of word lists or group names")
    if any(not _WORD_RE.findall(w) for group in groups for w in group):
        raise ConfigError(f"{where}: every needs entry must contain a word")
    return tuple(groups)


def _context(raw: dict | None, where: str) -> Context:
    if not raw:
        return Context()
    words = tuple(str(w).lower() for w in raw.get("words", ()))
    if not words:
        raise ConfigError(f"{where}: context needs 'words'")
    return Context(words=words, window=int(raw.get("window", 10)), boost=float(raw.get("boost", 0.0)),
                   required=bool(raw.get("required", False)))


def _anchors(raw: dict, where: str) -> frozenset[str]:
    """Words one of which any match must contain: lets a passage skip rules (and spaCy) cheaply."""
    if "anchors" in raw:
        words = {w for a in raw["anchors"] for w in _WORD_RE.findall(str(a).lower())}
        if not words:
            raise ConfigError(f"{where}: anchors must contain words")
        return frozenset(words)
    if raw["kind"] == "phrase":
        return frozenset(_rarest(p, where) for p in raw["patterns"])
    if raw["kind"] == "token":
        return frozenset(_token_anchor(p, where) for p in raw["patterns"])
    return frozenset()   # regex without declared anchors runs on every passage


def _phrase_words(raw: dict) -> tuple[frozenset[str], ...]:
    if raw["kind"] != "phrase":
        return ()
    return tuple(frozenset(_WORD_RE.findall(str(p).lower())) for p in raw["patterns"])


def _rarest(phrase: str, where: str) -> str:
    words = _WORD_RE.findall(str(phrase).lower())
    if not words:
        raise ConfigError(f"{where}: phrase {phrase!r} has no words")
    uncommon = [w for w in words if w not in COMMON_WORDS] or words
    return max(uncommon, key=len)


def _token_anchor(pattern: list, where: str) -> str:
    for spec in pattern:
        value = spec.get("LOWER") if isinstance(spec, dict) else None
        if isinstance(value, str) and spec.get("OP") in (None, "+"):
            return value
    raise ConfigError(f"{where}: a token pattern needs a required {{LOWER: word}} token, or declare anchors")


def _freeze(pattern):
    """Patterns as hashable tuples so a Rule stays frozen; token specs keep their dict form."""
    if isinstance(pattern, list):
        return tuple(pattern)
    return pattern
