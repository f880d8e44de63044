"""Fill untranslated or fuzzy entries of the English catalogue from a Python dict file (msgid → msgstr).

Usage: python scripts/po_fill.py TRANSLATIONS.py   (the file defines a dict named T)
Prints the msgids still untranslated.
"""

import re
import runpy
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "src/nhanluc/locale/en/LC_MESSAGES/django.po"


def main() -> None:
    translations = runpy.run_path(sys.argv[1])["T"]
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    missing = []
    for position, block in enumerate(blocks[1:], start=1):
        found = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if not found:
            continue
        msgid = "".join(re.findall(r'"(.*)"', found.group(1)))
        msgstr = "".join(re.findall(r'"(.*)"', found.group(2)))
        fuzzy = "#, fuzzy" in block
        if msgid and (fuzzy or not msgstr):
            if msgid in translations:
                lines = [line for line in block.split("\n") if not line.startswith("#| ")]
                block = (
                    "\n".join(lines)
                    .replace("#, fuzzy, python-format", "#, python-format")
                    .replace("#, fuzzy\n", "")
                )
                block = re.sub(r'msgstr (".*"\n?)+', f'msgstr "{translations[msgid]}"', block, flags=re.M)
                blocks[position] = (
                    block.rstrip("\n") if position < len(blocks) - 1 else block.rstrip("\n") + "\n"
                )
            else:
                missing.append(msgid)
    PO.write_text("\n\n".join(blocks), encoding="utf-8")
    print("\n".join(missing))


if __name__ == "__main__":
    main()
