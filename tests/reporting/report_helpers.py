"""Shared constants and helpers of the reporting tests."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from cuiscan.settings import ZoneConfig

ZONES = (ZoneConfig("Engineering enclave", ("/srv/share/eng/**",), True),
         ZoneConfig("Corporate", ("/srv/share/**",), False))

# Text a document could carry to attack whoever opens the report (HTML, spreadsheet formula).
HOSTILE = '=HYPERLINK("http://evil.example/x")<script>alert(1)</script>'

DATA = Path(__file__).resolve().parent.parent / "data"


def all_findings(files):
    return [(r.path, f) for r in files for f in r.findings]


def chromium(tmp_path: Path, *args: str, timeout: int = 90) -> subprocess.CompletedProcess:
    """Run Debian's chromium headless, isolated and offline-friendly."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "chromium is required for the HTML rendering test (apt-get install chromium)"
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
           f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
