"""Literal prefilters for the regular expressions searched over a whole report.

A case-insensitive regular expression scans every position of the text. Most of the phrase
patterns of ``lexicons/`` cannot match at all in a given report, and each of them needs one of
a few literal words to match (``\\b(exam|study)\\s+was\\s+(terminated|aborted)\\b`` needs
"terminated" or "aborted"). :func:`required_literals` reads those words from the pattern itself
(so the phrase files stay plain regular expressions), and :class:`LiteralIndex` finds every
occurrence of every such word of a set of patterns in one Aho-Corasick pass over the lower-cased
report. A pattern is then searched only in the spans (sections, sentences) that hold one of its
words: the same matches, found without scanning text that cannot match.

The filter is exact for ASCII text (lower-casing keeps every offset and is what a
case-insensitive match compares); for other text :meth:`LiteralIndex.scan` returns None and the
callers search as before.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if sys.version_info >= (3, 11):
    from re import _parser as _sre_parse
else:  # pragma: no cover  (Python 3.10)
    import sre_parse as _sre_parse

import ahocorasick

if TYPE_CHECKING:
    from .textview import TextView

MIN_LITERAL = 2  # a single letter occurs everywhere: no use as a filter
_MAX_SET = 64  # alternatives kept while expanding a run of literals


def required_literals(pattern: str) -> frozenset[str] | None:
    """Lower-case strings one of which every match of ``pattern`` contains (matched without
    regard to case), or None when the pattern has no such set of words of
    :data:`MIN_LITERAL`+ characters (or cannot be read)."""
    try:
        parsed = _sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001  (anything unreadable simply gets no filter)
        return None
    _exact, best = _seq(list(parsed.data))
    if not best or min(map(len, best)) < MIN_LITERAL:
        return None
    out = frozenset(x.lower() for x in best)
    if not all(x.isascii() for x in out):
        return None
    return out


# words so frequent in reports that a set holding one filters little ("no" is in "normal", "node")
_COMMON = frozenset({"no", "not", "nor", "of", "or", "on", "in", "is", "it", "to", "at", "as", "an", "and", "the",
                     "was", "with", "for", "are", "be", "by"})


def _better(a: set | None, b: set | None) -> set | None:
    """The more selective of two required sets (without a common word, then longest shortest
    word, then fewest words)."""
    def key(s):
        return (s.isdisjoint(_COMMON), min(map(len, s)), -len(s)) if s and "" not in s else (False, -1, 0)
    if a is None or key(b or set()) > key(a):
        return b if b and "" not in b else a
    return a


def _seq(items: list) -> tuple[set | None, set | None]:
    """(exact strings the sequence matches or None, best required set or None)."""
    run: set | None = {""}
    best: set | None = None
    whole = True
    for op, av in items:
        exact, req = _item(str(op), av)
        if exact is not None and run is not None and len(run) * len(exact) <= _MAX_SET:
            run = {a + b for a in run for b in exact}
            continue
        whole = False
        best = _better(best, run)
        best = _better(best, req)
        best = _better(best, exact)
        run = {""} if exact is None else exact
    best = _better(best, run)
    return (run if whole else None), best


def _item(op: str, av) -> tuple[set | None, set | None]:
    if op == "LITERAL":
        return {chr(av)}, None
    if op == "IN":
        chars = set()
        for o, v in av:
            if str(o) != "LITERAL":
                return None, None
            chars.add(chr(v))
        return (chars, None) if len(chars) <= 8 else (None, None)
    if op in ("AT", "ASSERT", "ASSERT_NOT"):
        return {""}, None  # zero width
    if op == "SUBPATTERN":
        return _seq(list(av[-1]))
    if op == "ATOMIC_GROUP":
        return _seq(list(av))
    if op == "BRANCH":
        infos = [_seq(list(b)) for b in av[1]]
        exact = None
        if all(e is not None for e, _ in infos):
            exact = set().union(*(e for e, _ in infos if e is not None))
            exact = exact if len(exact) <= _MAX_SET else None
        reqs = [_better(r, e) for e, r in infos]
        req = set().union(*(r for r in reqs if r)) if all(r for r in reqs) else None
        return exact, req
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        lo, hi, sub = av
        exact, req = _seq(list(sub))
        if lo == 0:
            return None, None
        if lo == hi == 1:
            return exact, req
        return None, _better(req, exact)
    return None, None


# The caches below are keyed by compiled patterns (or tuples of them) and looked up by identity:
# CPython hashes a pattern over its whole compiled code on every lookup (about 10 ns a character of
# the pattern), which the hot paths paid several times a report. Each entry holds its key, so the
# id cannot be reused while the entry lives; a pattern compiled again (an equal object) gets an
# entry of its own with the same value; the caches are emptied past _BY_ID_MAX entries (patterns
# made at run time, which re's own cache may compile again, cannot grow them without bound).
_BY_ID_MAX = 4096


def _by_id(cache: dict[int, tuple[Any, Any]], key: object) -> tuple[Any, Any] | None:
    """The cache's (key, value) entry of ``key`` itself, or None."""
    got = cache.get(id(key))
    return got if got is not None and got[0] is key else None


