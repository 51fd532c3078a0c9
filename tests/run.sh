#!/usr/bin/env bash
# Set up a virtual environment and run the whole test suite. README's second command; .ci/run runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
# Debian packages the tests need: chromium renders the HTML report in a real headless browser.
# (OCR needs none: libtesseract comes in the tesserocr wheel, its English model in models/ocr/.)
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} for the tests ..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) \
      || echo "warning: could not install ${missing[*]}; the HTML rendering tests will fail" >&2
  else
    echo "warning: ${missing[*]} not installed; the HTML rendering tests will fail" \
         "(apt-get install ${missing[*]})" >&2
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
