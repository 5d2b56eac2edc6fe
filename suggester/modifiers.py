"""Stage 7: modifiers from the billing context, the payer profile and the report text (CODING_RULES §1).

* Component: ``professional`` -> 26, ``technical`` -> TC, ``global`` -> none; only for codes
  whose fee-schedule indicator says they split (never on professional-only codes). Who bills
  decides, never the report text.
* Laterality: unilateral codes get RT/LT; a bilateral study of a unilateral code is one line
  with 50 (units 1) under a ``modifier_50`` payer, or two lines RT + LT under ``rt_lt``.
  Inherently bilateral, "either" and midline codes never get RT/LT/50.
* Text-triggered modifiers: 52 (reduced service), 76 / 77 (repeat by the same / another
  physician) and 59 or X{EPSU} (distinct service; the payer profile picks which) are added only
  when a phrase of ``lexicons/billing_phrases.tsv`` says so in a sentence that no guard phrase
  (recommendation, negation) cancels; each becomes a ``modifier_review`` flag.
* Order: pricing (26, TC, 50, 52) -> payment (59, X{EPSU}, 76, 77) -> location (RT, LT); at most
  4 per line (the lowest-priority ones are dropped and the reason says so).

Every modifier on a line, and every modifier a line does *not* get when one might expect it,
comes with a reason (``modifier_reasons`` in the output, shown by ``suggester explain``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .frames import sentence_bounds, site_parts
from .lexicon import Code, Payer, Phrase, Phrases, default_phrases
from .scan import Occurrences, search_filtered
from .textview import low_of

BILLING = ("professional", "technical", "global")
PRICING = ("26", "TC", "50", "52")
PAYMENT = ("59", "XE", "XS", "XP", "XU", "76", "77")
LOCATION = ("RT", "LT")
MAX_MODIFIERS = 4
MODIFIER_NAMES = {"52": "reduced service", "76": "repeat procedure by the same physician",
                  "77": "repeat procedure by another physician", "59": "distinct procedural service",
                  "XE": "separate encounter", "XS": "separate structure", "XP": "separate practitioner",
                  "XU": "unusual non-overlapping service"}
_SENTENCE_RX = re.compile(r"[^.;!?\n]+(?:[.;!?](?=\s|$))?|[.;!?]")


@dataclass(frozen=True)
class ModifiedLine:
    modifiers: tuple[str, ...]
    units: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class TextHit:
    """A modifier phrase found in the report."""

    value: str  # as in the phrase file ("52", "59/XS")
    note: str
    evidence: dict  # section, start, end, text
    rule: str  # file:line of the phrase



def phrases_of(payer: Payer | None) -> Phrases:
    return payer.phrases if payer is not None and payer.phrases is not None else default_phrases()


# --------------------------------------------------------------------------- text search


def _sentences(ex, sections: tuple[str, ...], near: dict[str, frozenset[int] | None] | None = None,
               occ: Occurrences | None = None):
    """(section name, start, end, sentence text) of the report sections named; with ``occ``, in
    a section whose ``near`` slots are known only the sentences that hold one of those words."""
    for sec in ex.sections:
        if sec.name not in sections:
            continue
        slots = near.get(sec.name) if near is not None and occ is not None else None
        starts = occ.starts_in(sec.start, sec.end, slots) if occ is not None and slots is not None else None
        if starts is None or any(ex.text[a] in _BREAKS for a in starts):
            body = ex.text[sec.start:sec.end]
            for m in _SENTENCE_RX.finditer(body):
                if m.group().strip():
                    yield sec.name, sec.start + m.start(), sec.start + m.end(), m.group()
            continue
        yield from _sentences_at(ex.text, sec.name, sec.start, sec.end, starts)


_BREAKS = ".;!?\n"
_BREAK_RX = re.compile(r"[.;!?\n]")  # (one of _BREAKS)


def _sentences_at(text: str, name: str, lo: int, hi: int, starts: list[int]):
    """The sentences (as ``_SENTENCE_RX`` splits ``text[lo:hi]``) that hold the positions
    ``starts`` (ascending, none of them at a break): a sentence runs from the character after
    the last break before it to the next break, which it keeps when a blank or the end follows."""
    end = -1
    for a in starts:
        if a < end:
            continue  # in the sentence just given
        start = max(lo, text.rfind(".", lo, a) + 1, text.rfind(";", lo, a) + 1, text.rfind("!", lo, a) + 1,
                    text.rfind("?", lo, a) + 1, text.rfind("\n", lo, a) + 1)
        brk = _BREAK_RX.search(text, a, hi)
        q = brk.start() if brk is not None else hi
        end = q + 1 if q < hi and text[q] != "\n" and (q + 1 == hi or text[q + 1].isspace()) else q
        yield name, start, end, text[start:end]


def _guarded(guards: tuple[Phrase, ...], section: str, sentence: str,
             occ: Occurrences | None = None, start: int = 0, low: str | None = None) -> bool:
    """Whether a guard phrase cancels the sentence (``low``: the sentence lower-cased when
    ASCII, for :func:`suggester.scan.search_lowered`)."""
    end = start + len(sentence)
    return any(section in g.sections and (occ is None or occ.within(g.pattern, start, end))
               and search_filtered(g.pattern, sentence, low) for g in guards)


def literals(tables) -> dict:
    """The words of the phrase tables as a shared view's groups (:mod:`suggester.textview`)."""
    return {k: v for t in tables for k, v in t.index.literals().items()}