def _remember(cache: dict[int, tuple[Any, Any]], key: object, value: Any) -> Any:
    if len(cache) >= _BY_ID_MAX:
        cache.clear()
    cache[id(key)] = (key, value)
    return value


class LiteralIndex:
    """The required words of a set of compiled patterns, for :meth:`scan`."""

    def __init__(self, patterns: Sequence[re.Pattern]):
        self._slot: dict[re.Pattern, int] = {}
        self._filtered: set[int] = set()
        self._patterns = tuple(patterns)  # (held: their ids key _slot_of)
        words: dict[str, list[int]] = {}
        for i, rx in enumerate(patterns):
            self._slot.setdefault(rx, i)
            lits = required_literals(rx.pattern)
            if lits is None:
                continue
            self._filtered.add(self._slot[rx])
            for w in lits:
                words.setdefault(w, []).append(self._slot[rx])
        self.words = {w: (len(w), tuple(dict.fromkeys(slots))) for w, slots in words.items()}
        # slot() by the pattern's identity (see _by_id), the filtered ones only
        self._slot_of = {id(rx): self._slot[rx] for rx in self._patterns if self._slot[rx] in self._filtered}
        self._auto = None
        if words:
            self._auto = ahocorasick.Automaton()
            for w, value in self.words.items():
                self._auto.add_word(w, value)
            self._auto.make_automaton()

    def literals(self) -> dict:
        """The words as a shared view's group (:mod:`suggester.textview`), keyed by this index."""
        return {self: self.words}

    def slot(self, rx: re.Pattern) -> int | None:
        """The number :meth:`Occurrences.slots_in` reports for ``rx`` (None: no filter)."""
        slot = self._slot_of.get(id(rx))
        if slot is not None:
            return slot
        slot = self._slot.get(rx)  # (an equal pattern compiled apart from the index's own)
        return slot if slot in self._filtered else None

    def scan(self, text: str, view: TextView | None = None) -> Occurrences | None:
        """Where the words occur in ``text`` (None: not ASCII, search without a filter); from
        ``view`` (the shared view of ``text``) when its literals hold this index's words."""
        if not text.isascii():
            return None
        found = _view_hits(view, text, self)
        if found is not None:
            hits = sorted(((i, i + n, slots) for i, (n, slots) in found), key=itemgetter(0))
        else:
            hits = [] if self._auto is None else \
                sorted(((end + 1 - n, end + 1, slots) for end, (n, slots) in self._auto.iter(text.lower())),
                       key=itemgetter(0))
        return Occurrences(self, hits)


def _view_hits(view: TextView | None, text: str, group: Hashable) -> list[tuple[int, Any]] | None:
    """``view.hits(group)`` when ``view`` is the shared view of ``text`` (else None: the caller
    searches ``text`` alone)."""
    return view.hits(group) if view is not None and view.of(text) else None


