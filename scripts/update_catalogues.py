"""Extract the web pages' messages and update src/rugwijzer/i18n/{nl,en}.po.

Existing Dutch translations are kept; new messages get an empty Dutch msgstr, which the
catalogue test then reports until someone translates them.
Run: .venv/bin/python scripts/update_catalogues.py
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from rugwijzer.messages import Code

ROOT = Path(__file__).resolve().parents[1] / "src" / "rugwijzer"
CATALOGUES = ROOT / "i18n"
METHODS = [("templates/**.html", "jinja2"), ("**.py", "python")]


def extracted_messages() -> list[str]:
    """Every message the web pages ask gettext for, in order of appearance."""
    found: list[str] = []
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT / "web"), method_map=METHODS, keywords={"_": None, "gettext": None}
    ):
        if isinstance(message, str) and message not in found:
            found.append(message)
    return found


def existing(lang: str) -> dict[str, str]:
    path = CATALOGUES / f"{lang}.po"
    if not path.is_file():
        return {}
    catalog = read_po(io.StringIO(path.read_text(encoding="utf-8")))
    return {str(m.id): str(m.string) for m in catalog if m.id}


def main() -> None:
    messages = extracted_messages()
    CATALOGUES.mkdir(exist_ok=True)
    for lang in ("nl", "en"):
        known = existing(lang)
        catalog = Catalog(locale=lang, project="Rugwijzer", charset="utf-8")
        for message in messages:
            # English messages are their own translation.
            string = message if lang == "en" else known.get(message, "")
            catalog.add(message, string)
        for code in Code:  # message codes are written by hand, in both languages: keep them
            catalog.add(code.value, known.get(code.value, ""))
        buffer = io.BytesIO()
        write_po(buffer, catalog, omit_header=False, sort_output=False, width=100)
        (CATALOGUES / f"{lang}.po").write_bytes(buffer.getvalue())
    print(f"{len(messages)} messages")


if __name__ == "__main__":
    main()
