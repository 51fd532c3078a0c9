"""The Detector: rule packs + passage model, built once per worker process, applied per document.

Per document: blocks -> passages; each passage's words (only those some rule asks about) open the
rules whose gate they pass; the open rules run as regexes (matching.py: phrase and simple token rules
too, so the spaCy tokenizer never runs for matching unless a token rule needs the spaCy Matcher).
The model corroborates rule evidence: it scores only passages with a signal rule hit, strongest
first, within a per-document character budget, and it counts only in a document with a signal
rule hit (scoring.py). Text without any candidate signal is never tokenised nor scored. A phrase an
earlier passage settled is not searched again (matching.Settled) unless that choice depends on it.

Workers are forked: a Detector pickles as the recipe to rebuild it (paths + options), never as
spaCy objects, so a pool can ship it or each worker can call `Detector.load` itself.
"""
from __future__ import annotations

import heapq
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from cuiscan.detection.matching import RuleEngine, Settled, Skipped, has_digit
from cuiscan.detection.model import TextModel, VectorModel, default_model_dir, load_model
from cuiscan.detection.packs import RuleSet, default_packs_dir, load_packs
from cuiscan.detection.passages import Passage, build_passages, lower_same_length, zero_digits
from cuiscan.detection.scoring import TERM_CONTEXT, TERM_SURE, Located, ModelVote, assess
from cuiscan.detection.termmodel import TermModel, TermScore
from cuiscan.records import DetectResult, ExtractedDoc, MarkingResult, Zone

log = logging.getLogger(__name__)

# Model budget per document: passages with a signal rule hit, strongest hit first, up to this many
# characters (at least one passage) and passages. The model's cost is per character (tokenizer and
# n-gram lookups); a document with hits all over gets its strongest evidence corroborated, not every
# page of it. 6,000 = two full passages. On the benchmark corpus (benchmarks/make_corpus.py) 6 of 641
# verdicts differ from scoring 16 passages: documents of generated filler whose only rule hit was the
# weak CTI-011; held-out figures are unchanged.
MODEL_CHAR_BUDGET = 6_000
MODEL_MAX_PASSAGES = 16
DEFAULT_MODEL_WEIGHT = 0.75   # the model's vote: weight x p(CUI), added to a rule-supported category
# The term model reads a document's opening: its passages in text order until this many characters (about
# three pages; every outside writer's document fits: the longest is 9,900). It needs no rule hit, so it is
# not run over a 4 MB log (detection cost: benchmarks/stages.py). Rule evidence in a document it did not
# read to the end is never set aside (scoring.assess).
TERM_CHAR_BUDGET = 8_000


@dataclass(frozen=True, slots=True)
class DetectorOptions:
    rules_dir: str | None = None
    model_dir: str | None = None     # None: the committed model; "" : rules only
    threshold: float = 0.5
    model_weight: float = DEFAULT_MODEL_WEIGHT
    show_evidence: bool = False