def _lowered(ex) -> str | None:
    """The report lower-cased when it is ASCII (once per report: the shared view's), else None."""
    d = ex.__dict__
    if "_lowered" not in d:
        view = d.get("view")
        d["_lowered"] = None if not ex.text.isascii() else \
            low_of(ex.text, view) or ex.text.lower()
    return d["_lowered"]


def _occurrences(ex, phrases: Phrases) -> Occurrences | None:
    """The phrase words found in the report (one scan per report and phrase table, or the
    shared view's pass when its literals hold the table's words)."""
    cache = ex.__dict__.setdefault("_phrase_words", {})
    if id(phrases) not in cache:
        cache[id(phrases)] = phrases.index.scan(ex.text, ex.__dict__.get("view"))
    return cache[id(phrases)]


@lru_cache(maxsize=64)
def _combined(wanted: tuple[Phrase, ...]) -> re.Pattern | None:
    """One alternation of the unanchored phrases (a prefilter; None when there are none)."""
    plain = [p.pattern.pattern for p in wanted if not p.anchored]
    return re.compile("|".join(f"(?:{x})" for x in plain), re.IGNORECASE) if plain else None


def find_phrases(ex, phrases: Phrases, kind: str, value: str | None = None) -> list[TextHit]:
    """Matches of the ``kind`` phrases in the report, skipping guarded sentences."""
    cache = ex.__dict__.setdefault("_phrase_hits", {})
    key = (id(phrases), kind, value)
    if key not in cache:
        cache[key] = _find_phrases(ex, phrases, kind, value)
    return cache[key]


def _plan(phrases: Phrases, kind: str, value: str | None):
    """(wanted, guards, {section name: ((phrase, literal slot or None), ...)}) of a search."""
    memo = phrases.__dict__.setdefault("_plans", {})
    if (kind, value) not in memo:
        wanted = phrases.of(kind, value)
        guards = phrases.of("guard", "modifier" if kind == "modifier" else "document")
        secs = tuple(dict.fromkeys(s for p in wanted for s in p.sections))
        by_name = {name: tuple((p, phrases.index.slot(p.pattern)) for p in wanted if name in p.sections)
                   for name in secs}
        memo[kind, value] = wanted, guards, by_name
    return memo[kind, value]