class Occurrences:
    """The required words found in one text (:meth:`LiteralIndex.scan`)."""

    def __init__(self, index: LiteralIndex, hits: list[tuple[int, int, tuple[int, ...]]]):
        self._index = index
        self._hits = hits
        self._starts = [h[0] for h in hits]
        self._spans: dict[tuple[int, int], set[int]] = {}

    def slots_in(self, start: int, end: int) -> set[int]:
        """The patterns with one of their words inside ``[start, end)`` (cached per span)."""
        key = (start, end)
        out = self._spans.get(key)
        if out is None:
            out = set()
            for a, b, slots in self._hits[bisect.bisect_left(self._starts, start):]:
                if a >= end:
                    break
                if b <= end:
                    out.update(slots)
            self._spans[key] = out
        return out

    def starts_in(self, start: int, end: int, slots: frozenset[int]) -> list[int]:
        """Where the words of the patterns ``slots`` that lie inside ``[start, end)`` start."""
        out = []
        for a, b, found in self._hits[bisect.bisect_left(self._starts, start):]:
            if a >= end:
                break
            if b <= end and not slots.isdisjoint(found):
                out.append(a)
        return out

    def within(self, rx: re.Pattern, start: int, end: int) -> bool:
        """Whether ``rx`` can match inside ``text[start:end]``: False only when none of its
        required words lies in that span; True for patterns without a filter."""
        slot = self._index.slot(rx)
        return slot is None or slot in self.slots_in(start, end)


# IGNORECASE matches these with ASCII letters, and "İ" lower-cases to two characters: a text
# holding one is searched without the folded copy
_FOLD_UNSAFE = re.compile("[\u0130\u0131\u017f\u212a]")
# ... each read as the ASCII letter a case-insensitive pattern matches it as (lower() keeps the
# dotless i and the long s apart, and makes the dotted capital I two characters)
_ASCII_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def fold_word(text: str) -> str:
    """``text.lower()`` as a case-insensitive pattern reads it: the matched text of an ASCII word
    ("SINGLE", "ſingle", "Sıngle") is that word, so it can be looked up in a table of words."""
    return text.translate(_ASCII_FOLD).lower()


def all_lower(text: str) -> bool:
    """A text with letters, all of them in lower case (a lower-cased export). ASCII text is
    read in place by ``str.islower`` (its cased characters are its letters), which stops at the
    first capital, instead of three copies of the whole text; other text by its case mappings
    (a capital without a lower-case form, or a lower-case letter without a capital, is read as
    the mappings say)."""
    if text.isascii():
        return text.islower()
    return text.lower() != text.upper() and text == text.lower()


def folded(text: str) -> str | None:
    """``text.lower()`` when a case-insensitive match of ASCII words in ``text`` is an exact
    match in it at the same offsets (always for ASCII text), else None."""
    if text.isascii() or not _FOLD_UNSAFE.search(text):
        return text.lower()
    return None


_REQUIRED: dict[int, tuple[re.Pattern, frozenset[str] | None]] = {}


def may_match(rx: re.Pattern, low: str | None, start: int = 0, end: int | None = None) -> bool:
    """Whether ``rx`` can match inside ``text[start:end]``, read from ``low`` (``folded(text)``):
    False only when none of the pattern's :func:`required_literals` occurs in that span (True
    for a pattern without them, or when ``low`` is None). A few ``str.find`` calls instead of
    a search that tries the pattern at every position of the span."""
    if low is None:
        return True
    words = required_of(rx)
    if words is None:
        return True
    stop = len(low) if end is None else end
    for w in words:  # (a loop, not any() over a generator: this runs several times a report)
        if low.find(w, start, stop) != -1:
            return True
    return False


def required_of(rx: re.Pattern) -> frozenset[str] | None:
    """:func:`required_literals` of a compiled pattern, read once per pattern (by identity)."""
    got = _by_id(_REQUIRED, rx)
    if got is not None:
        return got[1]
    return _remember(_REQUIRED, rx, required_literals(rx.pattern) if isinstance(rx.pattern, str) else None)


def spans_may_match(rx: re.Pattern, low: str | None, spans: Sequence[tuple[int, int]],
                    starts: Sequence[int]) -> list[int]:
    """The indices of the ``spans`` (ascending, disjoint ``(start, end)`` of the text; ``starts``:
    their starts) where :func:`may_match` says ``rx`` can match, ascending: each of the pattern's
    required words is searched once over ``low`` instead of once per span."""
    words = required_of(rx) if low is not None else None
    if low is None or words is None:
        return list(range(len(spans)))
    found: set[int] = set()
    for w in words:
        n = len(w)
        i = low.find(w)
        while i != -1:
            k = bisect.bisect_right(starts, i) - 1
            if k >= 0 and i + n <= spans[k][1]:
                found.add(k)
                i = low.find(w, spans[k][1])  # (the span is found: on to the next one)
            else:
                i = low.find(w, i + 1)
    return sorted(found)


