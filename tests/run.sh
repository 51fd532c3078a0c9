#!/usr/bin/env bash
# Set up a virtual environment and run the whole test suite. README's second command; .ci/run runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
# The HTML report test renders the page in a real headless browser (Debian's chromium).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium for the HTML report test ..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install chromium; the HTML rendering test will fail" >&2
  else
    echo "warning: chromium is not installed; the HTML rendering test will fail (apt-get install chromium)" >&2
  fi
fi
# Legacy Office and OpenDocument fixtures are written by LibreOffice (headless, no GUI packages).
if ! command -v soffice >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing LibreOffice (headless) for the legacy Office / OpenDocument fixtures ..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui >/dev/null) \
      || echo "warning: could not install LibreOffice; the legacy format tests will fail" >&2
  else
    echo "warning: LibreOffice is not installed; the legacy format tests will fail" \
         "(apt-get install libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui)" >&2
  fi
fi
exec .venv/bin/python -m pytest "$@"
