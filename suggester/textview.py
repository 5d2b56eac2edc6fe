"""One lower-cased view of a report's text, shared by the stages that search it for words.

Several stages look for words anywhere in a report: the noise patterns' keywords and runs of
digits (:mod:`suggester.noise`), the section headers' first words (:mod:`suggester.sections`),
the words the billing phrases need (:mod:`suggester.modifiers`) and the confidence model's cue
words (:mod:`suggester.confidence`). Each used to lower-case the text and run its own
Aho-Corasick pass over it, and a pass costs about as much as the text is long whatever the
number of words. :class:`Literals` puts the word groups of every stage in one automaton, and
:meth:`Literals.view` gives the :class:`TextView` of one text: its folded copy
(:func:`suggester.scan.folded`), scanned once on first use, with the hits of each group.

Each stage still owns its words and patterns: it hands its group in (``{word: payload}``, words
in lower case) and reads its own hits back (``(start, payload)``, in the order the automaton
reports them: by end, then longest first). The view only says where the words are; what they
mean stays with the stage. The extractor makes one view per text it works on (the report as
written, the text with noise set aside) and the :class:`~suggester.model.Extraction` carries them
to the later stages.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

import ahocorasick

from .scan import folded

__all__ = ["Literals", "TextView", "view_for"]


class Literals:
    """The word groups of several stages in one Aho-Corasick automaton (built once)."""

    def __init__(self, groups: Mapping[Any, Mapping[str, Any]]):
        # (each hit goes to its group's list by number: a group key can be a tuple of patterns,
        # costly to hash once per hit)
        entries: dict[str, list[tuple[int, Any]]] = {}
        for k, (key, words) in enumerate(groups.items()):
            for w, payload in words.items():
                if not w.strip() or w != w.lower():
                    raise ValueError(f"literal {w!r} of group {key!r}: words are lower case, not only blanks")
                entries.setdefault(w, []).append((k, payload))
        self.groups: dict[Hashable, int] = {key: k for k, key in enumerate(groups)}
        self.longest = max(map(len, entries), default=0)
        values = {w: (len(w), tuple(es)) for w, es in entries.items()}
        self._auto = _automaton(values)
        # the words holding a blank (a line break, a tab, ...), with the same values: only they can meet a span
        # of a blanked view (see TextView.blanked), so only they are looked for again around the spans
        spaced = {w: v for w, v in values.items() if any(ch.isspace() for ch in w)}
        self._spaced_auto = _automaton(spaced)
        self.spaced_longest = max(map(len, spaced), default=0)

    def view(self, text: str) -> TextView:
        return TextView(self, text)

    def raw(self, low: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, tuple[int, tuple]]]:
        """The automaton's hits in ``low[lo:hi]`` as it reports them: ``(last character, (length,
        entries))`` in text order of their ends, the longest first at one end."""
        if self._auto is None:
            return []
        if lo == 0 and hi is None:
            return list(self._auto.iter(low))
        return [(end + lo, value) for end, value in self._auto.iter(low[lo:hi])]

    def spaced(self, low: str, lo: int, hi: int) -> list[tuple[int, tuple[int, tuple]]]:
        """:meth:`raw` of ``low[lo:hi]`` for the words holding a blank only."""
        if self._spaced_auto is None:
            return []
        return [(end + lo, value) for end, value in self._spaced_auto.iter(low[lo:hi])]

    def groups_of(self, raw: list[tuple[int, tuple[int, tuple]]]) -> list[list[tuple[int, Any]]]:
        """Every group's hits, by group number: ``[(start, payload)]`` in the order of ``raw``."""
        out: list[list[tuple[int, Any]]] = [[] for _ in self.groups]
        for end, (n, entries) in raw:
            start = end + 1 - n
            for k, payload in entries:
                out[k].append((start, payload))
        return out


