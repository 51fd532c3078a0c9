"""Every fuzz target, briefly, in the test suite: a bounded, derandomized hypothesis run (the same
examples on every machine), so that a regression in any extractor, the marking grammar, the marking
checks or the rule-pack loader fails CI. Long, random and coverage-guided runs: tests/fuzz/run.py.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import fuzz_drivers
import fuzz_mutations
import fuzz_seeds
import fuzz_targets

TARGETS = fuzz_targets.all_targets()
# Examples per kind, sized so that the whole module stays around 20 s on two cores.
EXAMPLES = {"file": 40, "text": 120, "yaml": 12}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_target_holds_its_property_on_mutated_inputs(name):
    target = TARGETS[name]
    fuzz_drivers.hypothesis_run(target, max_examples=EXAMPLES[target.kind], derandomize=True)


@pytest.mark.parametrize("seed_name", sorted(fuzz_seeds.SEED_TYPES))
def test_seeds_are_real_files_that_extract_cleanly(seed_name):
    docs = fuzz_targets.extract(seed_name, fuzz_seeds.seed(seed_name), fuzz_seeds.SEED_TYPES[seed_name])
    assert docs[0].ftype == fuzz_seeds.SEED_TYPES[seed_name]
    assert not [p for d in docs for p in d.problems], "a seed must reach deep into its parser"
    assert any(fuzz_seeds.CANARIES[0] in b.text for d in docs for b in d.blocks)


def test_every_mutation_kind_changes_real_files_and_replays_identically():
    changed = {kind: 0 for kind in fuzz_mutations.OP_KINDS}
    for seed_name in fuzz_seeds.SEED_TYPES:
        data = fuzz_seeds.seed(seed_name)
        for kind in fuzz_mutations.OP_KINDS:
            for n in range(5):
                op = (kind, 7919 * n + 13, 104729 * n + 7, 1299709 * n + 3)
                out = fuzz_mutations.mutate(data, [op])
                assert out == fuzz_mutations.mutate(data, [op])   # a failure replays from its ops
                changed[kind] += out != data
    assert all(changed.values()), changed


def test_the_properties_catch_what_they_claim_to():
    """The checker itself: an unknown reason, unstorable text and a quoted canary are failures."""
    from cuiscan.records import ExtractedDoc, Location, Problem, TextBlock

    bad = [
        [ExtractedDoc(ftype="txt", member=None, blocks=(), problems=(Problem("weird", "x"),))],
        [ExtractedDoc(ftype="txt", member=None, blocks=(TextBlock("lone \ud800", Location()),))],
        [ExtractedDoc(ftype="txt", member="a.txt", blocks=())],
    ]
    for docs in bad:
        with pytest.raises(fuzz_targets.FuzzFailure):
            fuzz_targets.check_docs(docs, "test")
    with pytest.raises(fuzz_targets.FuzzFailure, match="quotes document text"):
        fuzz_targets._no_canary(f"PdfReadError: found {fuzz_seeds.CANARIES[0]}", "problem message")


def test_the_one_command_runner_fuzzes_and_reports(tmp_path):
    run = Path(__file__).with_name("run.py")
    proc = subprocess.run([sys.executable, str(run), "--engine", "hypothesis", "--seconds", "1", "--target", "csv",
                           "--artifacts", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "engine hypothesis, 1 target(s)" in proc.stdout
    [row] = [line.split() for line in proc.stdout.splitlines() if line.startswith("csv ")]
    assert row[1] == "ok" and int(row[2]) >= 50