def matches_at(rx: re.Pattern, text: str, starts: Iterable[int]) -> Iterator[re.Match]:
    """``rx.finditer(text)`` when every match starts at one of ``starts`` (ascending): the
    first match at or after the end of the last one, as ``finditer`` reads the text, without
    trying the positions where no match can start."""
    pos = 0
    for s in starts:
        if s < pos:
            continue
        m = rx.match(text, s)
        if m is not None:
            yield m
            pos = m.end()


_FILTERED: dict[int, tuple[Any, Any]] = {}  # id(pattern) -> (pattern, its and its twin's first_char_filtered)


def search_filtered(rx: re.Pattern, text: str, low: str | None, pos: int = 0, endpos: int | None = None):
    """:func:`search_lowered`, the same match, searched with the first-character lookahead of ``rx`` and
    of its case-sensitive twin (:func:`first_char_filtered`, made once per pattern): for patterns
    built at run time (a lexicon's phrases), which cannot be filtered where they are compiled."""
    got = _by_id(_FILTERED, rx)
    if got is None:
        twin = case_sensitive_twin(rx)
        got = (rx, _remember(_FILTERED, rx, (first_char_filtered(rx), None if twin is None else first_char_filtered(twin))))
    plain, twin = got[1]
    end = len(text) if endpos is None else endpos
    return plain.search(text, pos, end) if low is None or twin is None else twin.search(low, pos, end)


def search_lowered(rx: re.Pattern, text: str, low: str | None, pos: int = 0, endpos: int | None = None):
    """``rx.search(text, pos, endpos)``, run as its case-sensitive twin on ``low`` (the
    lower-cased copy of an ASCII ``text``, or None) when it has one: the same offsets (a match's
    text is then lower case: read it from ``text``)."""
    end = len(text) if endpos is None else endpos
    twin = case_sensitive_twin(rx) if low is not None else None
    return rx.search(text, pos, end) if twin is None else twin.search(low, pos, end)


_SCAN_WHOLE = 50_000  # characters


def find_matches(rx: re.Pattern, text: str,
                 starts: Callable[[str], Iterable[int]] | None = None, low: str | None = None) -> Iterator[re.Match]:
    """The matches of ``rx.finditer(text)``, found faster on ASCII text: a case-insensitive
    pattern runs without the flag on the lower-cased text (the same spans, without per-character
    case folding; a match's text and groups are then lower case: read them from ``text`` when the
    case matters), and only where a match can start: where one of its :func:`literal_prefixes`
    occurs, or at ``starts(low)`` (ascending positions that include every start of a match; for
    patterns whose matches start with something else than a literal word, such as a digit).
    ``low``: ``folded(text)`` when the caller holds it (a shared view's), not folded again."""
    twin = case_sensitive_twin(rx)
    if twin is None:
        return rx.finditer(text)
    if low is None:
        low = folded(text)
        if low is None:
            return rx.finditer(text)
    if starts is not None:
        # a very long text (a hostile input: hundreds of thousands of starts, each found in
        # Python) is searched in one pass in C instead: the same matches
        return matches_at(twin, low, starts(low)) if len(low) <= _SCAN_WHOLE else twin.finditer(low)
    auto = _prefix_automaton(rx)
    if auto is None:
        return twin.finditer(low)
    return matches_at(twin, low, sorted({end + 1 - n for end, n in auto.iter(low)}))


