"""Reference documents (CUI kept off the shares): library API and `cuiscan reference` commands."""
from __future__ import annotations

import json

import pytest
from deriv_linking import check, inspected
from deriv_builders import SPEC_PARAGRAPHS, docx_with, eml_with, excerpt, pdf_text, textwrap
from typer.testing import CliRunner

from cuiscan.derivatives.references import add_reference, list_references, remove_reference
from cuiscan.errors import ConfigError
from cuiscan.records import Assessment


@pytest.fixture
def government_spec(tmp_path):
    """A specification received from the government, as a PDF kept in a mailbox, not on the share."""
    folder = tmp_path / "received"
    folder.mkdir()
    return pdf_text(folder / "gov-spec.pdf", SPEC_PARAGRAPHS)


def test_reference_is_a_source_and_stores_no_text(tmp_path, conn, linker, government_spec):
    ref = add_reference(conn, government_spec, "SP-CTI")
    assert ref.path == str(government_spec) and ref.categories == ("CTI",)
    assert ref.words > 300 and ref.fingerprints > 50
    assert [r.path for r in list_references(conn)] == [str(government_spec)]
    body = "From the customer's spec:\n\n" + textwrap.fill(excerpt(3), 72)
    result = check(linker, inspected(eml_with(tmp_path / "fwd.eml", body), Assessment.NOT_CUI))
    [finding] = [f for f in result.findings if f.rule_id == "DERIV-001"]
    assert result.assessment is Assessment.DERIVATIVE and finding.categories == ("CTI",)
    assert f"reference document {government_spec}" in finding.evidence
    # A scan that no longer sees the path (it is not on a share) must not drop the reference.
    linker.forget(str(government_spec))
    assert len(list_references(conn)) == 1
    assert remove_reference(conn, government_spec) is True
    assert list_references(conn) == [] and remove_reference(conn, government_spec) is False
    assert conn.execute("SELECT count(*) FROM deriv_posting").fetchone()[0] == 0


def test_bad_references_are_refused_with_a_message(tmp_path, conn):
    with pytest.raises(ConfigError, match="no such file"):
        add_reference(conn, tmp_path / "missing.pdf")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ConfigError, match="cannot read it"):
        add_reference(conn, broken)
    good = docx_with(tmp_path / "ok.docx", SPEC_PARAGRAPHS[:1])
    with pytest.raises(ConfigError, match="unknown CUI category"):
        add_reference(conn, good, "NOT-A-CATEGORY")
    assert list_references(conn) == []


def test_cli_add_list_remove(tmp_path, government_spec):
    from cuiscan.cli import app

    runner = CliRunner()
    db = str(tmp_path / "inv.sqlite")
    other = docx_with(tmp_path / "other-ref.docx", SPEC_PARAGRAPHS[2:4])
    out = runner.invoke(app, ["reference", "add", str(government_spec), str(other), "--category", "CTI",
                              "--db", db])
    assert out.exit_code == 0, out.output
    assert f"added {government_spec} [CTI]" in out.output
    listed = runner.invoke(app, ["reference", "list", "--format", "json", "--db", db])
    assert listed.exit_code == 0
    assert sorted(r["path"] for r in json.loads(listed.output)) == sorted([str(government_spec), str(other)])
    table = runner.invoke(app, ["reference", "list", "--db", db])
    assert str(other) in table.output and "CTI" in table.output

    removed = runner.invoke(app, ["reference", "remove", str(other), "--db", db])
    assert removed.exit_code == 0 and f"removed {other}" in removed.output
    again = runner.invoke(app, ["reference", "remove", str(other), "--db", db])
    assert again.exit_code == 2 and "not a registered reference" in again.output


def test_cli_public_references(tmp_path, government_spec):
    """`reference add --public`: listed as public, no category allowed, removed like the others; a
    document that repeats only public text is no derivative."""
    from cuiscan.cli import app

    runner = CliRunner()
    db = str(tmp_path / "inv.sqlite")
    standard = docx_with(tmp_path / "public-standard.docx", SPEC_PARAGRAPHS[:2])
    refused = runner.invoke(app, ["reference", "add", str(standard), "--public", "-c", "CTI", "--db", db])
    assert refused.exit_code == 2 and "no CUI category" in refused.output
    assert runner.invoke(app, ["reference", "add", str(government_spec), "-c", "CTI", "--db", db]).exit_code == 0
    out = runner.invoke(app, ["reference", "add", str(standard), "--public", "--db", db])
    assert out.exit_code == 0 and f"added {standard} [public]" in out.output
    listed = json.loads(runner.invoke(app, ["reference", "list", "--format", "json", "--db", db]).output)
    assert {r["path"]: r["public"] for r in listed} == {str(government_spec): False, str(standard): True}

    import sqlite3

    from cuiscan.derivatives import LinkOptions, Linker
    from cuiscan.settings import Settings

    conn = sqlite3.connect(db)
    linker = Linker(conn, LinkOptions.from_settings(Settings()))
    linker.ensure_schema()
    quoted = eml_with(tmp_path / "quote.eml", "From the standard:\n\n" + textwrap.fill(excerpt(1), 72))
    own = eml_with(tmp_path / "own.eml", "From the spec:\n\n" + textwrap.fill(excerpt(3), 72))
    assert check(linker, inspected(quoted, Assessment.NOT_CUI)).assessment is Assessment.NOT_CUI
    assert check(linker, inspected(own, Assessment.NOT_CUI)).assessment is Assessment.DERIVATIVE
    conn.close()
    removed = runner.invoke(app, ["reference", "remove", str(standard), "--db", db])
    assert removed.exit_code == 0 and f"removed {standard}" in removed.output


def test_cli_bad_input_exits_2_and_keeps_the_good_ones(tmp_path, government_spec):
    from cuiscan.cli import app

    runner = CliRunner()
    db = str(tmp_path / "inv.sqlite")
    bad_cat = runner.invoke(app, ["reference", "add", str(government_spec), "-c", "BOGUS", "--db", db])
    assert bad_cat.exit_code == 2 and "unknown CUI category 'BOGUS'" in bad_cat.output
    mixed = runner.invoke(app, ["reference", "add", str(tmp_path / "nope.pdf"), str(government_spec), "--db", db])
    assert mixed.exit_code == 2 and "no such file" in mixed.output and "Traceback" not in mixed.output
    listed = runner.invoke(app, ["reference", "list", "--format", "json", "--db", db])
    assert [r["path"] for r in json.loads(listed.output)] == [str(government_spec)]
