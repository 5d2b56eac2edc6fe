"""Stage 5: map exam frames to candidate codes from the code table, then apply the rules.

Candidates of a frame are the codes of its (modality, region). Each gets a penalty from the
attributes it disagrees with (qualifier, contrast, views, side); the lowest penalty wins and
ties break on the code number, so ranking is deterministic. Report-level rules from
``lexicons/rules.jsonl`` then add add-on codes, replace pairs (77080 + 77086 -> 77085) and drop
bundled codes.
"""

from __future__ import annotations

from collections.abc import Callable

from .lexicon import Lexicon, Payer
from .model import Candidate, Frame, HybridInfo, Line

CONTRAST_CODED = ("without", "with", "without_then_with")


def _qualifier_satisfied(lex: Lexicon, q: str, quals: set[str]) -> int:
    """Specificity (atoms matched) of the best satisfied alternative, 0 if none."""
    rule = lex.qualifiers[q]
    best = 0
    for alt in rule.alternatives:
        if alt <= quals:
            best = max(best, len(alt))
    return best


def rank(frame: Frame, lex: Lexicon, payer: Payer | None = None) -> list[Candidate]:
    codes = lex.codes_for(frame.modality, frame.region) if frame.region else ()
    if payer is not None:
        # add-ons whose rules' payer condition this payer fails (diagnostic tomosynthesis: the
        # HCPCS add-on for Medicare and followers, the CPT codes for CPT payers)
        unused = lex.not_billed_to(payer)
        codes = tuple(c for c in codes if c.code not in unused)
    quals = frame.quals
    if "addon_requested" in quals:
        quals = quals | {"twins"}  # a line that names only the add-on ("US OB ADD'L GESTATION")
    else:
        secondary = lex.secondary_codes
        codes = tuple(c for c in codes if c.code not in secondary)
    if not codes:
        return []
    sibling_hit = any(c.qualifier and _qualifier_satisfied(lex, c.qualifier, quals) for c in codes)
    has_unqualified = any(c.qualifier is None for c in codes)
    out = []
    lows = sorted({c.views[0] for c in codes if c.views})
    xr_sided = frame.modality == "XR" and {c.side for c in codes} >= {"unilateral", "bilateral"}
    # a stated view count in a band that only a qualified code starts at ("LUMBAR SPINE MIN 6
    # VIEWS": 72114, the complete series with bending views, is the only code from 6 views)
    plain = [c.views[0] for c in codes if not c.qualifier and c.views and frame.views is not None
             and c.views[0] <= frame.views <= c.views[1]]
    for c in codes:
        pen, why = 0.0, []
        spec = 0
        if c.qualifier:
            spec = _qualifier_satisfied(lex, c.qualifier, quals)
            if (not spec and plain and c.views and frame.views is not None
                    and max(plain) < c.views[0] <= frame.views <= c.views[1]):
                spec = 1
            if spec:
                pen -= 0.1 * spec + (0.05 if c.qualifier in quals else 0.0)
            elif lex.qualifiers[c.qualifier].default and not sibling_hit and not has_unqualified:
                pen += 0.2
                why.append(f"default {c.qualifier}")
            elif sibling_hit or has_unqualified:
                pen += 4
                why.append(f"{c.qualifier} not documented")
            else:
                pen += 1  # the region has only qualified codes and none is documented
                why.append(f"{c.qualifier} assumed")
        elif sibling_hit:
            pen += 3
            why.append("a more specific code applies")
        if c.contrast in CONTRAST_CODED:
            want = frame.contrast or "without"
            if c.contrast != want:
                # a contrast study with no "with" code is billed without-then-with (breast MRI, §2)
                pen += 1 if {c.contrast, want} == {"with", "without_then_with"} else 2
                why.append(f"contrast {c.contrast} vs {want}")
        if c.views:
            lo, hi = c.views
            if frame.views is not None:
                if not lo <= frame.views <= hi and spec and "only" in quals:
                    # the views a qualified study is made of alone ("BENDING VIEWS ONLY, MINIMUM OF
                    # FOUR VIEWS"): its one code at any count, no sibling code is those views only
                    pen += 0.5
                    why.append(f"views {lo}-{hi} vs {frame.views}")
                elif not lo <= frame.views <= hi:
                    # documented views are a hard fact (CODING_RULES §4)
                    pen += 4 + min(abs(frame.views - lo), abs(frame.views - hi)) * 0.1
                    why.append(f"views {lo}-{hi} vs {frame.views}")
            elif "bending" in quals:
                # a series with flexion/extension views (no count): the complete series, the most views
                pen += 0.01 * (len(lows) - 1 - lows.index(lo))
            elif "complete" in quals or "routine_series" in quals:
                # a complete (or "routine") series of no stated count: the site's routine complete
                # series (hip 3 views, thoracic spine 3), else the code called complete or the band holding 4
                n = complete_views(frame, lex)
                if not (lo <= n <= hi if n else "complete" in c.label.lower() or lo <= 4 <= hi):
                    pen += 0.5 + 0.01 * lows.index(lo)
            else:
                pen += 0.01 * lows.index(lo)  # lowest code of the family when views are unknown
        if c.side in ("unilateral", "bilateral"):
            # a radiograph region with a code per side (ribs, TMJ) bills the side's own code even at a
            # view count off its band: both sides never as the one-side code with 50 ("RIBS BILAT W PA
            # CHEST 3V": 71111, not 71101), one side never as the bilateral code
            if frame.side in ("unilateral", "left", "right"):
                pen += 0.0 if c.side == "unilateral" else 5.0 if xr_sided else 1.0
            elif frame.side == "bilateral":
                pen += 0.0 if c.side == "bilateral" else 5.0 if xr_sided else 0.3
            else:
                pen += 0.05 if c.side == "bilateral" else 0.1
        out.append(Candidate(c, round(pen, 4), why))
    out.sort(key=lambda cand: (cand.penalty, cand.code.code))
    return out


