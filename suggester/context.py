"""Stage 3: context. Marks attribute mentions that are negated or historical.

A NegEx-style component over the cues in ``lexicons/context.tsv``: a forward cue ("no",
"without the use of", "prior", "compared with") affects mentions after it in the same clause; a
backward cue ("was not administered", "withheld", "dated") affects mentions before it, an adjacent
cue ("allergy" in "contrast allergy") only the mention right before it. Clauses
end at sentence punctuation, semicolons, line breaks and "but"/"however".

The result is ``doc.user_data["context"]``: a dict span start token -> "negated" | "historical".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .attributes import SPANS_KEY, _lexicon_for

WINDOW = 8
_BREAK = frozenset({".", ";", "!", "?", "+", "but", "however", "although", "except"})
# a verb that states the mention was done (or, for a drug, given): a negation cue after it belongs to a
# clause of its own ("a lateral view was obtained at the same visit and was not available at the first
# reading"), and a forward cue before a comma negates the clause before it ("as the gallbladder had not
# filled, morphine was administered")
_DONE = frozenset({"obtained", "performed", "acquired", "taken", "done", "administered", "injected", "infused"})
# a preposition that attaches what came with the mention: a cue after it is about that ("axial images of
# the left knee with coronal reformats and 3D not done": the knee was imaged)
_WITH = frozenset({"with", "w/", "w"})
# a word of quality after a backward negation: the cue says how well something went, not that the mention was
# not done ("contrast bolus timing was not optimized", "opacification was not optimal", "perfusion was not clearly
# normal": a finding's word)
_QUALITY = frozenset({"optimized", "optimised", "optimal", "ideal", "achieved", "clearly", "entirely", "normal"})
# a preposition that places a negated finding in the mention after it: the cue is about the finding ("no
# active enhancement within the ablation zone", "no fluid around the drainage catheter"), not the mention
_LOCATION = frozenset({"within", "inside", "around", "surrounding", "beyond", "along"})


_BREAK_BY_ORTH: dict[int, bool] = {}  # per word: whether it ends a clause (bounded below)


def _is_break(doc: Doc, i: int, orth: int) -> bool:
    out = _BREAK_BY_ORTH.get(orth)
    if out is None:
        t = doc[i]
        out = t.lower_ in _BREAK or "\n" in t.text
        if len(_BREAK_BY_ORTH) < 50_000:
            _BREAK_BY_ORTH[orth] = out
    return out


def _opens_aside(doc: Doc, lo: int, hi: int) -> bool:
    """Whether a parenthesis opens between a mention and a cue after it, is still open at the cue
    and names something of its own before the cue: the cue is about the aside ("transvaginal
    sonography (transabdominal images not obtained)"), not the mention before it. An aside that is
    the cue alone is about the mention ("CT CERVICAL SPINE WO (NOT PERFORMED)")."""
    opened: list[int] = []
    for i in range(lo, hi):
        t = doc[i].text
        for ch in t:
            if ch == "(":
                opened.append(i)
            elif ch == ")" and opened:
                opened.pop()
    return bool(opened) and any(doc[i].is_alpha for i in range(opened[-1] + 1, hi))


def _done_after_comma(doc: Doc, lo: int, hi: int, end: int, breaks: list[int]) -> bool:
    """Whether a comma stands between a forward negation cue and a mention whose own clause then says
    it was done ("unable to stand, single AP view only obtained") or that it alone was done ("patient
    declined IV, noncontrast only"): the cue negated the clause before the comma, not the mention ("no
    effusion, consolidation or pneumothorax" has no such verb)."""
    if not any(doc[i].text == "," for i in range(lo, hi)):
        return False
    if end < len(doc) and doc[end].lower_ == "only":
        return True
    stop = next((b for b in breaks if b >= end), len(doc))
    return any(doc[i].lower_ in _DONE for i in range(end, min(stop, end + WINDOW)))


def _done_in_next_clause(doc: Doc, lo: int, hi: int) -> bool:
    """Whether a comma between a forward history cue and a mention opens a clause that says what was
    done to the mention ("given the prior contrast reaction, the study was performed without contrast"):
    the cue was about the clause before the comma."""
    comma = next((i for i in range(lo, hi) if doc[i].text == ","), None)
    return comma is not None and any(doc[i].lower_ in _DONE for i in range(comma + 1, hi))


_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})


