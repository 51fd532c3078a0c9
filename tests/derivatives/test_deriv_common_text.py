"""Boilerplate is not a copy (issue 13, item 4), on real public documents.

The class seen on the real corpus: a public document quotes 60-200 words of standard template text
that also sits in a large marked template, and got DERIV-001 at a few percent of the source. Here:
the real public DoD CMMC Level 2 Assessment Guide (distribution A) and its assessment-methodology
text, pasted into a marked template; and the NIST SP 800-171 requirement statements as the real
public control-to-policy mapping lays them out. Text that public references or several unmarked
documents of the inventory hold is common text, and the NIST statements are built-in boilerplate; a
document is judged on what remains. The real files come from ../shared/corpus/real (MANIFEST.tsv
gives repository, commit and sha256); the marked template is built here with python-docx around real
marked text of the same corpus.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from deriv_builders import DI_BLOCK, docx_with, eml_with, textwrap

from cuiscan.derivatives.references import add_public_reference, list_references, remove_reference
from cuiscan.extractors import extract_file
from cuiscan.inventory.store import Inventory
from cuiscan.records import Assessment
from cuiscan.scan import run_scan
from cuiscan.settings import Limits, Settings

PUBLIC_GUIDE = "diststatement/dshannon46-jpg__cyberhygiene-documentation__Level 2 Assessment Guide.pdf"
PUBLIC_MAPPING = "negative/dshannon46-jpg__cyberhygiene-documentation__Control_to_Policy_Quick_Reference.docx"
MARKED_TEXTS = ("marked/dshannon46-jpg__cyberhygiene-documentation__Unified_POAM.md",
                "marked/timcockrell-usa__cATO-app__enhanced-vulnerability-management-plan.md",
                "marked/timcockrell-usa__cATO-app__incident-response-plan.md")


def real_corpus() -> Path:
    """../shared/corpus/real beside the checkout (a worktree sits one level deeper). CI lays shared/
    beside its clone; a missing corpus is a failure, not a skip."""
    here = Path(__file__).resolve()
    for up in here.parents:
        candidate = up / "shared" / "corpus" / "real"
        if (candidate / "MANIFEST.tsv").is_file():
            return candidate
    raise AssertionError("../shared/corpus/real (the real public documents) is missing")


def _checked(name: str) -> Path:
    """A corpus file, after checking it is the one MANIFEST.tsv recorded."""
    root = real_corpus()
    rows = {r.split("\t")[0]: r.split("\t") for r in (root / "MANIFEST.tsv").read_text().splitlines()[1:]}
    path = root / name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == rows[name][5], name
    return path


def _texts(path: Path) -> list[str]:
    return [b.text for d in extract_file(str(path), Limits()) for b in d.blocks if b.text.strip()]


def _requirements(public_doc: Path) -> list[str]:
    """The mapping's access-control rows (requirement number, statement and the cells after it) as
    they read in order: about 200 words, mostly NIST SP 800-171 statements."""
    texts = _texts(public_doc)
    return texts[texts.index("3.1.1"):texts.index("3.1.10")]


def _methodology(guide: Path) -> list[str]:
    """The guide's "Assessment Criteria and Methodology" text (about 150 words of standard wording)."""
    texts = _texts(guide)
    end = next(i for i, t in enumerate(texts) if t.startswith("assessment methods from NIST SP 800-171A"))
    start = max(i for i in range(end) if texts[i] == "Assessment Criteria and Methodology")
    return texts[start:end + 1]


def _marked_template(path: Path, requirements: list[str], distinctive: list[str]) -> Path:
    """A large marked template (CUI banner, designation indicator) that carries the standard rows."""
    from docx import Document

    doc = Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "CUI"
    section.footer.paragraphs[0].text = "CUI"
    doc.add_heading("System Security Plan and Plan of Action - enclave template", level=1)
    for line in DI_BLOCK:
        doc.add_paragraph(line)
    doc.add_heading("Assessment preparation", level=2)
    for text in requirements:
        doc.add_paragraph(text)
    doc.add_heading("Enclave findings and plans", level=2)
    for text in distinctive:
        doc.add_paragraph(text)
    doc.save(path)
    return path


