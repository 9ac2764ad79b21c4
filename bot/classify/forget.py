"""Forgetting the remark texts the classifier's caches hold (docs/privacy.md).

A few steps cache their result by the remark's text (bounded LRU caches: the same remarks
are read again at every view). When a text leaves the database (deleted in Slack, expired,
erased) this process drops those caches too, so no copy outlives the remark here. Only
modules already imported are touched: forgetting must not load the model.
"""

from __future__ import annotations

import sys

# Module -> its functions cached by a remark's text (or a text's words in order).
BY_TEXT = {
    "bot.classify.text": ("normalise", "routing_words"),
    "bot.classify.sentiment": ("tone_features",),
    "bot.classify.suggestion": ("features",),
    "bot.classify.wordvectors": ("embed",),
    "bot.classify.label_text": ("text_cases",),
}

# Module -> its function that drops the one last text it keeps (not an LRU cache).
LAST_TEXT = {
    "bot.classify.rules": "forget_last",
}


def forget_texts() -> None:
    """Empty every cache keyed by a remark's text in this process."""
    for module, names in BY_TEXT.items():
        loaded = sys.modules.get(module)
        for name in names if loaded is not None else ():
            getattr(loaded, name).cache_clear()
    for module, name in LAST_TEXT.items():
        loaded = sys.modules.get(module)
        if loaded is not None:
            getattr(loaded, name)()
