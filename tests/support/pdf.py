"""Reading PDFs back with poppler in tests. A test that needs poppler fails, not skips, when it is
missing: a machine without poppler-utils would otherwise pass the layout tests by running none of them
(CI installs poppler-utils; on a workstation `apt-get install poppler-utils`)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

TOOLS = ("pdftotext", "pdffonts", "pdfinfo")


def require_poppler() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"poppler-utils missing ({', '.join(missing)}): install it, these tests read the PDFs back",
                    pytrace=False)


@pytest.fixture
def poppler():
    require_poppler()


needs_poppler = pytest.mark.usefixtures("poppler")


def fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table: name, type, emb (yes/no) for every font the PDF references."""
    require_poppler()
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True, encoding="utf-8").stdout.splitlines()
    rows = []
    for line in out[2:]:
        parts = line.split()
        # name type [encoding words…] emb sub uni object generation
        rows.append({"name": parts[0], "emb": parts[-5], "line": line})
    return rows


def assert_fonts_embedded(pdf: Path) -> None:
    """Every font the PDF references is embedded (no unused Helvetica a preflight would flag)."""
    bad = [row["line"] for row in fonts(pdf) if row["emb"] != "yes"]
    assert not bad, f"{pdf.name} references fonts it does not embed:\n" + "\n".join(bad)


def words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, text) in points from the page's top-left corner."""
    require_poppler()
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         check=True, capture_output=True, text=True, encoding="utf-8").stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in re.findall(pattern, out)]


def lines(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """Words joined into lines (same baseline within 2 pt), top to bottom."""
    found = sorted(words(pdf, page), key=lambda w: (round(w[3]), w[0]))
    out: list[list] = []
    for w in found:
        if out and abs(out[-1][3] - w[3]) < 2:
            last = out[-1]
            out[-1] = [min(last[0], w[0]), min(last[1], w[1]), max(last[2], w[2]), last[3], last[4] + w[4]]
        else:
            out.append(list(w))
    return [tuple(line) for line in out]
