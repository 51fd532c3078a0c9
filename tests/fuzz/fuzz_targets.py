"""Fuzz targets and the properties they check. A violated property raises FuzzFailure.

File targets (one per extractor entry, plus `sniff` for the dispatcher without a type hint) take
(seed name, bytes) and go through `cuiscan.extractors.extract_source`, as a scan does:
  - it returns a list of ExtractedDoc, the file itself first, and never raises;
  - every Problem carries a known reason code (SCAN-001 vocabulary);
  - all text is a str that encodes to UTF-8 (the inventory, JSON and SARIF writers must not choke);
  - it finishes within TIME_BOUND seconds (a hard alarm at 4x stops a hang and fails the input).
Text targets: `grammar` (marking parse functions never raise on any text) and `markings` (the full
marking checks, strict, on documents made of the text). `packs`: a mutated detection rule pack loads
or raises ConfigError, never anything else.
"""
from __future__ import annotations

import logging
import pickle
import signal
import tempfile
import time
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cuiscan.settings import Limits

KNOWN_REASONS = frozenset({"encrypted", "corrupt", "unsupported", "too-large", "timeout", "image-only",
                           "limit", "unreadable"})
TIME_BOUND = 5.0
# Scan defaults shrunk so that a mutated bomb costs the fuzzer milliseconds, not seconds.
# OCR of a mutated scan is bounded by its own budget (one page, one second): the parsers are fuzzed.
FUZZ_LIMITS = Limits(max_text=2_000_000, max_pages=40, archive_members=300, archive_total=64 << 20,
                     member_size=32 << 20, timeout=TIME_BOUND, ocr_pages=1, ocr_seconds=1)


class FuzzFailure(AssertionError):
    """The property was violated; the message says which."""


class FuzzTimeout(BaseException):
    """Raised by the alarm; BaseException so that no `except Exception` in a parser swallows it."""


# Off in the atheris child: libFuzzer owns SIGALRM there (a C-level handler Python cannot see) and
# enforces -timeout itself; an alarm of ours would replace its handler and interval timer.
USE_ALARM = True


@contextmanager
def time_bound(seconds: float):
    """Alarm after `seconds`; re-arms a timer that was already running (pytest-timeout's)."""
    previous = signal.getsignal(signal.SIGALRM)
    if not USE_ALARM or previous is None:
        yield
        return

    def _alarm(signum, frame):
        raise FuzzTimeout(f"still running after {seconds:g} s")

    started = time.monotonic()
    signal.signal(signal.SIGALRM, _alarm)
    outer_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:
            signal.setitimer(signal.ITIMER_REAL, max(0.001, outer_delay - (time.monotonic() - started)))


def _bounded(fn: Callable[[], object], what: str) -> object:
    start = time.monotonic()
    try:
        with time_bound(TIME_BOUND * 4):
            result = fn()
    except FuzzTimeout as exc:
        raise FuzzFailure(f"{what}: hang ({exc})") from None
    elapsed = time.monotonic() - start
    if elapsed > TIME_BOUND:
        raise FuzzFailure(f"{what}: took {elapsed:.1f} s, over the {TIME_BOUND:g} s bound")
    return result


# --- extraction ----------------------------------------------------------------------------------

def check_docs(docs: object, what: str) -> None:
    from cuiscan.records import ExtractedDoc, TextBlock

    if not isinstance(docs, list) or not docs or not all(isinstance(d, ExtractedDoc) for d in docs):
        raise FuzzFailure(f"{what}: expected a non-empty list of ExtractedDoc, got {type(docs).__name__}")
    if docs[0].member is not None:
        raise FuzzFailure(f"{what}: the first document is not the file itself")
    for doc in docs:
        for p in doc.problems:
            if p.reason not in KNOWN_REASONS:
                raise FuzzFailure(f"{what}: unknown problem reason {p.reason!r} ({p.message[:80]!r})")
            _utf8(p.message, f"{what}: problem message")
        for block in doc.blocks:
            if not isinstance(block, TextBlock) or not isinstance(block.text, str):
                raise FuzzFailure(f"{what}: a block is not a TextBlock of str")
            _utf8(block.text, f"{what}: block text ({doc.ftype} {block.loc.zone.value})")
        if doc.member is not None:
            _utf8(doc.member, f"{what}: member name")
    pickle.dumps(docs)  # worker processes ship results through pipes


def _utf8(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise FuzzFailure(f"{what} holds text that cannot be stored as UTF-8 ({exc.reason} at {exc.start})") from None


def extract(name: str, data: bytes, ftype: str | None, backend: str = "auto") -> list:
    from cuiscan.extractors import extract_source
    from cuiscan.extractors.base import Source

    what = f"{ftype or 'sniffed'} {name} ({len(data)} bytes)"
    with _captured_output() as said:
        try:
            docs = _bounded(lambda: extract_source(Source(name=name, data=data), FUZZ_LIMITS,
                                                   pdf_backend=backend, ftype=ftype), what)
        except FuzzFailure:
            raise
        except Exception as exc:
            raise FuzzFailure(f"{what}: raised {type(exc).__name__}: {exc}") from exc
    check_docs(docs, what)
    for doc in docs:
        for p in doc.problems:
            _no_canary(p.message, f"{what}: problem message")
    for line in said:
        _no_canary(line, f"{what}: log record or warning")
    return docs


def _no_canary(text: str, what: str) -> None:
    from fuzz_seeds import CANARIES

    for canary in CANARIES:
        if canary in text:
            raise FuzzFailure(f"{what} quotes document text: {text[:300]!r}")


@contextmanager
def _captured_output():
    """Everything the libraries log (at the levels a default setup shows) or warn while extracting."""
    said: list[str] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage())

    handler = _Keep(logging.WARNING)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield said
        said.extend(str(w.message) for w in caught)
    finally:
        root.removeHandler(handler)