def _find_phrases(ex, phrases: Phrases, kind: str, value: str | None) -> list[TextHit]:
    wanted, guards, by_name = _plan(phrases, kind, value)
    if not wanted:
        return []
    # a phrase that matches nowhere in a section cannot match in one of its sentences: one
    # combined search per section first, so that most reports never reach the per-sentence loop;
    # with the words each pattern needs (suggester.scan), only the spans that hold one are searched
    occ = _occurrences(ex, phrases)
    low = _lowered(ex)
    anyof = _combined(wanted) if occ is None else None
    live: dict[str, list[Phrase]] = {}
    seen: dict[str, set[int]] = {}  # ids of the phrases in live[name]
    for sec in ex.sections:
        cands = by_name.get(sec.name)
        if cands is None:
            continue
        have = live.setdefault(sec.name, [])
        if occ is not None:
            slots = occ.slots_in(sec.start, sec.end)
            ids = seen.setdefault(sec.name, set())
            new = [p for p, slot in cands if (slot is None or slot in slots) and id(p) not in ids
                   and (p.anchored or search_filtered(p.pattern, ex.text, low, sec.start, sec.end))]
            have += new
            ids.update(map(id, new))
            continue
        some = anyof is not None and anyof.search(ex.text, sec.start, sec.end) is not None
        have += [p for p, _slot in cands if p not in have and
                 (p.anchored or some and p.pattern.search(ex.text, sec.start, sec.end))]
    secs = tuple(name for name, ps in live.items() if ps)
    hits: list[TextHit] = []
    if not secs:
        return hits
    # only the sentences that hold a word of a live phrase can match (every phrase has words)
    slot_of = {id(p): slot for cands in by_name.values() for p, slot in cands}
    near = {name: None if any(slot_of[id(p)] is None for p in live[name])
             else frozenset(slot_of[id(p)] for p in live[name]) for name in secs}
    for name, start, end, sent in _sentences(ex, secs, near, occ):
        cands = live[name]
        if occ is not None:
            cands = [p for p in cands if occ.within(p.pattern, start, end)]
        low_sent = low[start:end] if low is not None else None
        if not cands or _guarded(guards, name, sent, occ, start, low_sent):
            continue
        found: set[str] = set()
        for p in cands:
            if p.value in found:
                continue
            m = search_filtered(p.pattern, sent, low_sent)
            if m:
                found.add(p.value)  # one hit per value and sentence: the first phrase that matches
                ev = {"section": name, "start": start + m.start(), "end": start + m.end(),
                      "text": sent[m.start():m.end()]}
                hits.append(TextHit(p.value, p.note, ev, p.source))
    return hits


def documented(ex, payer: Payer | None, what: str) -> list[dict]:
    """Evidence that the report documents ``what`` (a ``document`` value of the phrase table)."""
    return [h.evidence for h in find_phrases(ex, phrases_of(payer), "document", what)]


def text_modifier_hits(ex, payer: Payer) -> list[TextHit]:
    hits = find_phrases(ex, phrases_of(payer), "modifier")
    if any(h.value == "77" for h in hits):
        hits = [h for h in hits if h.value != "76"]  # another physician's repeat is 77, not 76
    return hits


def payer_modifier(value: str, payer: Payer) -> str:
    """``59/XS`` -> ``59`` or ``XS`` by the payer's distinct-service policy; others unchanged."""
    if "/" not in value:
        return value
    plain, x = value.split("/", 1)
    return x if payer is not None and payer.distinct_service == "X" else plain


def _frame_sites(f) -> set[str]:
    return {f.site, f.region, *site_parts(f.site)} - {None}


def plan_text_modifiers(ex, lines, payer: Payer) -> dict[int, list[tuple[str, str, TextHit]]]:
    """Text-triggered modifiers per code line: ``{id(line): [(modifier, reason, hit)]}``.

    A phrase applies to the lines of the exams its sentence names; when it names none, 52/76/77
    apply to every primary line and 59/X to every primary line but the first (the distinct
    service is the second one) or to the only line. Add-on lines get none. 52 is not added to a
    code that is already the limited code of its family.
    """
    hits = text_modifier_hits(ex, payer)
    primary = [ln for ln in lines if ln.origin != "addon"]
    plan: dict[int, list[tuple[str, str, TextHit]]] = {}
    if not hits or not primary:
        return plan
    for h in hits:
        mod = payer_modifier(h.value, payer)
        s_start, s_end = sentence_bounds(ex.text, h.evidence["start"])
        named = {m.value for m in ex.mentions if m.key == "site" and s_start <= m.start < s_end}
        targets = [ln for ln in primary if ln.frame is not None and _frame_sites(ln.frame) & named]
        if not targets:
            if mod in ("52", "76", "77") or len(primary) == 1:
                targets = primary
            else:
                targets = primary[1:]
        why = f"text says {h.evidence['text']!r} ({h.note}) at {h.evidence['section']} " \
              f"{h.evidence['start']}-{h.evidence['end']}"
        if mod != h.value:
            why += f"; {payer.name} reports distinct service as {mod}"
        for ln in targets:
            if _stated_reduced(h, mod):
                # the report names the service reduced in so many words: that outweighs a "no 52" inferred
                # from another phrase (a study stopped before its contrast series)
                plan[id(ln)] = [e for e in plan.get(id(ln), []) if e[0] or e[2].value != "52"]
            if any(m == mod or (not m and mod == "52") for m, _w, _h in plan.get(id(ln), [])):
                continue  # one reason per modifier and line: the first phrase found
            if mod == "52" and (reduced := _already_reduced(ln)):
                plan.setdefault(id(ln), []).append(
                    ("", f"no 52: {ln.code.code} is already {reduced} ({why})", h))
                continue
            # (the sentence, with the clauses a semicolon joins to it: "asked to stop before the gadolinium
            # injection; the examination was terminated")
            c_start, c_end = _sentence_with_clauses(ex.text, s_start, s_end)
            if mod == "52" and not _stated_reduced(h, mod) and (_stopped_before_contrast(ln, ex.mentions) and any(
                    (m.key == "contrast" and m.value in ("with", "without", "without_then_with")
                     or (m.key, m.value) in (("modality", "CTA"), ("qual", "angio"))) and c_start <= m.start < c_end
                    for m in ex.mentions) or _plain_series_not_done(ln, ex.mentions, s_start, s_end)):
                plan.setdefault(id(ln), []).append(
                    ("", f"no 52: {ln.code.code} is the plain study performed, the contrast series "
                         f"stopped is not billed ({why})", h))
                continue
            plan.setdefault(id(ln), []).append((mod, f"{mod} ({MODIFIER_NAMES[mod]}): {why}; review", h))
    return plan