def find_matches_each(rxs: tuple[re.Pattern, ...], text: str, view: TextView | None = None) -> list[list[re.Match]]:
    """``[list(find_matches(rx, text)) for rx in rxs]``, with one Aho-Corasick pass over the
    lower-cased text for every pattern that has a case-sensitive twin and literal prefixes: a
    pass costs about as much as the text is long, whatever the number of words, so several
    patterns searched over one report share it (the same starts per pattern, the same matches).
    With ``view`` (the shared view of ``text``, whose literals hold :func:`each_literals` of
    ``rxs``) the words come from the view's pass."""
    found = _view_hits(view, text, _each_key(rxs))
    low = view.low if found is not None and view is not None and view.low is not None else folded(text)
    if low is None:
        return [list(rx.finditer(text)) for rx in rxs]
    auto, twins = _each_automaton(rxs)
    starts: list[set[int]] = [set() for _ in rxs]
    if found is not None:
        for i0, (_n, slots) in found:
            for i in slots:
                starts[i].add(i0)
    elif auto is not None:
        for end, (n, slots) in auto.iter(low):
            for i in slots:
                starts[i].add(end + 1 - n)
    return [list(matches_at(twin, low, sorted(starts[i]))) if twin is not None else list(find_matches(rx, text))
            for i, (rx, twin) in enumerate(zip(rxs, twins, strict=True))]


_EACH = "scan.each"
_EACH_WORDS: dict[tuple[re.Pattern, ...], dict[str, tuple[int, tuple[int, ...]]]] = {}


class _EachGroup:
    """The shared view's group key of one tuple of patterns (hashed by identity: a key holding
    the patterns would hash every pattern's compiled code on each lookup, see ``_by_id``)."""

    __slots__ = ("rxs",)

    def __init__(self, rxs: tuple[re.Pattern, ...]):
        self.rxs = rxs

    def __repr__(self) -> str:
        return f"{_EACH}({len(self.rxs)} patterns)"


_EACH_KEYS: dict[tuple[re.Pattern, ...], _EachGroup] = {}
_EACH_KEY_OF: dict[int, tuple[Any, Any]] = {}


def _each_key(rxs: tuple[re.Pattern, ...]) -> _EachGroup:
    """The one group key of the patterns ``rxs`` (equal tuples: the same key)."""
    got = _by_id(_EACH_KEY_OF, rxs)
    if got is not None:
        return got[1]
    return _remember(_EACH_KEY_OF, rxs, _EACH_KEYS.setdefault(rxs, _EachGroup(rxs)))


def each_literals(rxs: tuple[re.Pattern, ...]) -> dict:
    """:func:`find_matches_each`'s words for ``rxs`` as a shared view's group
    (:mod:`suggester.textview`)."""
    _each_automaton(rxs)
    return {_each_key(rxs): _EACH_WORDS[rxs]}


_EACH_AUTOS: dict[tuple[re.Pattern, ...], tuple[ahocorasick.Automaton | None, tuple[re.Pattern | None, ...]]] = {}
_EACH_AUTO_OF: dict[int, tuple[Any, Any]] = {}


def _each_automaton(rxs: tuple[re.Pattern, ...]) -> tuple[ahocorasick.Automaton | None, tuple[re.Pattern | None, ...]]:
    """(the automaton of the literal prefixes of ``rxs``: word -> (length, pattern slots), the
    twin of each pattern searched through it or None: that pattern runs through find_matches)."""
    got = _by_id(_EACH_AUTO_OF, rxs)
    if got is not None:
        return got[1]
    if rxs not in _EACH_AUTOS:
        words: dict[str, list[int]] = {}
        twins: list[re.Pattern | None] = []
        for i, rx in enumerate(rxs):
            twin = case_sensitive_twin(rx)
            prefixes = literal_prefixes(rx.pattern) if twin is not None else None
            twins.append(twin if prefixes else None)
            for w in prefixes or ():
                words.setdefault(w, []).append(i)
        _EACH_WORDS[rxs] = {w: (len(w), tuple(slots)) for w, slots in words.items()}
        auto = None
        if words:
            auto = ahocorasick.Automaton()
            for w, value in _EACH_WORDS[rxs].items():
                auto.add_word(w, value)
            auto.make_automaton()
        _EACH_AUTOS[rxs] = auto, tuple(twins)
    return _remember(_EACH_AUTO_OF, rxs, _EACH_AUTOS[rxs])


def count_matches(rx: re.Pattern, text: str) -> int:
    """``len(rx.findall(text))``, counted over :func:`find_matches`."""
    return sum(1 for _m in find_matches(rx, text))


