"""Derivative detection benchmark: recall, false positives, fingerprint speed, lookup time vs index size.

    .venv/bin/python benchmarks/derivatives_bench.py [--sources 300] [--derivatives 200] [--unrelated 1000]
                                                     [--scale 100,10000,100000] [--seed 1]

1. A seeded generator writes technical documents (eight engineering domains, ~30 sentence templates
   whose fixed parts are at most a few words, large slot vocabularies, random figures), so unrelated
   documents share phrases the way real specifications do, but no long passages by construction.
   Sources are marked .docx specifications that also carry shared boilerplate (letterheads of five
   companies, distribution statement, export-control warning, DI block).
2. Derivatives: an excerpt of 60-100 words of a source, transformed (light edits: one word changed per
   sentence; sentences reordered; or verbatim) and embedded in other text, written as a real .eml
   body, quoted .eml reply, .pptx bullets, .xlsx rows, .pdf or .docx. Unrelated documents: the same
   generator and formats, many with the same boilerplate as the sources. All files go through
   cuiscan.extractors.extract_file and cuiscan.derivatives.doc_prints, then Linker.process.
3. Lookup time per file with 100, 10,000 and 100,000 indexed sources (synthetic random fingerprints of
   300 hashes per source for the large indexes, plus the real sources).
"""
from __future__ import annotations

import argparse
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "derivatives"))   # the real-file writers shared with the tests

import deriv_builders as B  # noqa: E402

from cuiscan.derivatives import LinkOptions, Linker, decode_prints, encode_prints, doc_prints  # noqa: E402
from cuiscan.derivatives.index import distinct_hashes  # noqa: E402
from cuiscan.derivatives.matcher import find_sources  # noqa: E402
from cuiscan.extractors import extract_file  # noqa: E402
from cuiscan.inventory.store import Inventory  # noqa: E402
from cuiscan.fileio import sha256_file  # noqa: E402
from cuiscan.records import Assessment, FileResult, Status  # noqa: E402
from cuiscan.settings import Settings  # noqa: E402

DOMAINS = {
    "thermal": ("heat exchanger|cold plate|coolant pump|bypass valve|reservoir|fan assembly|thermostat|radiator|"
                "manifold|chiller|evaporator|condenser|heat pipe|thermal strap|fluid loop",
                "coolant temperature|flow rate|inlet pressure|junction temperature|fan speed|fluid level|"
                "pressure drop|outlet temperature", "degrees Celsius|liters per minute|kilopascals|watts"),
    "rf": ("antenna element|phase shifter|low noise amplifier|power amplifier|duplexer|receiver channel|"
           "exciter|beam former|waveguide|circulator|limiter|frequency synthesizer|mixer|local oscillator",
           "noise figure|output power|phase error|return loss|sidelobe level|gain flatness|spurious emission|"
           "image rejection", "decibels|megahertz|dBm|degrees"),
    "software": ("scheduler|message broker|health monitor|boot loader|file system|device driver|watchdog task|"
                 "telemetry service|configuration manager|crypto module|update agent|event logger|state machine",
                 "task latency|queue depth|memory use|processor load|frame rate|checksum errors|retry count|"
                 "heap fragmentation", "milliseconds|percent|messages per second|kilobytes"),
    "structures": ("mounting bracket|bulkhead|fairing|hinge fitting|longeron|access panel|fastener row|"
                   "composite skin|spar cap|isolator|lug|shear web|stiffener|doubler",
                   "bending load|fatigue life|deflection|torque value|crack length|bolt preload|stress ratio|"
                   "natural frequency", "newtons|millimeters|cycles|megapascals"),
    "propulsion": ("fuel injector|igniter|turbine stage|compressor blade|nozzle|combustor liner|fuel metering unit|"
                   "bleed valve|oil scavenge pump|gearbox|starter generator|exhaust duct|inlet guide vane",
                   "exhaust gas temperature|spool speed|fuel flow|oil pressure|thrust|vibration level|"
                   "compressor surge margin|oil temperature", "kilograms per hour|rpm|kilonewtons|bar"),
    "power": ("battery pack|inverter|power distribution unit|contactor|bus bar|rectifier|circuit breaker|"
              "DC converter|generator control unit|harness|charger|current sensor|relay panel|load bank",
              "bus voltage|ripple current|state of charge|insulation resistance|inrush current|"
              "conversion efficiency|cell imbalance|leakage current", "volts|amperes|ohms|kilowatts"),
    "network": ("router|switch fabric|fiber link|gateway|network interface card|firewall|time server|"
                "packet filter|optical transceiver|patch panel|data diode|terminal server|cross domain guard",
                "packet loss|jitter|link utilization|clock offset|round trip time|bit error rate|"
                "throughput|session count", "microseconds|gigabits per second|percent|packets"),
    "logistics": ("spares kit|shipping container|test set|maintenance manual|tool crib|calibration lab|"
                  "depot line|supply chain|repair station|inventory record|inspection stand|ground cart",
                  "turnaround time|fill rate|mean time to repair|shelf life|backorder count|"
                  "inspection interval|calibration drift|kit completeness", "days|hours|units|months"),
}
ADJ = ("primary|secondary|redundant|forward|aft|upper|lower|auxiliary|standby|main|spare|outboard|inboard|"
       "left|right|digital|analog|sealed|ruggedized|modular|integrated|external|internal|high-rate|low-rate|"
       "compact|heavy|portable|fixed|rotating").split("|")