class Detector:
    def __init__(self, rules: RuleSet, model: TextModel | VectorModel | None, options: DetectorOptions):
        import spacy

        self.rules = rules
        self.model = model
        self.options = options
        self.nlp = model.nlp if model else spacy.blank("en")
        self.terms = TermModel.load(model.path) if model else None
        self._context: dict[str, tuple[frozenset[str], re.Pattern | None]] = {}
        self.engine = RuleEngine(rules.rules, self.nlp)

    @classmethod
    def load(cls, settings=None, *, rules_dir: str | Path | None = None, model_dir: str | Path | None = None,
             use_model: bool = True) -> "Detector":
        """Build from settings (threshold, show_evidence) plus the rule packs and model on disk."""
        options = DetectorOptions(
            rules_dir=str(rules_dir) if rules_dir else None,
            model_dir="" if not use_model else (str(model_dir) if model_dir else None),
            threshold=getattr(settings, "detect_threshold", 0.5),
            show_evidence=getattr(settings, "show_evidence", False),
        )
        return cls.from_options(options)

    @classmethod
    def from_options(cls, options: DetectorOptions) -> "Detector":
        rules = load_packs(options.rules_dir or str(default_packs_dir()))
        model = None
        if options.model_dir != "":
            model = load_model(options.model_dir or default_model_dir())
        return cls(rules, model, options)

    def __reduce__(self):
        return (Detector.from_options, (self.options,))

    @property
    def threshold(self) -> float:
        return self.options.threshold

    @property
    def version(self) -> str:
        model = self.model.version if self.model else "none"
        terms = f"; terms {self.terms.version}" if self.terms else ""
        return f"rules {self.rules.version}; model {model}{terms}"

    def detect(self, doc: ExtractedDoc, marking: MarkingResult | None = None) -> DetectResult:
        skip = [marking.banner] if marking is not None and marking.banner else []
        passages = build_passages(doc, skip)
        hits, votes = self.scan_passages(passages)
        term, whole = self.term_vote(passages)
        return assess(doc.member, hits, votes, marking, self.options.threshold, self.options.model_weight,
                      self.options.show_evidence, term=term, term_read_all=whole,
                      context=lambda category: self.names_context(category, passages))

    def names_context(self, category: str, passages: list[Passage]) -> bool:
        """Whether the passages hold a word or phrase of the groups TERM_CONTEXT asks of `category`."""
        words, phrases = self._context_vocabulary(category)
        low = "\n".join(lower_same_length(p.text) for p in passages)
        return bool(words.intersection(_CONTEXT_TOKEN.findall(low))) or bool(phrases and phrases.search(low))

    def _context_vocabulary(self, category: str) -> tuple[frozenset[str], re.Pattern | None]:
        found = self._context.get(category)
        if found is None:
            entries = [w for name in TERM_CONTEXT.get(category, ()) for w in self.rules.groups.get(name, ())]
            phrases = [re.escape(w) for w in entries if " " in w]
            found = self._context[category] = (frozenset(w for w in entries if " " not in w),
                                               re.compile(rf"\b(?:{'|'.join(phrases)})\b") if phrases else None)
        return found

    def term_vote(self, passages: list[Passage]) -> tuple[ModelVote | None, bool]:
        """The term model's strongest passage (termmodel.py) in the document's opening (TERM_CHAR_BUDGET),
        or None without a term model or text to read; and whether it read the whole document."""
        if self.terms is None:
            return None, False
        chosen, budget = [], TERM_CHAR_BUDGET
        for p in passages:
            if budget <= 0:
                break
            if p.locs[0].zone not in NOT_WRITTEN:
                chosen.append(p)
                budget -= len(p.text)
        whole = budget > 0 or chosen[-1] is passages[-1]
        if not chosen:
            return None, whole
        cui, reads = self.terms.read_many([p.text for p in chosen])
        if not reads.any():
            return None, whole
        at = int(np.argmax(np.where(reads, cui, -1.0)))
        best = chosen[at]
        # its category only counts from TERM_SURE on (scoring.assess): below, p(CUI) alone is read
        score = self.terms.score(best.text) if cui[at] >= TERM_SURE else TermScore(float(cui[at]), ())
        return ModelVote(score, best.locs[0], best.text), whole

    def scan_passages(self, passages: list[Passage]) -> tuple[list[Located], list[ModelVote]]:
        engine = self.engine
        lowers = [lower_same_length(p.text) for p in passages]
        word_sets = [engine.passage_words(low) for low in lowers]
        topics = [engine.topic_words(near_passages(word_sets, i), words) for i, words in enumerate(word_sets)]
        opened = [engine.open_rules(words, has_digit(p.text), topic)
                  for p, words, topic in zip(passages, word_sets, topics)]
        settled = Settled()
        per_passage, skipped = [], []
        for p, low, ids, words, topic in zip(passages, lowers, opened, word_sets, topics):
            per_passage.append(engine.scan_regex(p.text, low, ids, words, single_spaced=True, settled=settled,
                                                 topic=topic))
            skipped.append(settled.take_skipped())
        need_tokens = [i for i, ids in enumerate(opened) if engine.needs_spacy(ids)]
        docs = dict(zip(need_tokens, self._tokenise(lowers, need_tokens)))
        for i in need_tokens:
            per_passage[i].extend(engine.scan_doc(docs[i], passages[i].text, lowers[i], opened[i]))
        located = [Located(hit, passages[i].location_at(hit.start))
                   for i, hits in enumerate(per_passage) for hit in hits]
        votes: list[ModelVote] = []
        if self.model:
            wanted = self._model_candidates(per_passage, passages, skipped, lambda i: engine.skipped_score(
                passages[i].text, lowers[i], word_sets[i], skipped[i]))
            missing = [i for i in wanted if i not in docs]
            docs.update(zip(missing, self._tokenise(lowers, missing)))
            scores = self.model.score_docs([docs[i] for i in wanted]) if wanted else []
            votes = [ModelVote(s, passages[i].locs[0], passages[i].text) for i, s in zip(wanted, scores)]
        return located, votes

    def _tokenise(self, lowers: list[str], indexes: list[int]):
        """One tokenisation per passage (of token_text, from the lower-cased passage), shared by the
        spaCy-only matchers and the model."""
        return self.nlp.tokenizer.pipe((zero_digits(lowers[i]) for i in indexes), batch_size=64)

    @staticmethod
    def _model_candidates(per_passage: list[list], passages: list[Passage], skipped: list[Skipped],
                          skipped_score: Callable[[int], float]) -> list[int]:
        """Indexes (in text order) of the passages the model scores: those with a signal rule hit,
        strongest hit first, within the budget. The model corroborates rule evidence: a passage
        without any is not scored (scoring ignores the model when no signal rule hit at all), and a
        contract number or CAGE code alone never earns a model score: identifiers are context only.

        A passage's strongest hit may lie in the phrases it skipped (`skipped`, matching.Settled):
        it is then first placed at the most those can score, and `skipped_score(i)` is judged only
        when it comes up within the budget; the order and the choice are those of every hit known."""
        # (-strongest, index, None), or while skipped phrases could raise it: (-upper bound, index, strongest known)
        queue: list[tuple[float, int, float | None]] = []
        for i, hits in enumerate(per_passage):
            known = max((h.score for h in hits if h.rule.role == "signal"), default=0.0)
            queue.append((-skipped[i].bound, i, known) if skipped[i].bound > known else (-known, i, None))
        heapq.heapify(queue)
        chosen: list[int] = []
        budget = MODEL_CHAR_BUDGET
        while queue:
            negative_score, i, known = heapq.heappop(queue)
            if negative_score == 0.0 or len(chosen) == MODEL_MAX_PASSAGES:
                break
            size = len(passages[i].text)
            if chosen and size > budget:
                continue   # nor would it fit at its true place, after this one: the budget only shrinks
            if known is not None:
                heapq.heappush(queue, (-max(known, skipped_score(i)), i, None))
                continue
            chosen.append(i)
            budget -= size
        return sorted(chosen)