def literal_prefixes(pattern: str) -> frozenset[str] | None:
    """Lower-case strings one of which every match of ``pattern`` starts with (each of
    :data:`MIN_LITERAL`+ characters), or None (``\\b(?:only|but)\\b`` -> {"only", "but"})."""
    try:
        got = _prefixes(list(_sre_parse.parse(pattern).data))
    except Exception:  # noqa: BLE001  (anything unreadable simply gets no prefixes)
        return None
    if got is None or not got[0] or min(map(len, got[0])) < MIN_LITERAL or not all(x.isascii() for x in got[0]):
        return None
    return frozenset(x.lower() for x in got[0])


def _prefixes(items: list) -> tuple[set[str], bool] | None:
    """(the literal prefixes of the sequence, whether they are its whole matches), or None."""
    acc, started = {""}, False
    for op, av in items:
        op = str(op)
        if op == "AT" and not started:
            continue  # "\b", "^" before the first character
        started = True
        if op == "LITERAL":
            acc = {a + chr(av) for a in acc}
            continue
        if op == "BRANCH":
            subs = [_prefixes(list(b)) for b in av[1]]
        elif op == "SUBPATTERN" and not (av[1] or av[2]):  # a group without inline flags
            subs = [_prefixes(list(av[-1]))]
        else:
            return acc, False
        if any(x is None for x in subs):
            return acc, False
        acc = {a + b for a in acc for x in subs if x is not None for b in x[0]}
        if len(acc) > _MAX_SET:
            return None
        if not all(x is not None and x[1] for x in subs):
            return acc, False
    return acc, True


_MAX_LEADS = 24  # characters a first-character lookahead admits (more: it would turn few positions down)


def first_char_filtered(rx: re.Pattern) -> re.Pattern:
    """``rx`` with a lookahead for the characters its matches can start with in front
    (``(?=[+pbh\\d])(?:...)``), else ``rx`` itself (a pattern that can match the empty string, or
    whose first characters cannot be read or are too many).

    The same matches, spans and groups: every match of ``rx`` starts with one of those characters,
    so the lookahead fails only where ``rx`` fails. A search of a pattern that opens with ``\\b`` and
    an alternation tries every alternative at every position of the text; the lookahead turns most
    positions down with one character test (a search for the first of a dozen pregnancy wordings
    over a report: a third of the time)."""
    if not isinstance(rx.pattern, str):
        return rx
    try:
        items = list(_sre_parse.parse(rx.pattern).data)
        leads, nullable = _firsts(items)
    except Exception:  # noqa: BLE001  (anything unreadable keeps its pattern)
        return rx
    # (a pattern opening with a literal, a class or an anchor is searched fast already: the engine
    # looks for its first character or tries its anchor's positions alone)
    # (and a case-sensitive alternation of characters, which the engine tests as fast; a pattern
    # opening with optional blanks is matched at a given place, not searched)
    opening = str(items[0][0]) if items else ""
    if opening == "AT" and str(items[0][1]) != "AT_BOUNDARY" or not rx.flags & re.IGNORECASE and _opens_with_characters(items) \
            or opening not in ("AT", "BRANCH", "SUBPATTERN", "MAX_REPEAT", "MIN_REPEAT"):
        return rx
    if not leads or nullable:
        return rx
    admitted = _admitted(leads)
    if len(admitted) > _MAX_LEADS or " " in admitted:
        return rx
    try:
        return re.compile(f"(?=[{''.join(sorted(leads))}])(?:{rx.pattern})", rx.flags)
    except re.error:  # (global inline flags, which must open the pattern)
        return rx


def _opens_with_characters(items: list) -> bool:
    """Whether the sequence opens with a character or a class of them, or an alternation whose
    every alternative does (through groups)."""
    if not items:
        return False
    op, av = items[0]
    op = str(op)
    if op in ("LITERAL", "IN"):
        return True
    if op == "BRANCH":
        return all(_opens_with_characters(list(b)) for b in av[1])
    if op == "SUBPATTERN" and not (av[1] or av[2]):
        return _opens_with_characters(list(av[-1]))
    return False


_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}


_ASCII = "".join(map(chr, range(128)))


def _admitted(leads: set[str]) -> set[str]:
    """The ASCII characters (letters folded to lower case) the class items admit."""
    return set().union(*map(_admitted_by, leads))


@cache
def _admitted_by(item: str) -> frozenset[str]:
    """The ASCII characters (letters folded to lower case) one class item admits (most items are
    one letter: read once each)."""
    return frozenset(re.findall(f"[{item}]", _ASCII.lower(), re.IGNORECASE))