def _turn_at_dash(doc: Doc, lo: int, hi: int, end: int, forward: bool, starts: Collection[int]) -> bool:
    """Whether a dash between a cue and a mention turns a title's clause ("DXA - QCT NOT AVAILABLE - STANDARD DXA
    DONE"): a forward cue before it, the mention after it said done; or a backward cue after it, another mention
    between them (the cue is about that one)."""
    # (a dash set apart by blanks, not a hyphen inside a word: "time-of-flight", "intra-articular")
    dash = next((i for i in range(lo, hi) if doc[i].text in _DASHES and doc[i].whitespace_ and i > 0
                 and doc[i - 1].whitespace_), None)
    if dash is None:
        return False
    if forward:
        return any(doc[i].lower_ in _DONE for i in range(end, min(len(doc), end + 3)))
    return any(dash < i < hi for i in starts)


def _turned_clause(doc: Doc, lo: int, hi: int, span: tuple[int, int], cue: tuple[str, str],
                   labels: Mapping[int, set[str]]) -> bool:
    """Whether a cue's reach to a mention crosses a clause's turn: a title's dash (:func:`_turn_at_dash`), or, in a
    dictation without punctuation, a clause said done alone after a forward negation ("could not fill her bladder
    trans vaginal ultrasound only")."""
    kind, direction = cue
    forward = direction == "forward"
    _mention, end = span
    if _turn_at_dash(doc, lo, hi, end, forward, labels.keys()):
        return True
    if forward:
        # the mention said done alone, a clause after the negated one ("could not fill her bladder trans vaginal
        # ultrasound only")
        after = [doc[i].lower_ for i in range(end, min(len(doc), end + 2))]
        return kind == "negation" and hi - lo >= 3 and "only" in after
    return False


_ONLY_REACH = 3  # words between "only" and the mention it restricts ("only a single upright ...")


def _only_before(doc: Doc, start: int, cue: int, breaks: list[int]) -> bool:
    """Whether "only" restricts the mention, right before it or between it and a backward cue of a
    possibility ("only a single AP view could be obtained", "the AP view only could be obtained"): the
    mention was done, the others were not; not a study proposed ("a lateral view could be obtained")."""
    lo = max(0, start - _ONLY_REACH - 1)
    if any(lo <= b < cue for b in breaks):
        lo = max(b for b in breaks if b < cue) + 1
        if lo > start:
            return False
    return any(doc[i].lower_ == "only" for i in range(lo, cue))


def _inside(spans, s: int, e: int) -> bool:
    return any(a <= s and e <= b and (b - a) > (e - s) for a, b, _label, _kb in spans)


