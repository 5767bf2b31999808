#!/usr/bin/env bash
# Debian packages Värna needs beyond Python: Chromium for browser tests, Pango for WeasyPrint's PDFs,
# poppler for reading PDFs in tests, gettext for the translation check, xmlsec1 for SAML signatures.
# Installs what is missing when
# run as root; otherwise says what to install.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v msgfmt >/dev/null || need+=(gettext)
command -v xmlsec1 >/dev/null || need+=(xmlsec1)  # pysaml2 checks SAML signatures with it
ldconfig -p 2>/dev/null | grep -q libpango-1.0.so.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset.so.0 || need+=(libharfbuzz-subset0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
    echo "Please install these Debian packages: ${need[*]}" >&2
    exit 1
fi