_REDUCED_STATED = re.compile(r"\breduced\s+service", re.I)


def _stated_reduced(h: TextHit, mod: str) -> bool:
    """Whether a 52 phrase is the report saying "reduced service" itself (CODING_RULES §1: the text says
    so), not a stop or a limit the coder reads as one."""
    return mod == "52" and bool(_REDUCED_STATED.search(h.evidence["text"]))


def _sentence_with_clauses(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence bounds widened over the clause a semicolon joins to it on either side (one clause each
    way, within 300 characters: a run of semicolons costs no rescans)."""
    if start > 0 and text[start - 1] == ";":
        lo = max(0, start - 300)
        start = max(text.rfind(c, lo, start - 1) for c in ".!?\n;") + 1 or lo
    if end < len(text) and text[end] == ";":
        hi = min(len(text), end + 300)
        ends = [i for i in (text.find(c, end + 1, hi) for c in ".!?\n;") if i != -1]
        end = min(ends) if ends else hi
    return start, end


def _stopped_before_contrast(ln, mentions=()) -> bool:
    """A study stopped before its contrast series and coded as the plain study performed (title
    "without and with", technique without: CODING_RULES §6): when the sentence that says it was
    stopped is about the contrast series ("post-contrast sequences were not obtained, the exam was
    terminated"), that code is the whole service done; a plain series itself cut short keeps 52. A CT
    angiogram abandoned after its plain series ("CORONARY CTA - STUDY ABANDONED AFTER CALCIUM SCORE") is
    coded as the plain CT performed in the same way, and so is a study whose order line asked for the
    contrast ("ORDER: MRI BRAIN W WO CONTRAST" over "PERFORMED: MRI BRAIN")."""
    return ln.frame is not None and ln.frame.contrast == "without" and (any(
        c.attribute == "contrast" and c.title_value in ("with", "without_then_with")
        or c.attribute == "modality" and c.title_value == "CTA" for c in ln.frame.conflicts) or any(
        m.section == "ordered" and m.key == "contrast" and m.value in ("with", "without_then_with") for m in mentions))


def _plain_series_not_done(ln, mentions, s_start: int, s_end: int) -> bool:
    """A contrast-only study coded as such (70552, not 70553) whose stopping sentence is about the
    precontrast series ("Precontrast T1 images were not obtained because the patient could not
    tolerate the full exam"): the code is the whole service done, no 52."""
    return ln.frame is not None and ln.frame.contrast == "with" and any(
        m.key == "contrast" and m.value == "without" and m.status == "negated" and s_start <= m.start < s_end
        for m in mentions)


def _already_reduced(ln) -> str | None:
    """Why a reduced study's code needs no 52, the reduction being its code: the limited code of its family,
    or a radiograph's code counted from the views performed when fewer were done than the title names ("XR C
    SPINE 2-3V" with a lateral view only: 72020 is the service done; 52 on it would reduce it twice)."""
    if _is_limited_code(ln.code):
        return "the limited code"
    if ln.code.views is None or ln.frame is None:
        return None
    for c in ln.frame.conflicts:
        if c.attribute == "views" and str(c.title_value).isdigit() and str(c.performed_value).isdigit() \
                and int(c.performed_value) < int(c.title_value) and ln.code.views[1] >= int(c.performed_value):
            return f"the code of the {c.performed_value} view(s) performed, fewer than the title's {c.title_value}"
    return None


def _is_limited_code(code: Code) -> bool:
    return (code.qualifier or "") in ("limited", "limited_followup") or "limited" in code.label.lower()


# --------------------------------------------------------------------------- claim lines


def component_modifier(code: Code, billing: str) -> tuple[str | None, str]:
    if billing not in BILLING:
        raise ValueError(f"billing must be one of {BILLING}, got {billing!r}")
    if billing == "global":
        return None, "no 26/TC: global billing (one entity owns the equipment and reads the study)"
    if code.components != "split":
        return None, f"no 26/TC: {code.code} has no professional/technical split ({code.components})"
    mod = "26" if billing == "professional" else "TC"
    what = "professional component" if mod == "26" else "technical component"
    return mod, f"{mod}: {billing} billing -> {what} (the billing context decides, not the report)"


_RANKS = {m: (i, group.index(m)) for i, group in enumerate((PRICING, PAYMENT, LOCATION)) for m in group}


def _rank(m: str) -> tuple[int, int]:
    """(group, place in it) of a modifier: pricing, payment, location, then any other."""
    return _RANKS.get(m, (3, 0))


def order_modifiers(mods: list[str]) -> tuple[str, ...]:
    """Pricing -> payment -> location, duplicates removed, at most 4."""
    uniq = list(dict.fromkeys(m for m in mods if m))
    return tuple(sorted(uniq, key=_rank)[:MAX_MODIFIERS])


def _line(mods: list[str], units: int, reasons: list[str]) -> ModifiedLine:
    uniq = sorted(dict.fromkeys(m for m in mods if m), key=_rank)
    kept = order_modifiers(uniq)
    dropped = [m for m in uniq if m not in kept]
    if dropped:
        reasons = reasons + [f"more than {MAX_MODIFIERS} modifiers: dropped {', '.join(dropped)} "
                             f"(lowest priority); report them on a separate line or per payer policy"]
    return ModifiedLine(kept, units, tuple(reasons))


def lines_for(code: Code, side: str | None, billing: str, payer: Payer,
              extra: tuple[tuple[str, str], ...] = (), units: int = 1) -> list[ModifiedLine]:
    """The claim line(s) for one code: one line, or two for RT + LT under an rt_lt payer.

    ``extra`` holds (modifier, reason) pairs decided elsewhere (text-triggered 52/59/76/77); an
    empty modifier only adds its reason.
    """
    comp, why = component_modifier(code, billing)
    base = [comp] if comp else []
    reasons = [why]
    for mod, r in extra:
        if mod:
            base.append(mod)
        reasons.append(r)
    if code.side in ("bilateral", "either"):
        reasons.append(f"no RT/LT/50: {code.code} is inherently "
                       f"{'bilateral' if code.side == 'bilateral' else 'unilateral-or-bilateral'}")
        return [_line(base, units, reasons)]
    if not code.unilateral:
        if side in ("left", "right", "bilateral"):
            reasons.append(f"no RT/LT/50: {code.code} is a midline / unsided code")
        return [_line(base, units, reasons)]
    if side in (None, "unilateral"):
        reasons.append(f"no RT/LT: {code.code} is a unilateral code and no side is documented")
        return [_line(base, units, reasons)]
    if side in ("left", "right"):
        mod = "RT" if side == "right" else "LT"
        return [_line(base + [mod], units, reasons + [f"{mod}: {side} side documented for a unilateral code"])]
    if payer.bilateral == "modifier_50":
        return [_line(base + ["50"], 1, reasons + [
            f"50: bilateral study of a unilateral code; payer {payer.name} reports one line with 50, units 1"])]
    return [
        _line(base + ["RT"], units, reasons + [
            f"RT: bilateral study of a unilateral code; payer {payer.name} reports two lines (RT + LT)"]),
        _line(base + ["LT"], units, reasons + [
            f"LT: bilateral study of a unilateral code; payer {payer.name} reports two lines (RT + LT)"]),
    ]
