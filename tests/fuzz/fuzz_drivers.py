"""Two engines over the same targets: hypothesis (generates and shrinks op lists; used by the test
suite and as the fallback) and atheris (coverage-guided libFuzzer, with a custom mutator that mixes
libFuzzer's byte mutations with the structure-aware ops of fuzz_mutations).

Every input maps back to something replayable: hypothesis prints the falsifying (seed, ops); atheris
writes the crashing file to the artifacts folder.
"""
from __future__ import annotations

import random
import sys
import time
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import fuzz_mutations as mut
import fuzz_seeds
from fuzz_targets import TIME_BOUND, Target

MARKING_TOKENS = ("CUI", "//", "/", "SP-", "PRVCY", "CTI", "EXPT", "NOFORN", "FEDCON", "REL TO", "USA, GBR",
                  "DL ONLY", "(", ")", " ", "-", ":", "U", "UNCLASSIFIED", "SECRET", "FOUO", "CONTROLLED",
                  "Controlled by:", "CUI Category:", "POC:", "Decontrol On:", "Distribution Statement",
                  "\n", "\t", "(CUI)", "(U)", "1.", "a)", "\u2022", "SP-PRVCY", "DISPLAY ONLY", "ORCON", "\u00a0")

_int = st.integers(0, 2 ** 32)


def ops_strategy(kinds: tuple[str, ...]) -> st.SearchStrategy:
    return st.lists(st.tuples(st.sampled_from(kinds), _int, _int, _int), min_size=1, max_size=5)


def text_strategy() -> st.SearchStrategy:
    tokens = st.lists(st.one_of(st.sampled_from(MARKING_TOKENS), st.text(max_size=8)), max_size=40).map("".join)
    return st.one_of(tokens, st.text(max_size=400))


def input_strategy(target: Target) -> st.SearchStrategy:
    if target.kind == "file":
        return st.tuples(st.sampled_from(target.seeds), ops_strategy(mut.OP_KINDS))
    if target.kind == "yaml":
        return st.tuples(st.integers(0, len(_pack_texts()) - 1), ops_strategy(mut.YAML_OPS))
    return text_strategy()


def run_input(target: Target, example) -> None:
    """Run one generated example (the shapes input_strategy makes)."""
    if target.kind == "file":
        seed_name, ops = example
        target.run(seed_name, mut.mutate(fuzz_seeds.seed(seed_name), ops))
    elif target.kind == "yaml":
        index, ops = example
        target.run(mut.mutate_yaml(_pack_texts()[index], ops))
    else:
        target.run(example)


def _pack_texts() -> list[str]:
    from fuzz_targets import pack_seeds

    return pack_seeds()


def warm_up(target: Target) -> None:
    """Run the unmutated seeds once: imports and caches are then not charged to the first example."""
    if target.kind == "file":
        for seed_name in target.seeds:
            target.run(seed_name, fuzz_seeds.seed(seed_name))
    elif target.kind == "yaml":
        target.run(_pack_texts()[0])
    else:
        target.run("CUI//SP-PRVCY\n(CUI) text")


def hypothesis_run(target: Target, max_examples: int, derandomize: bool) -> None:
    """Raise (with hypothesis' falsifying example) if any generated input violates the property."""
    warm_up(target)

    # deadline: hypothesis' view of the same TIME_BOUND the target enforces itself (with a message)
    # The suite (derandomized) reports its first failing example as is; shrinking it can take longer
    # than the whole suite budget. Exploring runs shrink, to hand over a minimal (seed, ops).
    phases = (Phase.generate,) if derandomize else (Phase.generate, Phase.shrink)

    @settings(max_examples=max_examples, deadline=timedelta(seconds=TIME_BOUND), database=None,
              derandomize=derandomize, phases=phases,
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    @given(input_strategy(target))
    def fuzz(example) -> None:
        run_input(target, example)

    fuzz()


def hypothesis_for(target: Target, seconds: float) -> int:
    """Random (not derandomized) rounds until `seconds` are spent; returns the examples run."""
    deadline = time.monotonic() + seconds
    examples = 0
    while time.monotonic() < deadline:
        hypothesis_run(target, max_examples=50, derandomize=False)
        examples += 50
    return examples


# --- atheris (runs in its own process: libFuzzer exits when it is done) --------------------------

def atheris_child(target: Target, corpus: Path, libfuzzer_args: list[str]) -> None:
    import atheris

    import fuzz_targets

    fuzz_targets.USE_ALARM = False   # libFuzzer's -timeout stops hangs (see fuzz_targets.USE_ALARM)

    _write_corpus(target, corpus)
    multi = len(target.seeds) > 1

    def one_input(data: bytes) -> None:
        if target.kind == "file":
            if multi:  # first byte picks the seed name (the extension is a sniffing hint)
                if not data:
                    return
                name, data = target.seeds[data[0] % len(target.seeds)], data[1:]
            else:
                name = target.seeds[0]
            target.run(name, data)
        else:
            target.run(data.decode("utf-8", "surrogateescape" if target.kind == "text" else "replace"))

    def mutator(data: bytes, max_size: int, seed: int) -> bytes:
        rnd = random.Random(seed)
        if rnd.random() < 0.5:
            return atheris.Mutate(data, max_size)
        op = (rnd.choice(mut.OP_KINDS), rnd.getrandbits(32), rnd.getrandbits(32), rnd.getrandbits(32))
        if target.kind == "yaml":
            text = mut.mutate_yaml(data.decode("utf-8", "replace"), [(rnd.choice(mut.YAML_OPS), *op[1:])])
            return text.encode("utf-8", "surrogatepass")[:max_size]
        if target.kind == "file" and multi and data:
            return (data[:1] + mut.apply_op(data[1:], op))[:max_size]
        return mut.apply_op(data, op)[:max_size]

    warm_up(target)
    atheris.instrument_all()
    atheris.Setup([sys.argv[0], *libfuzzer_args, str(corpus)], one_input, custom_mutator=mutator)
    atheris.Fuzz()


def _write_corpus(target: Target, corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    if target.kind == "file":
        for i, name in enumerate(target.seeds):
            data = fuzz_seeds.seed(name)
            (corpus / f"seed-{i}").write_bytes(bytes([i]) + data if len(target.seeds) > 1 else data)
    elif target.kind == "yaml":
        for i, text in enumerate(_pack_texts()):
            (corpus / f"seed-{i}").write_text(text, encoding="utf-8")
    else:
        for i, text in enumerate(("CUI//SP-PRVCY//NOFORN", "(CUI) text", "Controlled by: DoD CIO\nPOC: x",
                                  "UNCLASSIFIED//FOUO", "CUI//SP-EXPT/SP-CTI//REL TO USA, GBR")):
            (corpus / f"seed-{i}").write_text(text, encoding="utf-8")
