#!/usr/bin/env bash
# scripts/report_screenshot.sh — do the two offline HTML reports render?
#
#   scripts/report_screenshot.sh [DIR]
#
# DIR holds the reports (*.analysis.html, *.audit.html), or is a demo root whose reports/ does.
# Default: <repo>/demo; when it has no reports yet, runs scripts/demo first (AGGREGATE=... is
# passed through). Each report is rendered by headless Chromium (Debian's `chromium`, installed
# with apt-get when missing and we are root; fonts-noto-cjk too, so Chinese is not boxes) to a
# PNG beside it (0600, like every file here), then checked:
#   - the page is self-contained: no <script>, no http(s) reference but the SVG namespace;
#   - it has inline SVG charts;
#   - its font stack names Microsoft YaHei and SimSun (Windows) and Noto Sans CJK SC (Linux), and
#     this machine resolves Noto Sans CJK SC (fonts-noto-cjk), so no character is drawn as a box;
#   - the PNG is non-trivial: decoded, wide and tall enough, not one colour, with enough ink.
# Exit 0 when both render, 1 otherwise. Look at the PNGs: their paths are printed.
set -euo pipefail
umask 077

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-$REPO/demo}"
WIDTH="${SCREENSHOT_WIDTH:-1280}"
HEIGHT="${SCREENSHOT_HEIGHT:-3000}"

die() { echo "report_screenshot: $*" >&2; exit 1; }
say() { echo "report_screenshot: $*"; }

# Find the reports (or make them with the demo).
find_reports() {
    local d
    for d in "$1" "$1/reports"; do
        if compgen -G "$d/*.analysis.html" >/dev/null && compgen -G "$d/*.audit.html" >/dev/null; then
            echo "$d"; return 0
        fi
    done
    return 1
}
if ! REPORTS="$(find_reports "$DIR")"; then
    [[ $# -eq 0 ]] || die "no *.analysis.html and *.audit.html in $DIR or $DIR/reports"
    say "no reports in $DIR yet: running scripts/demo $DIR"
    "$REPO/scripts/demo" "$DIR" >/dev/null || die "scripts/demo failed"
    REPORTS="$(find_reports "$DIR")" || die "scripts/demo wrote no reports under $DIR"
fi

# Chromium and CJK fonts from Debian's packages.
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$CHROMIUM" || -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ]]; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        say "installing chromium and fonts-noto-cjk (apt-get)"
        apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1; } \
            || die "apt-get install chromium fonts-noto-cjk failed"
        CHROMIUM="$(command -v chromium)"
    fi
fi
[[ -n "$CHROMIUM" ]] || die "chromium not found (apt-get install chromium fonts-noto-cjk)"
# The Linux entry of the pages' font stack must resolve to a font that has Chinese.
if ! fc-match "Noto Sans CJK SC" 2>/dev/null | grep -qi "CJK"; then
    die "no Noto Sans CJK SC on this machine: Chinese would render as boxes (apt-get install fonts-noto-cjk)"
fi

PROFILE="$(mktemp -d)"
trap 'rm -rf "$PROFILE"' EXIT

status=0
for html in "$REPORTS"/*.analysis.html "$REPORTS"/*.audit.html; do
    png="${html%.html}.png"
    rm -f "$png"
    # Offline: a file:// URL, no network services; the page's own CSP forbids fetching anyway.
    timeout 180 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
        --disable-background-networking --disable-component-update --disable-sync --no-first-run \
        --user-data-dir="$PROFILE" --window-size="$WIDTH,$HEIGHT" --screenshot="$png" \
        "file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")" >/dev/null 2>&1 || true
    if [[ ! -s "$png" ]]; then
        say "FAIL $html: chromium wrote no screenshot"; status=1; continue
    fi
    chmod 600 "$png"
    if python3 - "$html" "$png" <<'PY'
import re, struct, sys, zlib

html_path, png_path = sys.argv[1], sys.argv[2]
html = open(html_path, encoding="utf-8").read()
problems = []
if "<script" in html.lower():
    problems.append("has a <script>")
refs = [u for u in re.findall(r"https?://[^\s\"'<>)]+", html) if u != "http://www.w3.org/2000/svg"]
if refs:
    problems.append("refers to the network: %s" % refs[:3])
if html.count("<svg") < 1:
    problems.append("has no inline SVG chart")
# A CJK font stack that renders on officials' Windows PCs and on Linux (issue 13): without one a
# browser may draw every Chinese character as a box.
body_font = re.search(r"body \{[^}]*font: [^;]*;", html)
for font in ("Microsoft YaHei", "SimSun", "Noto Sans CJK SC"):
    if not body_font or ('"%s"' % font) not in body_font.group(0):
        problems.append("the page's font stack does not name %s" % font)

# Decode the PNG (8-bit RGB/RGBA, non-interlaced, as Chromium writes) and look at the pixels.
data = open(png_path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("not a PNG")
pos, idat, width = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
if depth != 8 or ctype not in (2, 6) or interlace:
    sys.exit("unexpected PNG format (depth %d, colour type %d)" % (depth, ctype))
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(idat)
stride = width * bpp
prev = bytearray(stride)
colours, ink, sampled = set(), 0, 0
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 4 == 0:
        for x in range(0, width, 4):
            px = bytes(line[x * bpp:x * bpp + 3])
            colours.add(px)
            sampled += 1
            if sum(px) < 600:  # darker than the page background
                ink += 1
if width < 800 or height < 600:
    problems.append("screenshot only %dx%d" % (width, height))
if len(colours) < 16:
    problems.append("only %d colours: blank page?" % len(colours))
if ink < sampled * 0.01:
    problems.append("almost no ink (%.2f%%)" % (100.0 * ink / max(sampled, 1)))
if problems:
    print("; ".join(problems))
    sys.exit(1)
print("%dx%d, %d colours, %.1f%% ink" % (width, height, len(colours), 100.0 * ink / sampled))
PY
    then
        say "ok   $png"
    else
        say "FAIL $html (see above)"; status=1
    fi
done
exit $status
