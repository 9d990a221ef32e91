"""Check Chinese font files for use in CivDesk's PDFs (the findings are in packaging/FONTS.md).

For every face of every file given (or found under /usr/share/fonts): outline type (TrueType
glyf or CFF), embedding permission (OS/2 fsType), family names, coverage of the GB2312 hanzi
(3755 level-1, 3008 level-2) and of a sample sentence, whether ReportLab's TTFont loads it (with
subfontIndex for collections) and embeds a subset. Writes a PDF with one line per usable face.

Needs fontTools and ReportLab (not dependencies of the app):
    python -m venv /tmp/fp && /tmp/fp/bin/pip install reportlab fonttools
    /tmp/fp/bin/python packaging/fonts_probe.py --pdf /tmp/fonts.pdf [FILES…]
    pdffonts /tmp/fonts.pdf; pdftoppm -png -r 60 /tmp/fonts.pdf /tmp/fonts
"""

from __future__ import annotations

import argparse
import glob
import sys
from pathlib import Path

SAMPLE = "关于命名2026年度文明单位（村、社区）的决定"
SAMPLE2 = "镇文明办：经评议、公示，决定命名张家湾村等为镇级文明村。"


def gb2312(rows: range) -> str:
    out = []
    for row in rows:
        for col in range(1, 95):
            try:
                out.append(bytes([0xA0 + row, 0xA0 + col]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(out)


LEVEL1, LEVEL2 = gb2312(range(16, 56)), gb2312(range(56, 88))


def faces(path: str):
    from fontTools.ttLib import TTCollection, TTFont

    if path.lower().endswith((".ttc", ".otc")):
        yield from enumerate(TTCollection(path, lazy=True).fonts)
    else:
        yield 0, TTFont(path, lazy=True)


def name_of(font, lang_ids=(0x804, 0x404, 0x409)) -> dict[int, str]:
    names = {}
    for record in font["name"].names:
        if record.nameID in (1, 4) and record.platformID == 3 and record.langID in lang_ids:
            names.setdefault((record.langID, record.nameID), record.toUnicode())
    return names


def describe(path: str, index: int, font) -> dict:
    cmap = font.getBestCmap() or {}
    names = name_of(font)
    fs_type = font["OS/2"].fsType if "OS/2" in font else None
    return {
        "file": path, "face": index,
        "family": names.get((0x409, 1)) or next(iter(names.values()), "?"),
        "family_zh": names.get((0x804, 1)) or names.get((0x404, 1)) or "",
        "outlines": "TrueType(glyf)" if "glyf" in font else ("CFF" if ("CFF " in font or "CFF2" in font) else "?"),
        "fsType": fs_type,
        "level1": sum(ord(ch) in cmap for ch in LEVEL1),
        "level2": sum(ord(ch) in cmap for ch in LEVEL2),
        "uro": sum(code in cmap for code in range(0x4E00, 0x9FA6)),  # GBK's 20 902 unified ideographs
        "sample_missing": "".join(sorted({ch for ch in SAMPLE + SAMPLE2 if ord(ch) not in cmap})),
    }


def reportlab_check(path: str, index: int) -> tuple[str | None, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = f"F{abs(hash((path, index))) % 10**8}"
    try:
        font = TTFont(name, path, subfontIndex=index)
    except Exception as error:  # noqa: BLE001 - we report every failure
        return None, f"{type(error).__name__}: {error}"[:120]
    pdfmetrics.registerFont(font)
    return name, "ok"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--pdf", default="fonts-probe.pdf")
    args = parser.parse_args(argv)
    files = args.files or sorted(glob.glob("/usr/share/fonts/**/*.tt[fc]", recursive=True)
                                 + glob.glob("/usr/share/fonts/**/*.otf", recursive=True)
                                 + glob.glob("/usr/share/fonts-droid-fallback/**/*.ttf", recursive=True))
    rows = []
    for path in files:
        try:
            for index, font in faces(path):
                info = describe(path, index, font)
                if info["level1"] < 1000:
                    continue  # not a Chinese font
                info["reportlab"], info["why"] = reportlab_check(path, index)
                rows.append(info)
        except Exception as error:  # noqa: BLE001
            print(f"{path}: {error}", file=sys.stderr)
    print(f"{'file#face':58} {'family':28} {'outlines':15} {'fsType':6} {'GB1':>5} {'GB2':>5} {'URO':>6}  missing  reportlab")
    for r in rows:
        print(f"{Path(r['file']).name + '#' + str(r['face']):58} {(r['family'] + ' ' + r['family_zh'])[:28]:28} "
              f"{r['outlines']:15} {str(r['fsType']):6} {r['level1']:5} {r['level2']:5} {r['uro']:6}  "
              f"{r['sample_missing'] or '-':8} {r['why']}")

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(args.pdf, pagesize=A4)
    y = A4[1] - 40
    for r in rows:
        if not r["reportlab"]:
            continue
        if y < 80:
            pdf.showPage()
            y = A4[1] - 40
        pdf.setFont("Helvetica", 8)
        pdf.drawString(30, y, f"{Path(r['file']).name}#{r['face']}  {r['family']}")
        pdf.setFont(r["reportlab"], 16)
        pdf.drawString(30, y - 20, SAMPLE)
        pdf.setFont(r["reportlab"], 12)
        pdf.drawString(30, y - 38, SAMPLE2)
        y -= 62
    pdf.save()
    print(f"PDF: {args.pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