def _distinctive() -> list[str]:
    return [t for name in MARKED_TEXTS for t in _texts(_checked(name)) if len(t.split()) >= 3]


def _unmarked_copy(src: Path, dst: Path) -> Path:
    """The real mapping without its closing document-control paragraph 'Classification: Controlled
    Unclassified Information (CUI) Distribution: ...': that field is a CUI marking (issue 14: a file
    carrying any CUI marking is marked-cui, never derivative), and this test needs the public text
    unmarked. Everything else of the real file is kept as it is."""
    from docx import Document

    doc = Document(str(src))
    fields = [p for p in doc.paragraphs if p.text.startswith("Classification: Controlled Unclassified Information")]
    assert len(fields) == 1, "the real mapping's marking field moved"
    fields[0]._element.getparent().remove(fields[0]._element)
    doc.save(str(dst))
    return dst


def _share(tmp_path: Path) -> tuple[Path, Path, Path, list[str]]:
    share = tmp_path / "share"
    share.mkdir()
    public = share / "Level 2 Assessment Guide.pdf"
    shutil.copyfile(_checked(PUBLIC_GUIDE), public)
    distinctive = _distinctive()
    template = _marked_template(share / "ssp-template.docx", _methodology(public), distinctive)
    return share, public, template, distinctive


def _scan(share: Path, db: Path, **overrides):
    settings = Settings(jobs=1, **overrides)
    inv = Inventory.open(str(db))
    run_scan([str(share)], settings, inv)
    return inv


def test_the_class_reproduces_without_common_text(tmp_path):
    """Without the common-text rule the real public mapping is a 'derivative' of the template at a
    few percent of it: the error this test guards against."""
    share, public, template, _ = _share(tmp_path)
    words = sum(len(t.split()) for t in _methodology(public))
    assert 100 <= words <= 200
    with _scan(share, tmp_path / "inv.sqlite", derivative_common_docs=0) as inv:
        assert inv.previous(str(template)).assessment is Assessment.MARKED_CUI
        result = inv.previous(str(public))
        assert result.assessment is Assessment.DERIVATIVE
        [finding] = [f for f in result.findings if f.rule_id == "DERIV-001"]
        share_of_source = float(finding.evidence.split("; ")[1].split("%")[0]) / 100
        assert share_of_source <= 0.05


def test_a_public_reference_makes_the_quoted_standard_text_common(tmp_path):
    share, public, template, _ = _share(tmp_path)
    standard = tmp_path / "cmmc-methodology.docx"       # the public text, registered, kept off the share
    docx_with(standard, _methodology(public))
    db = tmp_path / "inv.sqlite"
    with Inventory.open(str(db)) as inv:
        ref = add_public_reference(inv.conn, standard)
        assert ref.public and [r.path for r in list_references(inv.conn) if r.public] == [str(standard)]
    with _scan(share, db) as inv:
        result = inv.previous(str(public))
        assert result.assessment is not Assessment.DERIVATIVE
        assert not [f for f in result.findings if f.rule_id == "DERIV-001"]
        # Removing the public reference brings the error back on the next scan (the rule is what changed it)
        assert remove_reference(inv.conn, str(standard))
    with _scan(share, db, derivative_common_docs=0) as inv:
        assert inv.previous(str(public)).assessment is Assessment.DERIVATIVE


