"""Rebuild bot/classify/data/english_words.txt from SCOWL as Debian ships it.

    apt-get download wamerican wbritish && dpkg-deb -x wamerican_*.deb x && dpkg-deb -x wbritish_*.deb x
    python tools/english_words.py x/usr/share/dict/american-english x/usr/share/dict/british-english

Keeps lower-case words of 3+ letters (capitalised entries are names), shortest first, and
drops a word one regular inflection away from a kept one (bot.classify.english finds it
back), so the file holds base forms only. The notice at the top of the file is kept.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.classify.english import _bases  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "bot" / "classify" / "data" / "english_words.txt"


def main() -> None:
    words = {
        w for path in sys.argv[1:] for w in Path(path).read_text(encoding="utf-8").split()
        if re.fullmatch(r"[a-z]{3,}", w)
    }
    kept: set[str] = set()
    for w in sorted(words, key=lambda w: (len(w), w)):
        if not any(b in kept for b in _bases(w)[1:]):
            kept.add(w)
    notice = [line for line in OUT.read_text(encoding="utf-8").split("\n") if line.startswith("#")]
    OUT.write_text("\n".join(notice + sorted(kept)) + "\n", encoding="utf-8")
    print(f"{len(kept)} words -> {OUT}")


if __name__ == "__main__":
    main()