# --- markings ------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _vocab():
    from cuiscan.markings import MarkingContext
    from cuiscan.markings.vocab import Vocabulary

    return Vocabulary(MarkingContext().registry)


def grammar(text: str) -> None:
    from cuiscan.markings.grammar import find_trailing_portion, parse_banner, parse_di_line, parse_portion

    vocab = _vocab()
    for line in [text, *text.splitlines()[:20]]:
        try:
            for mk in (parse_banner(line, vocab), parse_portion(line, vocab)):
                if mk is not None:
                    _ = (mk.is_cui, mk.categories, mk.ldcs, mk.sp_markings, mk.category_markings,
                         mk.classification, mk.rules("BANNER"), mk.rules("PORTION"))
            find_trailing_portion(line)
            parse_di_line(line)
        except Exception as exc:
            raise FuzzFailure(f"marking grammar raised {type(exc).__name__}: {exc} on {line[:120]!r}") from exc


def markings(text: str) -> None:
    """The whole marking check suite (strict: a check error is raised, not logged) on text documents."""
    from cuiscan.extractors.base import storable
    from cuiscan.markings import MarkingContext, check_file
    from cuiscan.records import ExtractedDoc, Location, TextBlock, Zone

    # The extractors' contract (DocContext.add): text never holds lone surrogates. The grammar target
    # still gets them raw; here the text is what an extractor could hand over.
    text = storable(text)
    zones = (Zone.HEADER, Zone.BODY, Zone.BODY, Zone.FOOTER, Zone.TITLE, Zone.METADATA, Zone.NOTES)
    blocks = tuple(TextBlock(text=line, loc=Location(zone=zones[i % len(zones)], page=1 + i // 5, line=i + 1),
                             order=i, kind="line") for i, line in enumerate(text.splitlines()[:200]) if line.strip())
    docs = [ExtractedDoc(ftype="txt", member=None, blocks=blocks),
            ExtractedDoc(ftype="pdf", member="inner.pdf", blocks=tuple(
                TextBlock(text=b.text, loc=Location(zone=b.loc.zone, page=b.loc.page, member="inner.pdf"),
                          order=b.order, kind="line", top=(b.order % 10) / 10) for b in blocks), pages=3)]
    try:
        _bounded(lambda: check_file(docs, MarkingContext(strict=True)), "marking checks")
    except FuzzFailure:
        raise
    except Exception as exc:
        raise FuzzFailure(f"marking checks raised {type(exc).__name__}: {exc} on {text[:160]!r}") from exc


# --- detection rule packs ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _blank_nlp():
    import spacy

    return spacy.blank("en")


def packs(text: str) -> None:
    """A pack directory holding one mutated pack: loads, or ConfigError. Never another exception."""
    from cuiscan.detection.matching import RuleEngine
    from cuiscan.detection.packs import load_packs
    from cuiscan.errors import ConfigError

    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "fuzzed.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            rules = _bounded(lambda: load_packs(tmp), "rule pack loader")
            _bounded(lambda: RuleEngine(rules.rules, _blank_nlp()), "rule engine")
        except ConfigError:
            return
        except FuzzFailure:
            raise
        except Exception as exc:
            raise FuzzFailure(f"bad rule pack gave {type(exc).__name__} instead of ConfigError: {exc}"
                              f"\n--- pack ---\n{text[:600]}") from exc


def pack_seeds() -> list[str]:
    from cuiscan.detection.packs import default_packs_dir

    return [p.read_text(encoding="utf-8") for p in sorted(default_packs_dir().glob("*.yaml"))]


# --- the registry --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    name: str
    kind: str                       # "file" (seed name, bytes) | "text" (str) | "yaml" (str)
    run: Callable
    seeds: tuple[str, ...] = ()     # seed file names (file targets)


def _file_target(name: str, seed: str, ftype: str | None, backend: str = "auto") -> Target:
    return Target(name, "file", lambda seed_name, data: extract(seed_name, data, ftype, backend), (seed,))


def all_targets() -> dict[str, Target]:
    from fuzz_seeds import SEED_TYPES

    targets = [_file_target(ftype, seed, ftype) for seed, ftype in SEED_TYPES.items()]
    targets.append(_file_target("pdf-pypdf", "report.pdf", "pdf", backend="pypdf"))
    targets.append(Target("sniff", "file", lambda seed_name, data: extract(seed_name, data, None),
                          tuple(SEED_TYPES)))
    targets += [Target("grammar", "text", grammar), Target("markings", "text", markings),
                Target("packs", "yaml", packs)]
    return {t.name: t for t in targets}