def test_standard_text_that_other_unmarked_documents_quote_is_common(tmp_path):
    share, public, template, _ = _share(tmp_path)
    rows = _methodology(public)
    quoting = ["Level 2 Assessment Guide.pdf", "access-policy.docx", "access-sop.docx",
               "assessment-prep.eml", "gap-review.eml"]
    docx_with(share / quoting[1], ["Access Control Policy", "Scope: all company systems."] + rows)
    docx_with(share / quoting[2], ["Access Control Procedure", "Owner: IT."] + rows + ["Review yearly."])
    for name, opener in zip(quoting[3:], ("The requirements we will be assessed on:", "Gap review, family 3.1:")):
        eml_with(share / name, f"Team,\n\n{opener}\n\n" + "\n".join(rows) + "\n\nThanks,\nPat\n", subject="CMMC")
    assert Settings().derivative_common_docs == len(quoting)
    with _scan(share, tmp_path / "inv.sqlite") as inv:
        for name in quoting:
            assert inv.previous(str(share / name)).assessment is not Assessment.DERIVATIVE, name
    # One quoting document fewer than the quorum: the standard rows are not yet common text
    (share / quoting[-1]).unlink()
    with _scan(share, tmp_path / "inv2.sqlite") as inv:
        assert inv.previous(str(share / quoting[0])).assessment is Assessment.DERIVATIVE


def test_what_remains_is_judged_on_the_distinctive_part(tmp_path):
    """A mail that quotes the standard rows and also pastes the template's own findings is still a
    derivative; the passage reported is the distinctive one, not the boilerplate."""
    share, public, template, distinctive = _share(tmp_path)
    standard = tmp_path / "cmmc-methodology.docx"
    docx_with(standard, _methodology(public))
    pasted = " ".join(" ".join(distinctive[12:]).split()[:70])
    note = eml_with(share / "note.eml", "Hi,\n\n" + "\n".join(_methodology(public)) + "\n\nand from the plan:\n\n"
                    + textwrap.fill(pasted, 72) + "\n\nSam\n", subject="enclave")
    db = tmp_path / "inv.sqlite"
    with Inventory.open(str(db)) as inv:
        add_public_reference(inv.conn, standard)
    with _scan(share, db) as inv:
        assert inv.previous(str(public)).assessment is not Assessment.DERIVATIVE
        result = inv.previous(str(note))
        assert result.assessment is Assessment.DERIVATIVE
        [finding] = [f for f in result.findings if f.rule_id == "DERIV-001"]
        assert str(template) in finding.evidence
        passage = int(finding.evidence.split("(")[1].split("-word")[0])
        assert 40 <= passage <= 90      # the 70 pasted words, not 70 + the quoted rows


def test_a_document_with_a_cui_marking_is_never_derivative(tmp_path):
    """A file that copies the template's own text but carries a CUI designation indicator (no banner:
    malformed, BANNER-001) is a marked document with what is wrong said, never `derivative`."""
    share, public, template, distinctive = _share(tmp_path)
    pasted = " ".join(" ".join(distinctive[12:]).split()[:120])
    copy = docx_with(share / "copy-with-di.docx", ["Enclave notes"] + DI_BLOCK + textwrap.wrap(pasted, 400))
    plain = docx_with(share / "copy-plain.docx", ["Enclave notes"] + textwrap.wrap(pasted, 400))
    with _scan(share, tmp_path / "inv.sqlite") as inv:
        marked = inv.previous(str(copy))
        assert marked.assessment is not Assessment.DERIVATIVE
        assert any(f.rule_id.startswith("BANNER-") for f in marked.findings)
        assert not [f for f in marked.findings if f.rule_id == "DERIV-001"]
        assert inv.previous(str(plain)).assessment is Assessment.DERIVATIVE    # the same text, unmarked


def test_nist_800_171_statements_are_boilerplate(tmp_path):
    """The real public control-to-policy mapping quotes the 3.1.x requirement statements that a marked
    template also holds: no derivative, even with no public reference and the quorum off."""
    share = tmp_path / "share"
    share.mkdir()
    mapping = _unmarked_copy(_checked(PUBLIC_MAPPING), share / "Control_to_Policy_Quick_Reference.docx")
    rows = _requirements(mapping)
    assert 150 <= sum(len(t.split()) for t in rows) <= 260
    template = _marked_template(share / "ssp-template.docx", rows, _distinctive())
    with _scan(share, tmp_path / "inv.sqlite", derivative_common_docs=0) as inv:
        assert inv.previous(str(template)).assessment is Assessment.MARKED_CUI
        assert inv.previous(str(mapping)).assessment is not Assessment.DERIVATIVE