class ContextMarker:
    def __init__(self, nlp: Language, name: str, lexicon_path: str | None = None):
        lex = _lexicon_for(lexicon_path)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.kinds: dict[int, tuple[str, str]] = {}
        for cue in lex.context:
            key = f"{cue.cue}|{cue.direction}"
            self.kinds[nlp.vocab.strings.add(key)] = (cue.kind, cue.direction)
            self.matcher.add(key, [nlp.make_doc(cue.cue)])

    def _cues(self, doc: Doc, spans) -> list[tuple[tuple[str, str], int, int]]:
        """The cues of ``doc`` as ((kind, direction), start, end): a cue inside a longer mention
        ("WITHOUT CONTRAST") is part of that mention, not a cue; a mention that is only the cue word
        ("without IV or oral contrast") still is one."""
        found = self.matcher(doc)
        if not found:
            return []
        longest: dict[int, int] = {}  # token index -> length of the longest mention over it
        for a, b, _label, _kb in spans:
            for i in range(a, b):
                longest[i] = max(longest.get(i, 0), b - a)
        return [(self.kinds[m], s, e) for m, s, e in found if longest.get(s, 0) <= e - s or not _inside(spans, s, e)]

    def __call__(self, doc: Doc) -> Doc:
        spans = doc.user_data.get(SPANS_KEY, ())  # (start, end, label, kb_id) (attributes.py)
        if not spans:
            doc.user_data["context"], doc.user_data["context_forward"] = {}, {}
            return doc
        cues = self._cues(doc, spans)
        marks: dict[int, str] = {}
        forward: dict[int, bool] = {}
        if cues:
            whole = {(a, b) for a, b, _label, _kb in spans}  # a cue that is a mention of its own ("WITHOUT")
            labels: dict[int, set[str]] = {}  # the labels of the spans at each start
            for a, _b, label, _kb in spans:
                labels.setdefault(a, set()).add(label)
            breaks = [i for i, orth in enumerate(doc.to_array(ORTH).tolist()) if _is_break(doc, i, orth)]
            for start, end, _label, _kb in spans:
                for (kind, direction), s, e in cues:
                    if s < end and e > start:
                        continue  # the cue is the mention itself
                    if direction == "forward" and e <= start and start - e <= WINDOW:
                        lo, hi = e, start
                    elif direction == "backward" and s >= end and s - end <= WINDOW:
                        lo, hi = end, s
                    elif direction == "adjacent" and s == end:
                        lo, hi = end, s  # "a documented contrast allergy": the cue is the noun the mention names
                    else:
                        continue
                    if any(lo <= b < hi for b in breaks) or direction != "adjacent" \
                            and _turned_clause(doc, lo, hi, (start, end), (kind, direction), labels):
                        continue
                    if direction == "forward" and kind == "negation" and _done_after_comma(doc, lo, hi, end, breaks):
                        continue  # "patient unable to stand, single AP view only obtained"
                    if direction == "forward" and kind == "history" and _done_in_next_clause(doc, lo, hi):
                        continue  # "given the prior contrast reaction, the study was performed without contrast"
                    if direction == "forward" and kind == "negation" and (s, e) in whole \
                            and any(doc[i].text == "," for i in range(lo, hi)):
                        continue  # "CT HEAD WITHOUT, CHEST WITH": the contrast word of the exam before the comma
                    if direction == "forward" and any(doc[i].text == ")" or kind == "negation" and i > lo
                                                      and doc[i].lower_ in _LOCATION for i in range(lo, hi)):
                        # "(no unenhanced phase) after 100 mL Omnipaque": a parenthesis ends its cue's reach;
                        # "no enhancement within the ablation zone": the cue negates the finding placed in it
                        continue
                    if direction == "backward" and any(doc[i].text == "," for i in range(lo, hi)):
                        continue  # "the perfusion images were normal, the ventilation was not performed"
                    if direction == "backward" and kind == "negation" and any(doc[i].lower_ in _DONE for i in range(lo, hi)):
                        continue  # "the lateral view was obtained and was not available to the first reader"
                    if direction == "backward" and kind == "negation" and e < len(doc) and doc[e].lower_ in _QUALITY:
                        continue  # "contrast bolus timing was not optimized": the contrast was given
                    if direction == "backward" and kind == "history" and _only_before(doc, start, s, breaks):
                        continue  # "only a single AP view could be obtained": that view was taken, no other
                    if direction == "backward" and _opens_aside(doc, lo, hi):
                        continue  # "transvaginal sonography (transabdominal images not obtained)"
                    if direction == "backward" and kind == "negation" and any(doc[i].lower_ in _WITH
                                                                              for i in range(lo, hi)):
                        continue  # "axial L knee w/ cor/sag and 3D not done": what came with it was not done
                    if marks.get(start) != "negated":
                        marks[start] = "negated" if kind == "negation" else "historical"
                        if kind == "negation":
                            forward[start] = direction == "forward"
        doc.user_data["context"] = marks
        doc.user_data["context_forward"] = forward
        return doc


@Language.factory("suggester_context", default_config={"lexicon_path": None})
def make_context(nlp: Language, name: str, lexicon_path: str | None):
    return ContextMarker(nlp, name, lexicon_path)