VERBS = ("monitor|regulate|report|isolate|sample|verify|record|protect|control|limit|measure|adjust|filter|"
         "compensate|calibrate|inspect|supply|drive|stabilize|synchronize").split("|")
ACTIONS = ("reduces the duty cycle|switches to the standby channel|raises a caution|opens the relief path|"
           "latches a fault|requests a reset|stops the affected string|notifies the crew station|"
           "enters a safe mode|lowers the setpoint|disables the output stage|restarts the process").split("|")
METHODS = "test|analysis|inspection|demonstration|similarity|simulation".split("|")
ROLES = ("operator|maintainer|crew chief|test engineer|quality inspector|depot technician|program office|"
         "system engineer|flight crew|field representative").split("|")
PLACES = ("equipment bay|flight line|depot|test cell|hangar|ground station|vehicle compartment|"
          "shipboard rack|laboratory|forward operating base").split("|")
CONNECT = ("In addition,|During normal operation,|Under degraded conditions,|At power-up,|Where practical,|"
           "For this block,|In the current design,|As a minimum,|Before delivery,|After maintenance,").split("|")
# [a|b|c] picks one alternative: fixed wording between slots stays short and varies, as in real prose.
TEMPLATES = [
    "{c} the {comp} [shall|must|is required to] {verb} the {comp2} [at intervals of no more than|at least every|"
    "every] {n} {time}.",
    "The {comp} [must|shall|will] {verb} the {param} and [report it to|pass it on to|share it with] the {comp2} "
    "[through|over|via] the {bus}.",
    "[When|Whenever|Once] the {param} [exceeds|rises above|goes beyond] {n} {unit}, the {comp} {action}.",
    "[If|Should] the {comp} [lose|be without] {res} for [longer than|more than|over] {n} {time}, the {comp2} {action}.",
    "[Compliance|Conformance] is [verified|shown|confirmed] by {method} [on|using] {n} [samples|units|articles] "
    "[drawn from|taken from|selected from] the {comp} lot.",
    "The {comp} [weighs|has a mass of] {n} kilograms and [needs|takes up|occupies] {n} liters [of space|of volume] "
    "in the {place}.",
    "Each {comp} [carries|has|bears] a {adj} [label|tag|plate] that the {role} can [read|see|check] without "
    "[removing|opening|moving] the {comp2}.",
    "{c} the {role} [checks|reviews|confirms] the {param} from the {place} [with|using] a {adj} {tool}.",
    "The {comp} is rated for {n} hours between failures at a {param} of {n} {unit}.",
    "[Firmware|Software|Logic] in the {comp} [averages|smooths|filters] {param} readings over {n} samples "
    "[before|ahead of the time] the {comp2} [uses|reads|acts on] them.",
    "Between the {comp} and the {comp2}, [data flows|traffic moves|messages pass] over {proto} at {n} {rate}.",
    "A [fault|warning|caution] [raised|set|declared] by the {comp} [clears|resets] only [after|once] the {role} "
    "[confirms|verifies|agrees] that the {param} is [normal|acceptable|back in limits].",
    "Spares for the {comp} [sit|are kept|are stored] at the {place}, {n} per {group}.",
    "[Trials|Tests|Runs] at {n} {unit} showed that the {comp} {result}, [leaving|with] a margin of {n} percent.",
    "The {role} [logs|notes|records] {param} values every {n} {time} [throughout|during|across] {phase}.",
    "[Replacing|Swapping|Changing] the {comp} takes {n} minutes for one {role} and [does not disturb|leaves alone|"
    "does not affect] the {comp2}.",
    "{c} a {adj} {comp} [backs up|covers for|supports] the {comp2} [whenever|if|when] the {param} drifts.",
    "The {param} of the {comp} [stays|remains|is held] between {n} and {n} {unit} [across|over|throughout] the "
    "{env} envelope.",
    "Design margins for the {comp} assume a {param} {n} percent [above|over|beyond] the [nominal|expected|rated] "
    "value.",
    "[Drawings|Sketches|Models] of the {comp} show {n} [attachment points|mounting holes|fixing points] and a {adj} "
    "[cable routing path|harness route|cable run].",
    "The {comp2} [ignores|rejects|discards] commands from the {comp} while the {param} is [out of range|invalid|"
    "unstable].",
    "Acceptance of the {comp} [requires|needs|depends on] a {method} report [signed by|approved by|from] the {role}.",
    "[Updates|New loads|Patches] for the {comp} are [loaded|installed|applied] at the {place} with the {tool}.",
    "{c} no single [failure|fault|defect] in the {comp} [may|can|is allowed to] cause loss of the {comp2}.",
    "[Interface control drawing|Drawing|Document] {n} [defines|describes|sets out] how the {comp} [connects|links|"
    "mates] to the {comp2}.",
    "[Health|Status|Trend] data from the {comp} [feeds|goes to|supplies] the {adj} {comp2} for {method}.",
    "The {role} may [override|bypass|inhibit] the {comp} only from the {place}.",
    "Cables to the {comp} are [shielded|screened], bonded at [both ends|each end] and [kept|routed|held] {n} "
    "millimeters from the {comp2}.",
    "Under {env} conditions the {comp} {result} after {n} {time}.",
    "Corrosion protection of the {comp} follows [process specification|procedure|standard] {n} revision {letter}.",
]
FILL = {
    "time": "seconds|minutes|hours|milliseconds".split("|"), "bus": "data bus|serial link|maintenance port|"
    "discrete line|Ethernet segment".split("|"), "res": "power|cooling|its reference clock|communication|"
    "pressure".split("|"), "tool": "handheld tester|maintenance laptop|torque wrench|borescope|multimeter|"
    "loader".split("|"), "proto": "MIL-STD-1553|ARINC 429|Ethernet|CAN bus|RS-422|SpaceWire".split("|"),
    "rate": "kilobits per second|megabits per second|messages per second".split("|"),
    "group": "squadron|ship|battalion|site|aircraft".split("|"), "phase": "ground runs|flight test|storage|"
    "acceptance testing|qualification|transport".split("|"), "result": "held its calibration|met the "
    "requirement|showed no damage|recovered without intervention|stayed within limits|degraded gracefully|"
    "needed a reset".split("|"), "env": "hot day|cold soak|humid|salt fog|high altitude|sand and dust|"
    "shipboard shock".split("|"), "letter": list("ABCDEFGH"),
}
LETTERHEADS = [
    "Northwind Aerospace Systems | 4100 Research Parkway | Huntsville, Alabama 35806 | (256) 555-0142",
    "Bluecrest Defense Electronics | 77 Harbor Road | San Diego, California 92106 | (619) 555-0117",
    "Ironbark Engineering LLC | 12 Mill Street | Dayton, Ohio 45402 | (937) 555-0163",
    "Sablewood Technologies | 900 Commerce Drive | Melbourne, Florida 32901 | (321) 555-0180",
    "Kestrel Mission Systems | 5 Airport Boulevard | Wichita, Kansas 67209 | (316) 555-0108",
]


