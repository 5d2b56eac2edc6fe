"""Flags: documentation gaps, title/technique conflicts, bundling, text-triggered modifiers and
ordered-vs-performed differences.

Flag ``type`` values are part of the output contract (``docs/billing.md`` lists them all). Every
flag carries a ``message`` and the ``evidence`` spans (report offsets) it rests on; a
documentation gap also names what is ``missing``; an ordered-vs-performed difference also carries
``ordered_evidence`` (spans of the ordered text: offsets into the ``ordered`` field, or report
offsets when the order is the report's own ORDER section).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

from .frames import COUNTING_CONTRAST, Frame
from .lexicon import Lexicon, Payer
from .mapping import apply_rules, map_frames, rank
from .model import Extraction, Flag, Line
from .modifiers import MODIFIER_NAMES, documented, plan_text_modifiers

FLAG_TYPES = ("performed_differs_from_ordered", "title_technique_conflict", "views_not_documented",
              "complete_exam_elements_missing", "cta_reconstruction_not_documented",
              "contrast_agent_not_documented", "laterality_missing", "indication_unclear",
              "bundling_conflict", "modifier_review", "report_not_final")
# DiagnosticReport.status words (HL7 v2 result status letters are mapped to them by the reader)
CODED_REPORT_STATUS = frozenset({"final", "amended", "corrected", "appended"})
VOID_REPORT_STATUS = frozenset({"entered-in-error", "cancelled"})
ATTRIBUTES = ("modality", "region", "contrast", "views", "side", "extent")
_CODE_RX = re.compile(r"\b(?:\d{4}[0-9A-Z]|[A-Z]\d{4})\b")
_CODE_ORDER_RX = re.compile(r"^[\s,;+&/]*(?:(?:\d{4}[0-9A-Z]|[A-Z]\d{4})(?:-[0-9A-Z]{2})*[\s,;+&/]*|and\s+|\([^)]*\)[\s,;+&/]*)+$",
                            re.IGNORECASE)
_CONTRAST_MODALITIES = ("CT", "CTA", "MR", "MRA")
_CONTRAST_CODED = ("with", "without_then_with", "angio")
_EXTENT = ("complete", "limited")
_EVIDENCE_KEY = {"modality": ("modality",), "region": ("site",), "contrast": ("contrast",),
                 "views": ("views",), "side": ("side",), "extent": ("qual",), "code": ("site", "qual")}


def _ev(mentions) -> list[dict]:
    seen, out = set(), []
    for m in mentions:
        if (m.start, m.end) not in seen:
            seen.add((m.start, m.end))
            out.append(m.evidence())
    return sorted(out, key=lambda e: e["start"])


def _human(missing: list[str]) -> list[str]:
    return [m.replace("_or_", " or ").replace("_", " ") for m in missing]


# --------------------------------------------------------------------------- report flags


def report_status_flag(status: str) -> dict | None:
    """The ``report_not_final`` flag for a report whose status (``report_status`` of the input
    record) is not a final one (preliminary, partial, registered, unknown...); None when it is.
    A void status (entered-in-error, cancelled) is not coded at all: the caller makes it an
    error record."""
    if status.strip().lower() in CODED_REPORT_STATUS:
        return None
    return {"type": "report_not_final", "report_status": status, "evidence": [],
            "message": f"the report's status is {status!r}, not final: code again from the final report"}


def report_flags(ex: Extraction, lines: list[Line], applied: list[dict], lex: Lexicon, payer: Payer,
                 plan: dict | None = None, order: Order | None = None,
                 order_ex: Extraction | None = None) -> list[Flag]:
    """Every flag of one report, each (type, message) once: documentation gaps, conflicts,
    bundling, text modifiers (from ``plan``, the report's text-modifier plan) and the differences
    from the order (``order`` from :func:`read_order`; ``order_ex`` the extraction of its text)."""
    flags = document_flags(ex, lines, applied, lex, payer, plan)
    flags += ordered_flags(order, order_ex, ex, lex, payer, lines)
    return cast("list[Flag]", list({(f["type"], f["message"]): f for f in flags}.values()))


def document_flags(ex, lines: list[Line], applied: list[dict], lex: Lexicon | None = None,
                   payer: Payer | None = None, plan: dict | None = None) -> list[dict]:
    """Documentation-gap, conflict, bundling and text-modifier flags of one report."""
    flags: list[dict] = []
    flags += conflict_flags(ex, lines)
    flags += gap_flags(ex, lines, payer, lex)
    flags += bundling_flags(ex, lines, applied, lex)
    if payer is not None:
        flags += modifier_flags(ex, lines, payer, plan)
    return flags


def conflict_flags(ex, lines: list[Line]) -> list[dict]:
    """Title vs technique (CODING_RULES §6) and complete titles without the required elements (§5)."""
    flags = []
    for f in ex.frames:
        for c in f.conflicts:
            if c.attribute == "complete":
                continue
            flags.append({"type": "title_technique_conflict", "attribute": c.attribute,
                          "title": c.title_value, "performed": c.performed_value,
                          "message": f"{c.attribute}: title says {c.title_value}, the report documents "
                                     f"{c.performed_value}; coded as performed",
                          "evidence": _ev(c.title + c.performed)})
        missing = f.elements_missing
        if missing and any(c.attribute == "complete" for c in f.conflicts):
            code = next((ln.code.code for ln in lines if ln.frame is f), None)
            qual = [m for m in f.evidence.get("qual", []) if m.value == "complete"] or f.evidence.get("site", [])
            flags.append({"type": "complete_exam_elements_missing", "missing": list(missing),
                          "message": f"titled complete but not documented: {', '.join(_human(missing))}; "
                                     f"coded limited" + (f" {code}" if code else ""),
                          "evidence": _ev(qual)})
    return flags


def gap_flags(ex, lines: list[Line], payer: Payer | None = None, lex: Lexicon | None = None) -> list[dict]:
    """Documentation gaps of the coded lines, each naming the missing element."""
    flags = []
    if lex is None:
        from .lexicon import default_lexicon

        lex = default_lexicon()
    contrast_lines: list[tuple[Line, Frame]] = []
    for ln in lines:
        f = ln.frame
        if f is None:
            continue
        site_ev = _ev(f.evidence.get("site", []))
        if ln.code.views and f.views is None and ln.origin == "frame":
            flags.append({"type": "views_not_documented", "missing": ["number of views"],
                          "message": f"number of views not stated; coded the lowest code of the family "
                                     f"{ln.code.code}", "evidence": site_ev})
        if ln.code.unilateral and f.side in (None, "unilateral") and ln.origin == "frame":
            flags.append({"type": "laterality_missing", "missing": ["side"],
                          "message": f"{ln.code.code} is a unilateral code and no side is documented; "
                                     f"no RT/LT added", "evidence": site_ev})
        if ln.code.modality == "CTA" and not documented(ex, payer, "cta_reconstruction"):
            flags.append({"type": "cta_reconstruction_not_documented", "missing": ["3D/MIP reconstruction"],
                          "message": f"CTA {ln.code.code} without documented 3D rendering / MIP "
                                     f"post-processing (required by the CTA codes)",
                          "evidence": _ev(f.evidence.get("modality", []))})
        if ln.code.contrast in _CONTRAST_CODED and ln.code.modality in _CONTRAST_MODALITIES:
            contrast_lines.append((ln, f))
        unclear = _indication_unclear(ln, lex)
        if unclear:
            flags.append({"type": "indication_unclear", "missing": ["screening or diagnostic indication"],
                          "message": unclear, "evidence": _ev(f.evidence.get("site", []) + f.evidence.get("qual", []))})
    if contrast_lines:
        missing = [what for what, key in (("contrast agent", "contrast_agent"), ("route", "contrast_route"))
                   if not documented(ex, payer, key)]
        if missing:
            codes = ", ".join(dict.fromkeys(ln.code.code for ln, _ in contrast_lines))
            ev = [m for _, f in contrast_lines for m in f.evidence.get("contrast", [])
                  if m.status == "performed"] or \
                 [m for _, f in contrast_lines for m in f.evidence.get("modality", [])]
            flags.append({"type": "contrast_agent_not_documented", "missing": missing,
                          "message": f"contrast study ({codes}) without documented {' and '.join(missing)}",
                          "evidence": _ev(ev)})
    return flags


def payer_or_default(payer: Payer | None) -> Payer:
    """The payer, or the packaged Medicare profile (for callers that pass none)."""
    if payer is not None:
        return payer
    from .lexicon import default_lexicon

    return default_lexicon().payers["medicare"]


def _indication_unclear(ln: Line, lex: Lexicon) -> str | None:
    f, code = ln.frame, ln.code
    if ln.origin != "frame" or f is None:
        return None
    stated = {"screening", "diagnostic"} & f.quals
    if code.family == "mammo" and code.qualifier in ("screening", "diagnostic") and not stated:
        return (f"screening vs diagnostic mammography not stated; coded {code.code} ({code.qualifier}); "
                f"check the indication")
    for r in lex.of_type("indication"):  # rules.jsonl: a code that needs a stated indication
        if code.code in r.data["codes"] and r.data["when_qualifier"] in f.quals and \
                not f.quals & set(r.data["indications"]):
            return r.data["message"].format(code=code.code)
    return None


def bundling_flags(ex, lines: list[Line], applied: list[dict], lex: Lexicon | None = None,
                   where: str = "report", offset: int = 0) -> list[dict]:
    """Pairs that are not billed together (rules.jsonl), when the text implies both.

    From the rules applied while mapping (a code dropped, a pair replaced, an add-on without its
    primary) and from exams named separately that one combined code covers ("CT ABDOMEN; CT
    PELVIS" -> 74177, "DXA ...; VFA" -> 77085). ``where="order"`` reads the ordered text (spans
    shifted by ``offset``).
    """
    flags = []
    for a in applied:
        if a["type"] not in ("bundle", "replace", "orphan_addon"):
            continue
        if a["type"] == "bundle":
            msg = f"{', '.join(a['removed'])} not billed with {', '.join(a['kept'])}"
        elif a["type"] == "replace":
            msg = f"{' + '.join(a['removed'])} billed as {a['added']}"
        else:
            msg = f"add-on {', '.join(a['removed'])} removed: its primary code is not documented"
        if where != "report":
            msg = f"the {where} implies " + msg
        ev = _removed_evidence(ex, a["removed"], lex) if ex is not None else []
        flags.append({"type": "bundling_conflict", "rule": a["rule"], "removed": list(a["removed"]),
                      "message": f"{msg} ({a['note']})" if a.get("note") else msg,
                      "evidence": _where(ev, where, offset)})
    if lex is not None and ex is not None:
        flags += _combined_flags(ex, lines, lex, where, offset)
    return flags


def _where(spans: list[dict], where: str, offset: int) -> list[dict]:
    if where == "report":
        return spans
    return [{"section": "ordered", "start": offset + e["start"], "end": offset + e["end"], "text": e["text"]}
            for e in spans]


def _removed_evidence(ex, removed: list[str], lex: Lexicon | None) -> list[dict]:
    if lex is None:
        return []
    ms = []
    for f in ex.frames:
        cands = rank(f, lex)
        if cands and cands[0].code.code in removed:
            ms += f.evidence.get("site", [])
    return _ev(ms)


def _separately_named(f) -> bool:
    """The exam title names the parts as separate exams (two modality phrases, or a list)."""
    ms = [m for k in ("modality", "site", "qual") for m in f.evidence.get(k, []) if m.section == "exam"]
    mods = {(m.start, m.end) for m in ms if m.key == "modality"}
    return len(mods) >= 2 or len({(m.doc_id, m.sent) for m in ms}) >= 2


def _combined_flags(ex, lines: list[Line], lex: Lexicon, where: str, offset: int) -> list[dict]:
    """Exams titled separately that one combined code covers (merge rules; replace rules' result)."""
    flags = []
    for ln in lines:
        f = ln.frame
        if f is None or ln.origin == "addon" or not _separately_named(f):
            continue
        # (a merge limited to sites folds the exam's own anatomy named again, no exam titled apart)
        merge = next((r for r in lex.rules if r.rule == "merge" and f.region == r.data["into"]
                      and f.modality in r.data["modalities"] and "sites" not in r.data
                      and r.data.get("flagged", True)), None)
        replace = next((r for r in lex.rules if r.rule == "replace" and r.data["with"] == ln.code.code), None)
        rule = merge or replace
        if rule is None:
            continue
        parts = ", ".join(sorted({m.text for m in f.evidence.get("site", []) + f.evidence.get("qual", [])
                                  if m.section == "exam"}))
        instead = f", not {' + '.join(rule.data['all'])}" if rule is replace and not rule.data.get("note") else ""
        msg = (f"separately named exams ({parts})" if where == "report" else f"the {where} names {parts} "
               f"as separate exams:") + f" billed as one combined code {ln.code.code}{instead}"
        if rule.data.get("note"):
            msg += f" ({rule.data['note']})"
        ev = _ev([m for k in ("modality", "site", "qual") for m in f.evidence.get(k, []) if m.section == "exam"])
        flags.append({"type": "bundling_conflict", "rule": rule.id, "removed": [], "message": msg,
                      "evidence": _where(ev, where, offset)})
    return flags


def modifier_flags(ex, lines: list[Line], payer: Payer, plan: dict | None = None) -> list[dict]:
    """One review flag per text-triggered modifier (52, 59/X, 76, 77) of the report's plan."""
    by_mod: dict[tuple[str, int], dict] = {}
    if plan is None:
        plan = plan_text_modifiers(ex, lines, payer)
    for ln in lines:
        for mod, _why, hit in plan.get(id(ln), []):
            if not mod:
                continue
            key = (mod, hit.evidence["start"])
            flag = by_mod.setdefault(key, {
                "type": "modifier_review", "modifier": mod, "codes": [], "rule": hit.rule,
                "evidence": [hit.evidence]})
            flag["codes"].append(ln.code.code)
    out = []
    for (mod, _), flag in by_mod.items():
        h = flag["evidence"][0]
        flag["message"] = (f"modifier {mod} ({MODIFIER_NAMES[mod]}) suggested on {', '.join(flag['codes'])}: "
                           f"the text says {h['text']!r}; confirm before billing")
        out.append(flag)
    return out


# --------------------------------------------------------------------------- ordered vs performed


@dataclass
class _OrderItem:
    label: str
    attrs: dict  # modality, region, site, contrast, views (int | (lo, hi)), side, extent
    evidence: dict = field(default_factory=dict)  # attribute -> [spans]
    code: str | None = None
    secondary: bool = False


@dataclass(frozen=True)
class Order:
    """What was ordered: the order field, else the report's own ORDER section."""

    text: str
    offset: int  # where ``text`` starts in the report (0 for the order field)
    source: str  # field | report
    codes: bool  # order codes ("77080 + 77086") rather than order text (which is extracted)


def read_order(ordered: str | None, ex: Extraction) -> Order | None:
    """The order to compare the performed exams with, or None when there is none."""
    if ordered and ordered.strip():
        return Order(ordered, 0, "field", _is_code_order(ordered))
    sec = next((s for s in ex.sections if s.name == "ordered" and ex.text[s.start:s.end].strip()), None)
    if sec is None:
        return None
    text = ex.text[sec.start:sec.end]
    return Order(text, sec.start, "report", _is_code_order(text))


def _is_code_order(text: str) -> bool:
    return bool(_CODE_ORDER_RX.match(text) and _CODE_RX.search(text))


def ordered_flags(order: Order | None, oex: Extraction | None, ex: Extraction, lex: Lexicon,
                  payer: Payer | None = None, lines: list[Line] | None = None) -> list[dict]:
    """Differences between the ordered exam and the performed frames, one flag per difference.

    ``order`` is an order code or codes ("77080 + 77086") or order text (then ``oex`` is its
    extraction, made by the pipeline); without an order field, the report's own ORDER section is
    used when it has one (:func:`read_order`). The billed code always follows what was
    performed; the flags say where the order differs (prior authorisation is often for the
    ordered code) and when the order itself names a pair that is not billed together.
    """
    if order is None:
        return []
    payer = payer_or_default(payer)
    lines = lines or []
    source, offset = order.source, order.offset
    if order.codes:
        oex, (items, flags) = None, _code_items(order.text, offset, lex)
        flags = [dict(f, ordered_source=source) for f in flags]
        final, applied = apply_rules([Line(lex.codes[o.code], None, []) for o in items], lex)
    else:
        if oex is None:
            raise ValueError("an order in words needs its extraction (oex)")
        items, flags = _text_items(oex, lex, offset), []
        final, applied = map_frames(oex.frames, lex, payer)
    flags += [dict(f, ordered_source=source)
              for f in bundling_flags(oex, final, applied, lex, where="order", offset=offset)]
    billed = {ln.code.code for ln in lines}
    # ordered codes a rule of the order folded into a billed code (77080 + 77086 -> 77085) are covered
    folded = set()
    for a in applied:
        outcome = set(a.get("kept", ())) | ({a["added"]} if a.get("added") else set())
        if outcome & billed:
            folded |= set(a["removed"])
    ordered_codes = {o.code for o in items if o.code} | {ln.code.code for ln in final}
    flags += _compare(items, ex, lines, source, billed | folded, ordered_codes)
    return flags


def _code_items(ordered: str, offset: int, lex: Lexicon):
    items, flags = [], []
    secondary = lex.secondary_codes
    for m in _CODE_RX.finditer(ordered):
        ev = [{"section": "ordered", "start": offset + m.start(), "end": offset + m.end(), "text": m.group()}]
        code = lex.codes.get(m.group().upper())
        if code is None:
            flags.append({"type": "performed_differs_from_ordered", "attribute": "code", "ordered": m.group(),
                          "performed": None, "message": f"ordered code {m.group()} is not in the code table",
                          "evidence": [], "ordered_evidence": ev})
            continue
        extent = "complete" if code.qualifier == "complete" else \
            "limited" if code.qualifier in ("limited", "limited_followup") else None
        attrs = {"modality": code.modality, "region": code.region, "site": None,
                 "contrast": code.contrast if code.contrast in COUNTING_CONTRAST else None,
                 "views": code.views, "side": "bilateral" if code.side == "bilateral" else None,
                 "extent": extent}
        items.append(_OrderItem(code.code, attrs, {k: ev for k in ATTRIBUTES + ("code",)}, code.code,
                                code.code in secondary))
    return items, flags


def _text_items(oex, lex: Lexicon, offset: int) -> list[_OrderItem]:
    items = []
    for f in oex.frames:
        ev = {}
        for attr, keys in _EVIDENCE_KEY.items():
            ms = [m for k in keys for m in f.evidence.get(k, [])]
            if attr == "extent":
                ms = [m for m in ms if m.value in _EXTENT]
            ev[attr] = [{"section": "ordered", "start": offset + e["start"], "end": offset + e["end"],
                         "text": e["text"]} for e in _ev(ms)]
        cands = rank(f, lex)
        code = cands[0].code.code if cands and cands[0].penalty < 4 else None  # the code the order names
        attrs = {"modality": f.modality, "region": f.region, "site": f.site, "contrast": f.contrast,
                 "views": f.views, "side": f.side if f.side != "unilateral" else None,
                 "extent": next((q for q in _EXTENT if q in f.quals), None)}
        items.append(_OrderItem(f"{f.modality} {f.region or f.site}", attrs, ev, code))
    return items


_COMPATIBLE = {frozenset(p) for p in (("CT", "CTA"), ("MR", "MRA"), ("US", "DUPLEX"), ("XR", "FL"))}


def _score(o: _OrderItem, f) -> int:
    a = o.attrs
    s = 0
    if a["region"] and a["region"] == f.region:
        s += 4
    elif a["region"] and f.region and (a["region"] in f.region.split("_") or f.region in a["region"].split("_")):
        s += 3
    if a["site"] and a["site"] == f.site:
        s += 2
    if a["modality"] == f.modality:
        s += 2
    elif frozenset((a["modality"], f.modality)) in _COMPATIBLE:
        s += 1
    return s


def _pair(items: list[_OrderItem], frames: list) -> tuple[list[tuple], list[_OrderItem], list]:
    if len(items) == 1 and len(frames) == 1:
        return [(items[0], frames[0])], [], []
    cand = sorted(((_score(o, f), i, j) for i, o in enumerate(items) for j, f in enumerate(frames)),
                  key=lambda t: (-t[0], t[1], t[2]))
    used_o, used_f, pairs = set(), set(), []
    for s, i, j in cand:
        if s < 3 or i in used_o or j in used_f:
            continue
        used_o.add(i)
        used_f.add(j)
        pairs.append((items[i], frames[j]))
    return pairs, [o for i, o in enumerate(items) if i not in used_o], \
        [f for j, f in enumerate(frames) if j not in used_f]


def _fmt_views(v) -> str:
    if isinstance(v, tuple):
        lo, hi = v
        return f"{lo}+" if hi >= 99 else (str(lo) if lo == hi else f"{lo}-{hi}")
    return str(v)


def _views_differ(o, p) -> bool:
    if isinstance(o, tuple):
        return not o[0] <= p <= o[1]
    return o != p


def _hip_views_with_pelvis(o: _OrderItem, f) -> bool:
    """Whether an order of the hip counts its own views and the report the pelvis view beside them ("XR HIP LEFT
    2V": AP pelvis, AP and lateral hip), which the hip codes include (CODING_RULES §4); an order of the pelvis
    ("XR PELVIS 1V") counts the pelvis alone."""
    return o.attrs["region"] in ("hip", "hips") and f.site == "hip" and "with_pelvis" in f.quals \
        and not _views_differ(o.attrs["views"], f.views - 1)


def _compare(items: list[_OrderItem], ex, lines: list[Line], source: str, covered: set[str],
             ordered_codes: set[str]) -> list[dict]:
    """Pair the ordered exams not already covered by a billed code with the performed frames."""
    flags = []
    for o in items:
        if o.code and o.secondary and o.code not in covered:
            flags.append(_flag("code", o, None, o.code, "not billed", [],
                               f"ordered {o.code} is not billed (billed: "
                               f"{', '.join(sorted({ln.code.code for ln in lines})) or 'none'})", source))
    code_of = {id(f): next((ln.code.code for ln in lines if ln.frame is f and ln.origin != "addon"), None)
               for f in ex.frames}
    # an ordered code that is billed pairs with its frame (only the side can still differ)
    direct, used = [], set()
    for o in items:
        f = next((f for f in ex.frames if o.code and code_of[id(f)] == o.code and id(f) not in used), None)
        if f is not None and not o.secondary:
            direct.append((o, f))
            used.add(id(f))
    primary = [o for o in items if not (o.code and (o.code in covered or o.secondary))]
    frames = [f for f in ex.frames if id(f) not in used and code_of[id(f)] not in ordered_codes]
    pairs, lone_orders, lone_frames = _pair(primary, frames)
    pairs = direct + pairs
    for o, f in pairs:
        code = code_of[id(f)]
        diffs = _differences(o, f)
        if not diffs and o.code and code and o.code != code:
            diffs = [("code", o.code, code)]
        for attr, ov, pv in diffs:
            perf_ev = _ev([m for k in _EVIDENCE_KEY[attr] for m in f.evidence.get(k, [])
                           if attr != "extent" or m.value in _EXTENT])
            coded = f" ({code})" if code else ""
            flags.append(_flag(attr, o, f, ov, pv, perf_ev,
                               f"{attr}: ordered {ov}, performed {pv}; coded as performed{coded}", source))
    for o in lone_orders:
        flags.append(_flag("exam", o, None, o.label, "not performed", [],
                           f"ordered {o.label} is not among the performed exams", source))
    if items:
        for f in lone_frames:
            code = code_of[id(f)]
            if code:
                flags.append(_flag("exam", None, f, "not ordered", f"{f.modality} {f.region or f.site}",
                                   _ev(f.evidence.get("site", [])),
                                   f"performed {f.modality} {f.region or f.site} ({code}) is not in the order", source))
    return flags


def _differences(o: _OrderItem, f) -> list[tuple[str, str, str]]:
    a, out = o.attrs, []
    if a["modality"] and f.modality and a["modality"] != f.modality:
        out.append(("modality", a["modality"], f.modality))
    if a["region"] and f.region and a["region"] != f.region and not (a["site"] and a["site"] == f.site):
        out.append(("region", a["region"], f.region))
    oc, pc = a["contrast"], f.contrast
    if oc in COUNTING_CONTRAST:
        if pc in COUNTING_CONTRAST and oc != pc:
            out.append(("contrast", oc, pc))
        elif pc is None and oc != "without" and f.modality in _CONTRAST_MODALITIES:
            out.append(("contrast", oc, "not documented (coded without)"))
    ov = a["views"]
    if ov is not None and f.modality == "XR":
        if f.views is None:
            out.append(("views", _fmt_views(ov), "not documented (coded at the lowest code)"))
        elif _views_differ(ov, f.views) and not _hip_views_with_pelvis(o, f):
            out.append(("views", _fmt_views(ov), str(f.views)))
    os_, ps = a["side"], f.side
    if os_ in ("left", "right", "bilateral"):
        if ps in ("left", "right", "bilateral") and ps != os_:
            out.append(("side", os_, ps))
        elif ps in (None, "unilateral"):
            out.append(("side", os_, "not documented"))
    oe = a["extent"]
    pe = next((q for q in _EXTENT if q in f.quals), None)
    if oe and pe and oe != pe:
        out.append(("extent", oe, pe))
    return out


def _flag(attr: str, o: _OrderItem | None, f, ov, pv, perf_ev: list[dict], message: str, source: str) -> dict:
    oev = []
    if o is not None:
        if attr == "exam":
            oev = sorted({(e["start"], e["end"]): e for k in ("modality", "region")
                          for e in o.evidence.get(k, [])}.values(), key=lambda e: e["start"])
        else:
            oev = o.evidence.get(attr) or o.evidence.get("region") or o.evidence.get("modality") or []
    return {"type": "performed_differs_from_ordered", "attribute": attr, "ordered": ov, "performed": pv,
            "message": message, "evidence": perf_ev, "ordered_evidence": list(oev), "ordered_source": source}
