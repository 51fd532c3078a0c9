from __future__ import annotations

import subprocess
import sys


def run_cli(*args, cwd=None, env=None, timeout=300):
    """Run the real `cuiscan` command in a subprocess; returns CompletedProcess (text)."""
    return subprocess.run([sys.executable, "-m", "cuiscan", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=timeout)


def make_docx(path, paragraphs, header=None, footer=None):
    import docx

    d = docx.Document()
    if header is not None:
        d.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        d.sections[0].footer.paragraphs[0].text = footer
    for p in paragraphs:
        d.add_paragraph(p)
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)
    return path