class TextView:
    """One text, its folded copy (None when a case-insensitive match cannot be read from a
    lower-cased copy) and, once asked for, where the words of every group occur in it."""

    __slots__ = ("_base", "_hits", "_raw", "literals", "low", "text")

    def __init__(self, literals: Literals, text: str):
        self.literals, self.text = literals, text
        self.low: str | None = folded(text)
        self._raw: list[tuple[int, tuple[int, tuple]]] | None = None
        self._hits: list[list[tuple[int, Any]]] | None = None
        self._base: tuple[TextView, list[tuple[int, int]]] | None = None  # see blanked()

    def of(self, text: str) -> bool:
        """Whether this is the view of ``text`` (the same string object)."""
        return self.text is text

    def hits(self, group: Hashable) -> list[tuple[int, Any]] | None:
        """``(start, payload)`` of the group's words in the folded text, or None when the text
        has no folded copy or the group is not one of the view's (the caller searches alone)."""
        k = self.literals.groups.get(group)
        if k is None or self.low is None:
            return None
        if self._hits is None:
            self._hits = self.literals.groups_of(self._scanned())
        return self._hits[k]

    def forget(self) -> None:
        """Drop the hits found so far (found again if asked for: ``Extraction.forget_scans``)."""
        self._raw = self._hits = None

    def _scanned(self) -> list[tuple[int, tuple[int, tuple]]]:
        if self._raw is None:
            assert self.low is not None
            self._raw = self._derived() if self._base is not None else self.literals.raw(self.low)
        return self._raw

    def blanked(self, text: str, spans: Sequence[tuple[int, int]]) -> TextView:
        """The view of ``text``: this view's text with the ``spans`` (start, end) blanked (turned
        to blanks and line breaks), nothing else changed (checked: otherwise a view of its own).
        Its words are this view's outside the spans and those found again around them: a word
        holds more than blanks, so one that meets a span crosses one of its ends. The text itself
        (nothing set aside, nothing changed): this view."""
        if text is self.text:
            return self
        view = TextView(self.literals, text)
        if self.low is None or view.low is None or len(text) != len(self.text):
            return view
        ranges: list[tuple[int, int]] = []
        for a, b in sorted(spans):
            if ranges and a <= ranges[-1][1]:
                ranges[-1] = (ranges[-1][0], max(ranges[-1][1], b))
            elif a < b:
                ranges.append((a, b))
        at = 0
        for a, b in ranges:
            if text[at:a] != self.text[at:a] or not text[a:b].isspace():
                return view
            at = b
        if text[at:] != self.text[at:]:
            return view
        view._base = (self, ranges)
        return view

    def _derived(self) -> list[tuple[int, tuple[int, tuple]]]:
        """The hits of a :meth:`blanked` view from its base's (see there)."""
        assert self._base is not None and self.low is not None
        base, ranges = self._base
        starts = [a for a, _b in ranges]

        def meets(end: int, n: int) -> bool:  # does the word ending at ``end`` meet a span?
            i = bisect.bisect_right(starts, end) - 1  # the last span starting at or before its end
            return i >= 0 and ranges[i][1] > end + 1 - n
        # only a word ending inside a span or less than the longest word after it can meet it:
        # the others are kept as they are, a slice at a time (the hits are in order of their ends)
        raw = base._scanned()
        kept: list[tuple[int, tuple[int, tuple]]] = []
        at = 0
        for a, b in ranges:
            lo = max(at, bisect.bisect_left(raw, a, key=_END))
            hi = max(lo, bisect.bisect_left(raw, b + self.literals.longest - 1, key=_END))
            kept += raw[at:lo]
            kept += [h for h in raw[lo:hi] if not meets(h[0], h[1][0])]
            at = hi
        kept += raw[at:]
        # a word that meets a span now holds a blank there (a word of blanks only is none): only the words
        # holding one are looked for again, within the longest of them around the spans
        reach = self.literals.spaced_longest - 1
        windows: list[list[int]] = []
        for a, b in ranges if reach > 0 else ():
            for lo, hi in ((a - reach, b + reach),) if b - a <= 2 * reach else ((a - reach, a + reach), (b - reach, b + reach)):
                lo, hi = max(0, lo), min(len(self.low), hi)
                if windows and lo <= windows[-1][1]:
                    windows[-1][1] = max(windows[-1][1], hi)
                else:
                    windows.append([lo, hi])
        for h in [h for lo, hi in windows for h in self.literals.spaced(self.low, lo, hi) if meets(h[0], h[1][0])]:
            # (into their place among the hits kept: in order of their ends, the longest first at one end)
            kept.insert(bisect.bisect_left(kept, _order(h), key=_order), h)
        return kept


def _automaton(values: Mapping[str, tuple[int, tuple]]) -> ahocorasick.Automaton | None:
    """An Aho-Corasick automaton of ``values`` (word -> (length, entries)), or None without words."""
    if not values:
        return None
    auto = ahocorasick.Automaton()
    for w, value in values.items():
        auto.add_word(w, value)
    auto.make_automaton()
    return auto


_END = itemgetter(0)  # (a hit's last character: the key its place is found by)


def _order(h: tuple[int, tuple[int, tuple]]) -> tuple[int, int]:
    """A hit's place in the automaton's order: by its end, the longest first at one end."""
    return h[0], -h[1][0]


def low_of(text: str, view: TextView | None) -> str | None:
    """The folded copy of ``text`` held by ``view`` when it is the view of ``text`` (else None:
    the caller folds the text itself)."""
    return view.low if view is not None and view.of(text) else None


def view_for(text: str, view: TextView | None, groups: Iterable[Hashable], own: Literals) -> TextView:
    """``view`` when it is the view of ``text`` and holds every one of a stage's ``groups``, else
    a view of ``text`` made from the stage's ``own`` literals (a text without a shared view)."""
    if view is not None and view.of(text) and all(g in view.literals.groups for g in groups):
        return view
    return own.view(text)
