"""Run the fuzz targets for a while and say what broke.

    .venv/bin/python tests/fuzz/run.py --seconds 60               # every target, 60 s each
    .venv/bin/python -m tests.fuzz.run --seconds 300 --target pdf --target docx
    .venv/bin/python tests/fuzz/run.py --engine hypothesis --seconds 30

Engines: `atheris` (coverage-guided libFuzzer; each target in its own process with -timeout and
-rss_limit_mb, crashing inputs saved under --artifacts) or `hypothesis` (random op lists over the
seeds, shrunk to a minimal failing (seed, ops) on failure). `auto` picks atheris when importable.
Exit status: 0 when no target failed, 1 otherwise. Replay an atheris artifact with
`run.py --replay TARGET FILE`.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # `python -m tests.fuzz.run` as well as `python tests/fuzz/run.py`
    sys.path.insert(0, str(HERE))

import fuzz_drivers  # noqa: E402
import fuzz_targets  # noqa: E402

RSS_LIMIT_MB = 2048


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="time per target (default 60)")
    ap.add_argument("--target", action="append", help="target name (repeatable; default: all)")
    ap.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="targets fuzzed at once")
    ap.add_argument("--artifacts", type=Path, default=Path(tempfile.gettempdir()) / "cuiscan-fuzz-artifacts",
                    help="where atheris saves crashing inputs and its logs (default: %(default)s)")
    ap.add_argument("--list", action="store_true", help="list the targets and exit")
    ap.add_argument("--replay", nargs=2, metavar=("TARGET", "FILE"), help="run one saved input")
    ap.add_argument("--atheris-child", help=argparse.SUPPRESS)
    args, extra = ap.parse_known_args(argv)
    targets = fuzz_targets.all_targets()
    if args.list:
        for t in targets.values():
            print(f"{t.name:10} {t.kind:5} {', '.join(t.seeds)}")
        return 0
    if args.atheris_child:
        fuzz_drivers.atheris_child(targets[args.atheris_child], Path(extra[-1]), extra[:-1])
        return 0
    if args.replay:
        return _replay(targets[args.replay[0]], Path(args.replay[1]))
    chosen = args.target or list(targets)
    unknown = [name for name in chosen if name not in targets]
    if unknown:
        ap.error(f"unknown target(s): {', '.join(unknown)} (see --list)")
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if _has_atheris() else "hypothesis"
        if engine == "hypothesis":
            print("atheris is not importable here; using hypothesis-driven mutation", file=sys.stderr)
    runner = _atheris if engine == "atheris" else _hypothesis
    print(f"engine {engine}, {len(chosen)} target(s), {args.seconds:g} s each, {args.jobs} at a time", flush=True)
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(pool.map(lambda name: runner(name, args), chosen))
    if engine == "atheris":
        print(f"crashing inputs and logs: {args.artifacts.resolve()}/<target>/")
    print(f"\n{'target':10} {'result':8} {'inputs':>9}  detail")
    for name, ok, runs, detail in outcomes:
        print(f"{name:10} {'ok' if ok else 'FAILED':8} {runs:>9}  {detail}")
    return 0 if all(ok for _, ok, _, _ in outcomes) else 1


def _has_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def _hypothesis(name: str, args) -> tuple[str, bool, int, str]:
    # hypothesis' own state is per test function, so targets can share this process; the SIGALRM
    # time bound works in the main thread only, hence a child process per target.
    cmd = [sys.executable, "-c", _HYPOTHESIS_CHILD, str(HERE), name, str(args.seconds)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    runs = int(proc.stdout.strip().splitlines()[-1]) if proc.returncode == 0 and proc.stdout.strip() else 0
    detail = "" if proc.returncode == 0 else _tail(proc.stdout + proc.stderr)
    return name, proc.returncode == 0, runs, detail


_HYPOTHESIS_CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
import fuzz_drivers, fuzz_targets
print(fuzz_drivers.hypothesis_for(fuzz_targets.all_targets()[sys.argv[2]], float(sys.argv[3])))
"""


def _atheris(name: str, args) -> tuple[str, bool, int, str]:
    artifacts = args.artifacts.resolve() / name
    artifacts.mkdir(parents=True, exist_ok=True)
    started = time.time()
    with tempfile.TemporaryDirectory(prefix=f"fuzz-{name}-") as corpus:
        cmd = [sys.executable, str(HERE / "run.py"), "--atheris-child", name,
               f"-max_total_time={int(args.seconds)}", f"-timeout={int(fuzz_targets.TIME_BOUND * 4)}",
               f"-rss_limit_mb={RSS_LIMIT_MB}", "-max_len=1048576", "-print_final_stats=1",
               f"-artifact_prefix={artifacts}/", corpus]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.seconds * 3 + 120)
    log = proc.stdout + proc.stderr
    (artifacts / "last-run.log").write_text(log)
    runs = next((int(line.split(":")[-1]) for line in log.splitlines()
                 if line.startswith("stat::number_of_executed_units")), 0)
    crashes = sorted(p.name for p in artifacts.iterdir()   # this run's only: earlier ones may be fixed
                     if p.name.startswith(("crash-", "timeout-", "oom-")) and p.stat().st_mtime >= started)
    ok = proc.returncode == 0 and not crashes
    detail = "" if ok else f"{', '.join(crashes) or 'exit ' + str(proc.returncode)}: {_tail(log)}"
    return name, ok, runs, detail


def _replay(target, path: Path) -> int:
    data = path.read_bytes()
    if target.kind == "file":
        if len(target.seeds) > 1:
            name, data = target.seeds[data[0] % len(target.seeds)], data[1:]
        else:
            name = target.seeds[0]
        target.run(name, data)
    else:
        target.run(data.decode("utf-8", "surrogateescape" if target.kind == "text" else "replace"))
    print("no failure")
    return 0


def _tail(log: str, lines: int = 12) -> str:
    keep = [line for line in log.splitlines() if line.strip()][-lines:]
    return "\n    " + "\n    ".join(keep)


if __name__ == "__main__":
    started = time.monotonic()
    status = main()
    print(f"done in {time.monotonic() - started:.0f} s")
    sys.exit(status)