def complete_views(frame: Frame, lex: Lexicon) -> int | None:
    """The view count a "complete" radiograph series of the frame's site stands for when the
    title states none (regions.tsv ``complete=N``), or None."""
    site = lex.sites.get(frame.site)
    return site.complete_views if site is not None else None


Chooser = Callable[[Frame, list[Candidate]], tuple[list[Candidate], HybridInfo | None]]


def map_frames(frames: list[Frame], lex: Lexicon, payer: Payer,
               choose: Chooser | None = None, ranked: dict[int, list[Candidate]] | None = None,
               ) -> tuple[list[Line], list[dict]]:
    """Return the code lines and the rule applications (for flags and explanations).

    ``choose`` (the hybrid stage) may reorder a frame's candidates before the best is taken.
    ``ranked`` keeps each frame's ranked candidates (by ``id(frame)``) for a second call on the
    same, unchanged frames (the pipeline maps once by the rules, then again with ``choose``)."""
    lines: list[Line] = []
    for f in frames:
        cands = ranked.get(id(f)) if ranked is not None else None
        if cands is None:
            cands = rank(f, lex, payer)
            if ranked is not None:
                ranked[id(f)] = cands
        info = None
        if choose is not None:
            cands, info = choose(f, cands)
        if not cands:
            continue
        best = cands[0]
        if info is None and any(r.endswith("not documented") for r in best.reasons):
            continue  # nothing in the table fits the documented qualifiers
        named = f.service is not None and _title_names(f, f.service)
        units = f.multiplicity if best.code.code in lex.per_unit_codes and f.multiplicity > 1 else 1
        lines.append(Line(best.code, f, cands, units=units, model=info, named=named))
    applied: list[dict] = []
    lines = _addons_from_frames(lines, lex, payer)
    lines, applied = apply_rules(lines, lex)
    return lines, applied


def _addons_from_frames(lines: list[Line], lex: Lexicon, payer: Payer) -> list[Line]:
    """The add-on rules (rules.jsonl) of each frame's code that hold for the payer: one unit when
    the rule's ``when_qualifier`` is documented, else one per additional gestation/structure."""
    out = list(lines)
    for ln in lines:
        f = ln.frame
        if f is None:
            continue
        for r in lex.addons_of(ln.code.code):
            if not r.applies_to(payer):
                continue
            addon, qual = lex.codes[r.data["code"]], r.data.get("when_qualifier")
            if qual is not None:
                if qual in f.quals:
                    named = bool(r.data.get("named_first")) and _title_names(f, qual)
                    out.append(Line(addon, f, [], origin="addon", rule=r.id, named=named))
            elif f.multiplicity > 1 and addon.region == ln.code.region:
                out.append(Line(addon, f, [], units=f.multiplicity - 1, origin="addon", rule=r.id))
    return out


def _title_names(f: Frame, qual: str) -> bool:
    """Whether the exam title names the service of qualifier ``qual`` as the exam itself
    ("SCREENING DIGITAL BREAST TOMOSYNTHESIS BILAT", "MAMMO TOMOSYNTHESIS DIAG UNI"), not as a
    part joined to another exam by "with" ("MAMMOGRAM BILATERAL W TOMO": the mammogram with DBT)."""
    return any(m.value == qual and m.section in ("exam", "subtitle") and not m.joined
               for m in f.evidence.get("qual", []))