_CONTEXT_TOKEN = re.compile(r"[a-z][a-z0-9\-/]*")
# A file's properties and its name: the term model was trained on what people write in documents
NOT_WRITTEN = frozenset({Zone.METADATA, Zone.FILENAME})

# A document's first passage is the topic of the others only in a short document (a deck, a mail, a
# memo): on page 200 of a report it is not a title any more, and borrowing its words there would open
# rules on every passage (a 4 MB text whose first line is an export warning: detection x9).
TITLE_REACH = 40
# The opening: a deck's title slide is a title passage, a body and notes; a mail's subject, then its body
# (benchmarks/blind_cv.py, round 3: the program and the customer are named there, the values slides later)
OPENING = 3


def near_passages(word_sets: list[frozenset[str]], index: int) -> list[frozenset[str]]:
    """The passages whose words count as this one's topic for rules' `needs`: the one before, the one
    after, and in a short document its opening (its title, subject line or first slide: OPENING passages)."""
    near = [word_sets[j] for j in (index - 1, index + 1) if 0 <= j < len(word_sets)]
    if len(word_sets) <= TITLE_REACH:
        near.extend(word_sets[j] for j in range(min(OPENING, index - 1)))
    return near


_MARKED = "not run: the document is marked"


def detect_file(docs: list[ExtractedDoc], markings: list[MarkingResult], detector: Detector,
                unmarked_only: bool = False) -> list[DetectResult]:
    """One DetectResult per doc, same order. A doc that breaks the detector gets a zero result, not a crash.

    `unmarked_only`: documents that carry CUI or classified markings get an empty result without
    being scanned. A scan's assessment reads detection only for unmarked documents (DETECT-001:
    indicators but no CUI banner), so for a scan that is work thrown away."""
    by_member = {m.member: m for m in markings}
    results = []
    for index, doc in enumerate(docs):
        marking = markings[index] if index < len(markings) and markings[index].member == doc.member \
            else by_member.get(doc.member)
        if unmarked_only and marking is not None and (marking.is_marked or marking.is_classified):
            results.append(DetectResult(member=doc.member, explanation=_MARKED))
            continue
        try:
            results.append(detector.detect(doc, marking))
        except Exception as exc:  # detection must never take a scan down; say why in the result
            log.warning("detection failed for member %r: %s", doc.member, type(exc).__name__)
            results.append(DetectResult(member=doc.member, explanation=f"detection failed: {type(exc).__name__}"))
    return results
