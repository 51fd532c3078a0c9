"""A file name that is not UTF-8 keeps its readable form (`\\xNN` for each undecodable byte) and the
JSON reports add `path_bytes` (base64 of the name's bytes) to exactly those paths, so it cannot be
confused with a name literally written with backslashes (report contract: an optional field)."""
from __future__ import annotations

import base64
import json
import os

from typer.testing import CliRunner

from cuiscan.cli import app


def test_non_utf8_names_get_path_bytes_and_stay_distinct(tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    raw = os.path.join(os.fsencode(share), b"latin1_\xe9t\xe9.txt")
    literal = share / "latin1_\\xe9t\\xe9.txt"          # ASCII backslashes in the name itself
    plain = share / "plain.txt"
    for path in (raw, literal, plain):
        with open(path, "wb"):
            pass                                         # empty: each gets a SCAN-001 finding
    res = CliRunner().invoke(app, ["scan", str(share), "--db", str(tmp_path / "inv.sqlite"), "-f", "json",
                                   "--fail-on", "never"])
    report = json.loads(res.stdout)
    files = {f["path"]: f for f in report["files"]}
    assert len(files) == 3                                # two look-alike names stay two files
    by_bytes = {base64.b64decode(f["path_bytes"]): f for f in files.values() if "path_bytes" in f}
    assert set(by_bytes) == {raw, os.fsencode(literal)}
    assert by_bytes[raw]["path"] == f"{share}/latin1_\\xe9t\\xe9.txt"      # the readable form is kept
    assert "path_bytes" not in files[str(plain)]
    findings = {f["path"]: f for f in report["findings"]}
    assert len(findings) == 3
    assert {base64.b64decode(f["path_bytes"]) for f in findings.values() if "path_bytes" in f} == {
        raw, os.fsencode(literal)}