def _firsts(items: list) -> tuple[set[str] | None, bool]:
    """(class items, as regular expression text, that the first character of a match of the
    sequence is one of, or None when unknown; whether the sequence can match the empty string)."""
    out: set[str] = set()
    for op, av in items:
        op = str(op)
        if op in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero width: the first character is the next item's
        if op == "LITERAL":
            return out | {re.escape(chr(av))}, False
        if op == "IN":
            for o, v in av:
                o = str(o)
                if o == "LITERAL":
                    out.add(re.escape(chr(v)))
                elif o == "RANGE":
                    out.add(f"{re.escape(chr(v[0]))}-{re.escape(chr(v[1]))}")
                elif o == "CATEGORY" and str(v) in _CATEGORIES:
                    out.add(_CATEGORIES[str(v)])
                else:
                    return None, False  # a negated class, another category
            return out, False
        if op == "CATEGORY" and str(av) in _CATEGORIES:
            return out | {_CATEGORIES[str(av)]}, False
        if op == "BRANCH":
            alts = [_firsts(list(b)) for b in av[1]]
            if any(f is None for f, _n in alts):
                return None, False
            out |= set().union(*(f for f, _n in alts if f is not None))
            if not any(n for _f, n in alts):
                return out, False
            continue
        if op == "SUBPATTERN":
            if av[1] or av[2]:
                return None, False  # inline flags
            sub, nullable = _firsts(list(av[-1]))
        elif op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            sub, nullable = _firsts(list(av[2]))
            nullable = nullable or av[0] == 0
        elif op == "ATOMIC_GROUP":
            sub, nullable = _firsts(list(av))
        else:
            return None, False  # any character, a group reference, ...
        if sub is None:
            return None, False
        out |= sub
        if not nullable:
            return out, False
    return out, True


_PREFIX_AUTOS: dict[int, tuple[re.Pattern, ahocorasick.Automaton | None]] = {}


def _prefix_automaton(rx: re.Pattern) -> ahocorasick.Automaton | None:
    got = _by_id(_PREFIX_AUTOS, rx)
    if got is not None:
        return got[1]
    words = literal_prefixes(rx.pattern)
    auto = None
    if words:
        auto = ahocorasick.Automaton()
        for w in words:
            auto.add_word(w, len(w))
        auto.make_automaton()
    return _remember(_PREFIX_AUTOS, rx, auto)


_TWINS: dict[int, tuple[re.Pattern, re.Pattern | None]] = {}


def case_sensitive_twin(rx: re.Pattern) -> re.Pattern | None:
    """``rx`` compiled without IGNORECASE when that is the same on lower-cased ASCII text (every
    letter the pattern names is lower case), else None."""
    got = _by_id(_TWINS, rx)
    if got is not None:
        return got[1]
    twin = None
    if rx.flags & re.IGNORECASE and isinstance(rx.pattern, str):
        try:
            if _lower_only(_sre_parse.parse(rx.pattern)):
                twin = re.compile(rx.pattern, rx.flags & ~re.IGNORECASE)
        except Exception:  # noqa: BLE001
            twin = None
    return _remember(_TWINS, rx, twin)


def _lower_only(items) -> bool:
    for op, av in items:
        op = str(op)
        if op in ("LITERAL", "NOT_LITERAL"):
            if chr(av) != chr(av).lower():
                return False
        elif op == "RANGE":
            lo, hi = av
            if hi - lo > 512 or any(chr(c) != chr(c).lower() for c in range(lo, hi + 1)):
                return False
        elif op in ("IN", "BRANCH", "SUBPATTERN", "MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT",
                    "ASSERT", "ASSERT_NOT", "ATOMIC_GROUP"):
            subs = av[1] if op == "BRANCH" else [av] if op == "IN" else [av[-1]] if op != "ATOMIC_GROUP" else [av]
            if op in ("ASSERT", "ASSERT_NOT"):
                subs = [av[1]]
            if op == "SUBPATTERN" and (av[1] or av[2]):
                return False  # inline flags: keep the original
            if not all(_lower_only(s) for s in subs):
                return False
        elif op in ("GROUPREF", "GROUPREF_EXISTS", "GROUPREF_IGNORE"):
            return False
    return True