def _own_title_exam(ln: Line, others: list[Line]) -> bool:
    """Whether the title names the line's exam on its own: a modality word of the exam line
    that none of ``others`` (the lines a bundle keeps) was read from."""
    f = ln.frame
    mine = {(m.start, m.end) for m in f.evidence.get("modality", []) if m.section in ("exam", "subtitle")} if f else set()
    theirs = {(m.start, m.end) for o in others if o.frame for m in o.frame.evidence.get("modality", [])}
    return bool(mine) and not mine & theirs


def _rules_naming(lex: Lexicon, codes: set[str], after: int) -> list[int]:
    """The positions after ``after`` of the rules in ``lex.rules`` that name one of ``codes``,
    ascending: a rule naming none of the codes billed cannot change the lines."""
    by = lex.rules_by_code()
    return sorted({i for c in codes for i in by.get(c, ()) if i > after})


def apply_rules(lines: list[Line], lex: Lexicon) -> tuple[list[Line], list[dict]]:
    applied: list[dict] = []
    codes = {ln.code.code for ln in lines}  # the codes billed so far
    todo, k = _rules_naming(lex, codes, -1), 0
    if not todo and len(lines) <= 1:
        return list(lines), applied  # one line and no rule naming its code: nothing below can change it
    while k < len(todo):
        i, before = todo[k], lines
        r, k = lex.rules[i], k + 1
        if r.rule == "replace" and set(r.data["all"]) <= codes:
            first = next(ln for ln in lines if ln.code.code in r.data["all"])
            lines = [ln for ln in lines if ln.code.code not in r.data["all"]]
            lines.append(Line(lex.codes[r.data["with"]], first.frame, first.candidates, origin="rule", rule=r.id))
            applied.append({"rule": r.id, "type": "replace", "removed": sorted(r.data["all"]),
                            "added": r.data["with"], "note": r.data.get("note", "")})
        elif r.rule == "bundle" and codes & set(r.data["if_any"]):
            dropped = sorted(codes & set(r.data["drop"]))
            atom = r.data.get("named_when_qualifier")
            if dropped and r.data.get("unless_named_exam") and \
                    (atom is None or any(ln.frame and atom in ln.frame.quals for ln in lines)):
                kept = [ln for ln in lines if ln.code.code in r.data["if_any"]]
                named = {ln.code.code for ln in lines if ln.code.code in dropped and _own_title_exam(ln, kept)}
                dropped = [c for c in dropped if c not in named]
            own = r.data.get("unless_qualifier")
            if dropped and own is not None:
                dropped = [c for c in dropped if not any(ln.code.code == c and ln.frame and own in ln.frame.quals
                                                         for ln in lines)]
            if dropped:
                lines = [ln for ln in lines if ln.code.code not in dropped]
                applied.append({"rule": r.id, "type": "bundle", "removed": dropped,
                                "kept": sorted(codes & set(r.data["if_any"])), "note": r.data.get("note", "")})
        elif r.rule == "addon" and r.data["code"] in codes and not codes & set(r.data["primaries"]) and \
                not any(ln.frame and "addon_requested" in ln.frame.quals for ln in lines
                        if ln.code.code == r.data["code"]):
            lines = [ln for ln in lines if ln.code.code != r.data["code"]]
            applied.append({"rule": r.id, "type": "orphan_addon", "removed": [r.data["code"]],
                            "note": r.data.get("note", "")})
        if lines is not before:  # (the lines change only when a rule applies)
            codes = {ln.code.code for ln in lines}
            todo, k = _rules_naming(lex, codes, i), 0
    # the same unilateral code on the right and on the left is one bilateral study
    by_code: dict[str, list[Line]] = {}
    for ln in lines:
        by_code.setdefault(ln.code.code, []).append(ln)
    for code, group in by_code.items():
        sides = {ln.frame.side for ln in group if ln.frame}
        if lex.codes[code].unilateral and {"left", "right"} <= sides:
            keep = group[0]
            assert keep.frame is not None  # sides found: these are frame lines (ordered-code lines have none)
            keep.frame.side = "bilateral"
            lines = [ln for ln in lines if ln.code.code != code or ln is keep]
    # one line per (code, side); a line without a side yields to the same code with one
    sided = {ln.code.code for ln in lines if ln.frame and ln.frame.side in ("left", "right", "bilateral")}
    seen, uniq = set(), []
    for ln in lines:
        side = ln.frame.side if ln.frame else None
        if side not in ("left", "right", "bilateral"):
            side = None
            if ln.code.code in sided:
                continue
        key = (ln.code.code, side)
        if key in seen:
            continue
        seen.add(key)
        uniq.append(ln)
    uniq.sort(key=lambda ln: (0 if ln.named else 2 if ln.origin == "addon" else 1, ln.code.code))
    return uniq, applied
