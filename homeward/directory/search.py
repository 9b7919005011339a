"""Search keys that make Cyrillic and Latin spellings meet.

Both the indexed text and the query are turned into *skeletons*: lower case,
Cyrillic transliterated to Latin, and the usual spelling variants folded
together (zh/j/dzh/g → g, kh → h, ts → c, ya → a, double letters single), so
"Анжел", "Ангел", "Angel" and "angel" all become ``angel``. Matching is by
word prefix: each query word must start some word of the entry.
"""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "i", "є": "e", "ў": "u", "ґ": "g", "қ": "k", "ң": "n",
    "ғ": "g", "ү": "u", "ұ": "u", "һ": "h", "ә": "a", "ө": "o",
}

# Applied in order, to transliterated text.
_FOLDS: list[tuple[str, str]] = [
    ("shch", "sh"), ("dzh", "g"), ("zh", "g"), ("dj", "g"), ("j", "g"),
    ("kh", "h"), ("tz", "c"), ("ts", "c"), ("ck", "k"), ("ph", "f"), ("w", "v"),
    ("x", "ks"), ("q", "k"), ("yu", "u"), ("ya", "a"), ("ye", "e"), ("yo", "o"),
    ("iy", "i"), ("y", "i"),
]

_WORD = re.compile(r"[a-z0-9]+")


def transliterate(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(_CYRILLIC.get(char, char) for char in text)


def _fold(word: str) -> str:
    for old, new in _FOLDS:
        word = word.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", word)


def skeleton_words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    plain = unicodedata.normalize("NFKD", transliterate(text))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return [_fold(word) for word in _WORD.findall(plain)]


def search_text_for(*parts: str) -> str:
    """The stored search key: unique words, each preceded by a space."""
    words: list[str] = []
    for part in parts:
        for word in skeleton_words(part or ""):
            if word not in words:
                words.append(word)
    return " " + " ".join(words) + " " if words else ""


def query_words(query: str, *, limit: int = 8) -> list[str]:
    return [word for word in skeleton_words(query)[:limit] if word]
