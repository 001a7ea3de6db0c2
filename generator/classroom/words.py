"""The word filter for what participants type: nicknames, open answers, questions to the trainer.

Nothing typed on a phone reaches the projector without the trainer's say (open answers and
questions wait for the trainer to show them); the filter is the first line, before that: a text
containing a listed word is refused on the phone, with a neutral reason, and the trainer never has
to read it. The built-in lists hold common insults and swear words in the interface languages; a
course adds its own (``classroom.blocked_words`` in course.yaml) — the names of local people, say.

Matching is on whole words after folding: case, accents, and the usual letter-for-digit swaps
(``sh1t``), with repeated letters squeezed (``fuuuck``) and separators inside a word ignored
(``f.u.c.k``). A listed phrase of several words matches those words in a row.
"""

from __future__ import annotations

import re
import unicodedata

#: Common insults and swear words; deliberately short — the course's list is where a room's own
#: words go. Written folded (lower case, no accents).
BUILT_IN = {
    "nl": ["kut", "klootzak", "lul", "hoer", "kanker", "kankerlijer", "tering", "tyfus", "mongool", "debiel",
           "sukkel", "eikel", "trut", "flikker", "neuk", "neuken", "godverdomme", "kutwijf"],
    "en": ["fuck", "fucking", "fucker", "shit", "cunt", "bitch", "bastard", "asshole", "dick", "prick", "slut",
           "whore", "wanker", "retard", "faggot", "motherfucker", "twat", "bollocks"],
    "de": ["scheisse", "arschloch", "fotze", "hure", "wichser", "schlampe", "missgeburt", "spast", "ficken"],
    "fr": ["merde", "connard", "connasse", "salope", "putain", "encule", "enculer", "batard", "pute", "pd"],
}

_SWAPS = str.maketrans({"0": "o", "1": "i", "!": "i", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s",
                        "7": "t", "8": "b"})


def fold(text: str) -> str:
    """``text`` as the filter compares it: lower case, no accents; digits and signs standing for
    letters inside a word read as those letters (``sh1t``, ``sh!t``), not a sentence's ``!``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\w@$!]+", lambda m: m.group(0).strip("!").translate(_SWAPS) + " ", plain)


def _squeeze(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


def words_of(text: str) -> list[str]:
    """The folded words of ``text``: letters and digits, with separators inside a word (f.u.c.k,
    f-u-c-k, f u c k) joined when every piece is a single letter."""
    folded = fold(text)
    pieces = re.findall(r"[^\W_]+", folded)
    words: list[str] = []
    run: list[str] = []
    for piece in pieces + [""]:
        if len(piece) == 1:
            run.append(piece)
            continue
        if len(run) >= 3:
            words.append("".join(run))
        else:
            words += run
        run = []
        if piece:
            words.append(piece)
    return words


class WordFilter:
    """Whether a text may be shown: none of the listed words or phrases in it."""

    def __init__(self, extra: list[str] | tuple[str, ...] = (), languages: tuple[str, ...] = tuple(BUILT_IN)):
        listed = [w for lang in languages for w in BUILT_IN.get(lang, [])] + list(extra)
        self.single: set[str] = set()
        self.phrases: list[tuple[str, ...]] = []
        for entry in listed:
            parts = tuple(_squeeze(w) for w in words_of(entry))
            if len(parts) == 1:
                self.single.add(parts[0])
            elif parts:
                self.phrases.append(parts)

    def allows(self, text: str) -> bool:
        words = [_squeeze(w) for w in words_of(text)]
        if any(w in self.single for w in words):
            return False
        for phrase in self.phrases:
            n = len(phrase)
            if any(tuple(words[i:i + n]) == phrase for i in range(len(words) - n + 1)):
                return False
        return True