_ALTERNATIVES = re.compile(r"\[([^\]]+)\]")


class Writer:
    """Seeded technical prose: sentences from templates, slots from domain vocabularies."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self, domain: str) -> str:
        comps, params, units = (v.split("|") for v in DOMAINS[domain])
        r = self.rng
        slots = {k: r.choice(v) for k, v in FILL.items()}
        slots.update(c=r.choice(CONNECT), comp=f"{r.choice(ADJ)} {r.choice(comps)}", comp2=r.choice(comps),
                     param=r.choice(params), unit=r.choice(units), verb=r.choice(VERBS),
                     action=r.choice(ACTIONS), method=r.choice(METHODS), role=r.choice(ROLES),
                     place=r.choice(PLACES), adj=r.choice(ADJ))
        text = _ALTERNATIVES.sub(lambda m: r.choice(m.group(1).split("|")), r.choice(TEMPLATES))
        while "{n}" in text:
            text = text.replace("{n}", str(r.choice([r.randint(2, 99), r.randint(100, 9999),
                                                      round(r.uniform(0.1, 99), 1)])), 1)
        text = text.format(**slots)
        return text[0].upper() + text[1:]

    def paragraph(self, domain: str, sentences: int | None = None) -> str:
        count = sentences or self.rng.randint(3, 6)
        # Documents drift between two domains, as real ones do.
        other = self.rng.choice(list(DOMAINS))
        return " ".join(self.sentence(domain if self.rng.random() < 0.8 else other) for _ in range(count))

    def document(self, domain: str, paragraphs: int) -> list[str]:
        return [self.paragraph(domain) for _ in range(paragraphs)]


def boilerplate(rng: random.Random) -> list[str]:
    return [rng.choice(LETTERHEADS), *B.DI_BLOCK, B.DISTRIBUTION_D, B.EXPORT_WARNING]


def transform(excerpt: str, rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(["verbatim", "edited", "reordered", "edited+reordered"])
    sentences = B.split_sentences(excerpt)
    if "edited" in kind:
        sentences = [B.lightly_edited(s, rng.randrange(1 << 30)) for s in sentences]
    if "reordered" in kind and len(sentences) > 2:
        rng.shuffle(sentences)
    return " ".join(sentences), kind


def take_excerpt(paragraphs: list[str], rng: random.Random) -> str:
    sentences = [s for p in paragraphs for s in B.split_sentences(p)]
    target = rng.randint(60, 100)
    for _ in range(50):
        start = rng.randrange(len(sentences))
        out: list[str] = []
        for s in sentences[start:]:
            out.append(s)
            if len(" ".join(out).split()) >= target:
                return " ".join(out)
    raise RuntimeError("source too short for an excerpt")


def write_as(fmt: str, path: Path, before: list[str], passage: str, after: list[str]) -> Path:
    if fmt == "eml":
        body = "\n\n".join(textwrap.fill(t, 72) for t in [*before, passage, *after])
        return B.eml_with(path.with_suffix(".eml"), body)
    if fmt == "reply":
        body = "\n\n".join(before) + "\n\n" + B.quoted_reply(passage) + "\n".join(after)
        return B.eml_with(path.with_suffix(".eml"), body)
    if fmt == "pptx":
        return B.pptx_bullets(path.with_suffix(".pptx"), "Notes", before[:1] + B.chunks(passage, 12) + after[:1])
    if fmt == "xlsx":
        return B.xlsx_rows(path.with_suffix(".xlsx"), B.chunks(" ".join(before), 15) + B.chunks(passage, 15)
                           + B.chunks(" ".join(after), 15))
    if fmt == "pdf":
        return B.pdf_text(path.with_suffix(".pdf"), [*before, passage, *after])
    return B.docx_with(path.with_suffix(".docx"), [*before, passage, *after])


FORMATS = ("eml", "reply", "pptx", "xlsx", "pdf", "docx")


class Timer:
    def __init__(self):
        self.chars = 0
        self.extract = 0.0
        self.fingerprint = 0.0


def inspected(path: Path, assessment: Assessment, categories: tuple[str, ...], timer: Timer) -> FileResult:
    t0 = time.process_time()     # CPU time: other processes on the machine do not skew the ratio
    docs = extract_file(str(path))
    t1 = time.process_time()
    prints = encode_prints(doc_prints(docs))
    t2 = time.process_time()
    timer.chars += sum(len(b.text) for d in docs for b in d.blocks)
    timer.extract += t1 - t0
    timer.fingerprint += t2 - t1
    st = path.stat()
    return FileResult(path=str(path), root=str(path.parent), ftype=docs[0].ftype, size=st.st_size,
                      mtime_ns=st.st_mtime_ns, inode=st.st_ino, sha256=sha256_file(str(path)),
                      status=Status.INSPECTED, assessment=assessment, categories=categories, prints=prints)


def build_corpus(args, folder: Path):
    rng = random.Random(args.seed)
    writer = Writer(rng)
    sources: list[tuple[Path, list[str]]] = []
    for i in range(args.sources):
        domain = rng.choice(list(DOMAINS))
        paragraphs = writer.document(domain, rng.randint(5, 12))
        path = B.marked_spec_docx(folder / f"source-{i:04d}.docx", paragraphs=paragraphs,
                                  title=f"{domain.title()} specification {i}", letterhead=rng.choice(LETTERHEADS))
        sources.append((path, paragraphs))
    derivatives: list[tuple[Path, Path, str, str]] = []     # file, its source, format, transformation
    for i in range(args.derivatives):
        source, paragraphs = sources[i % len(sources)]
        passage, kind = transform(take_excerpt(paragraphs, rng), rng)
        fmt = FORMATS[i % len(FORMATS)]
        domain = rng.choice(list(DOMAINS))
        before = [writer.paragraph(domain, rng.randint(1, 4))]
        after = [writer.paragraph(domain, rng.randint(0, 3) or 1)]
        if rng.random() < 0.5:
            before = boilerplate(rng) + before
        derivatives.append((write_as(fmt, folder / f"derivative-{i:04d}", before, passage, after), source, fmt, kind))
    unrelated: list[Path] = []
    for i in range(args.unrelated):
        domain = rng.choice(list(DOMAINS))
        paragraphs = writer.document(domain, rng.randint(2, 8))
        if rng.random() < 0.5:
            paragraphs = boilerplate(rng) + paragraphs
        fmt = FORMATS[i % len(FORMATS)]
        unrelated.append(write_as(fmt, folder / f"unrelated-{i:04d}", paragraphs[:1], " ".join(paragraphs[1:2]),
                                  paragraphs[2:]))
    return sources, derivatives, unrelated


def accuracy(args, folder: Path, sources, derivatives, unrelated) -> tuple[list[FileResult], list[FileResult]]:
    conn = Inventory.open(str(folder / "inventory.sqlite")).conn    # WAL, as in a real scan
    linker = Linker(conn, LinkOptions.from_settings(Settings()))
    linker.ensure_schema()
    timer = Timer()
    work = ([(p, Assessment.MARKED_CUI, ("CTI",)) for p, _ in sources]
            + [(d[0], Assessment.NOT_CUI, ()) for d in derivatives] + [(u, Assessment.NOT_CUI, ()) for u in unrelated])
    random.Random(args.seed + 1).shuffle(work)       # crawl order: derivatives often come before their source
    final: dict[str, FileResult] = {}
    candidates: list[FileResult] = []
    sources_seen: list[FileResult] = []
    t0 = time.perf_counter()
    link_time = 0.0
    for path, assessment, cats in work:
        result = inspected(path, assessment, cats, timer)
        t = time.perf_counter()
        final[result.path] = linker.process(result)
        link_time += time.perf_counter() - t
        (sources_seen if assessment is Assessment.MARKED_CUI else candidates).append(result)
    t = time.perf_counter()
    second = linker.finish()
    finish_time = time.perf_counter() - t
    for result in second:
        final[result.path] = result
    total = time.perf_counter() - t0

    found = wrong = 0
    by_kind: dict[str, list[int]] = {}
    by_fmt: dict[str, list[int]] = {}
    for path, source, fmt, kind in derivatives:
        hit = [f for f in final[str(path)].findings if f.rule_id == "DERIV-001"]
        ok = bool(hit) and str(source) in hit[0].evidence
        found += ok
        wrong += bool(hit) and not ok
        by_kind.setdefault(kind, []).append(ok)
        by_fmt.setdefault(fmt, []).append(ok)
    false_pos = sum(any(f.rule_id == "DERIV-001" for f in final[str(u)].findings) for u in unrelated)
    crawled = {path: i for i, (path, _, _) in enumerate(work)}
    early = sum(crawled[d[0]] < crawled[d[1]] for d in derivatives)
    print(f"corpus: {len(sources)} marked sources, {len(derivatives)} derivatives, {len(unrelated)} unrelated "
          f"documents ({len(work)} files, crawled in random order)")
    print(f"recall: {found}/{len(derivatives)} = {found / len(derivatives):.3f}  (target >= 0.95; "
          f"flagged with a wrong source: {wrong})")
    print("  by transformation: " + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(by_kind.items())))
    print("  by format:         " + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(by_fmt.items())))
    print(f"  derivatives crawled before their source: {early}")
    print(f"false positives: {false_pos}/{len(unrelated)} = {false_pos / len(unrelated):.4f}  (target <= 0.005)")
    print(f"fingerprinting: {timer.chars / timer.fingerprint / 1e6:.2f} M chars/s  vs extraction "
          f"{timer.chars / timer.extract / 1e6:.2f} M chars/s  ({timer.chars / 1e6:.1f} M chars; fingerprinting "
          f"adds {timer.fingerprint / timer.extract:.1%} to extraction time)")
    print(f"linker: {link_time / len(work) * 1000:.2f} ms per file while crawling (index writes), "
          f"matching at the end {finish_time:.2f} s ({finish_time / len(work) * 1000:.2f} ms per file); "
          f"whole run {total:.1f} s")
    return sources_seen, candidates


def lookup_scaling(args, folder: Path, real_sources: list[FileResult], candidates: list[FileResult]) -> None:
    rng = np.random.default_rng(args.seed)
    probe = candidates[:300]
    probe_prints = [decode_prints(r.prints, locations=False) for r in probe]
    mean = statistics.mean(len(distinct_hashes(p)) for p in probe_prints)
    print(f"lookup time per file ({len(probe)} candidate files, {mean:.0f} fingerprints each on average: "
          f"derivatives and unrelated documents; synthetic sources have {SYNTHETIC_HASHES} fingerprints each):")
    for size in args.scale:
        path = folder / f"scale-{size}.sqlite"
        conn = Inventory.open(str(path)).conn
        linker = Linker(conn, LinkOptions.from_settings(Settings()))
        linker.ensure_schema()
        real = real_sources[:size]
        with linker.index.transaction():
            for result in real:
                linker.index.attach(result.path, "source", result.sha256, result.prints, result.categories)
        t0 = time.perf_counter()
        _add_synthetic(conn, size - len(real), rng)
        build = time.perf_counter() - t0
        times, hits = [], 0
        for _ in range(2):   # first round warms the page cache, second is measured
            times = []
            for prints in probe_prints:
                t = time.perf_counter()
                hits += bool(find_sources(prints, linker.index, linker.limits))
                times.append(time.perf_counter() - t)
        postings = conn.execute("SELECT count(*) FROM deriv_posting").fetchone()[0]
        conn.close()
        ms = sorted(x * 1000 for x in times)
        per_hash = sum(times) / sum(len(distinct_hashes(p)) for p in probe_prints) * 1e6
        print(f"  {size:>7} sources ({postings:>10,} postings, {path.stat().st_size / 2**20:7.1f} MiB, "
              f"built in {build:5.1f} s): median {statistics.median(ms):.2f} ms, "
              f"p95 {ms[int(len(ms) * 0.95)]:.2f} ms, max {ms[-1]:.2f} ms, {per_hash:.1f} us per fingerprint")


SYNTHETIC_HASHES = 300


def _add_synthetic(conn: sqlite3.Connection, count: int, rng: np.random.Generator) -> None:
    if count <= 0:
        return
    first = (conn.execute("SELECT max(id) FROM deriv_content").fetchone()[0] or 0) + 1
    ids = np.arange(first, first + count, dtype=np.int64)
    blob = encode_prints(())
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO deriv_content (id, sha256, prints, nhashes, indexed) VALUES (?,?,?,?,1)",
                     ((int(i), f"synthetic-{i}", blob, SYNTHETIC_HASHES) for i in ids))
    conn.executemany("INSERT INTO deriv_file (path, kind, content_id, added_at) VALUES (?,?,?,?)",
                     ((f"/synthetic/{i}.docx", "source", int(i), "2025-01-01T00:00:00Z") for i in ids))
    hashes = rng.integers(np.iinfo(np.int64).min, np.iinfo(np.int64).max, size=(count, SYNTHETIC_HASHES),
                          dtype=np.int64)
    owners = np.repeat(ids, SYNTHETIC_HASHES)
    flat = hashes.ravel()
    order = np.argsort(flat, kind="stable")
    positions = np.tile(np.arange(SYNTHETIC_HASHES, dtype=np.int64) * 3, count)
    conn.executemany("INSERT OR IGNORE INTO deriv_posting (hash, content_id, pos) VALUES (?,?,?)",
                     zip(flat[order].tolist(), owners[order].tolist(), positions[order].tolist()))
    conn.execute("COMMIT")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=300)
    parser.add_argument("--derivatives", type=int, default=200)
    parser.add_argument("--unrelated", type=int, default=1000)
    parser.add_argument("--scale", type=lambda s: [int(x) for x in s.split(",")], default=[100, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the generated files and databases")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="cuiscan-deriv-bench-"))
    try:
        t0 = time.perf_counter()
        corpus = build_corpus(args, folder)
        print(f"wrote the corpus in {time.perf_counter() - t0:.1f} s ({folder})")
        real_sources, candidates = accuracy(args, folder, *corpus)
        lookup_scaling(args, folder, real_sources, candidates)
    finally:
        if not args.keep:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
