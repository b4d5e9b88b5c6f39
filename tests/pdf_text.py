"""Reading a PDF back in tests with poppler's tools (Debian poppler-utils, installed by
scripts/system_packages.sh --tests): its text, its page count and its fonts."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

__all__ = ["pdf_fonts", "pdf_pages", "pdf_text"]


def _run(tool: str, pdf: bytes, *options: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: run scripts/system_packages.sh --tests (poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        finished = subprocess.run(
            [tool, *options, str(path), *(["-"] if tool == "pdftotext" else [])],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    return finished.stdout


def pdf_text(pdf: bytes) -> str:
    """The PDF's text in the order it was printed (WeasyPrint prints in document order), every
    run of white space (line ends too) as one space. A line that ends in a hyphen was broken
    after it ("alice-" / "magnesium"): the printer does not hyphenate words itself, so the two
    halves are joined again ("alice-magnesium"). (`-raw` keeps that hyphen; pdftotext's other
    modes drop it and join the halves into "alicemagnesium".)"""
    text = re.sub(r"-\n", "-", _run("pdftotext", pdf, "-raw", "-enc", "UTF-8"))
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages(pdf: bytes) -> int:
    """How many pages the PDF has."""
    found = re.search(r"^Pages:\s+(\d+)$", _run("pdfinfo", pdf), re.MULTILINE)
    assert found is not None
    return int(found.group(1))


def pdf_fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """Each font the PDF uses, with whether it is embedded."""
    rows = _run("pdffonts", pdf).splitlines()[2:]
    fonts = []
    for row in rows:
        parts = row.split()
        # name, type (one or two words), encoding, emb, sub, uni, object, id
        fonts.append((parts[0], parts[-5] == "yes"))
    return fonts
