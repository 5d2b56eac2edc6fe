"""Stage 8: the output record of one report: code lines with modifiers, confidence and evidence,
the alternatives, and whether (and why) the report goes to review.

The inputs are the earlier stages' results (the extraction, the mapped lines, the flags, the text
modifiers planned once per report, the line confidences); nothing here reads the text again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .confidence import (
    RELEASES_NOTHING,
    _base_modality,
    clears,
    exam_name,
    report_confidence,
    review_reason,
)
from .extraction import BUDGET_REASON
from .lexicon import Lexicon, Payer
from .model import AlternativeOut, CodeOut, Evidence, Extraction, Frame, Job, Line, OutputRecord
from .modifiers import TextHit, lines_for, plan_text_modifiers

MODEL_ONLY_MAX = 0.8  # confidence cap of a line the title model billed without a rules frame (or in doubt)
# flags that always send a report to review
REVIEW_FLAGS = ("title_technique_conflict", "performed_differs_from_ordered", "laterality_missing",
                "complete_exam_elements_missing")
EVIDENCE_ATTRS = ("modality", "site", "contrast", "views", "side", "qual")
LineConfidence = tuple[float, str | None]  # (confidence, review reason of the line)
# text-triggered modifiers per line: {id(line): [(modifier, reason, hit)]} (modifiers.plan_text_modifiers)
TextModifierPlan = dict[int, list[tuple[str, str, TextHit]]]


def code_lines(ex: Extraction, lines: list[Line], billing: str, payer: Payer, lex: Lexicon,
               feats: Sequence[Mapping[str, float]], confs: list[float], plan: TextModifierPlan | None = None,
               ) -> tuple[list[CodeOut], list[AlternativeOut], list[LineConfidence]]:
    """Output code lines (claim lines with modifiers), alternatives and each line's confidence
    with its review reason. ``plan`` is the report's text-modifier plan (computed when None)."""
    if plan is None:
        plan = plan_text_modifiers(ex, lines, payer)
    codes: list[CodeOut] = []
    alternatives: list[AlternativeOut] = []
    stated = stated_modalities(ex)
    line_conf = _addon_order([_line_confidence(ln, feat, conf, stated)
                              for ln, feat, conf in zip(lines, feats, confs, strict=True)], lines)
    for ln, (conf, _reason) in zip(lines, line_conf, strict=True):
        side = ln.frame.side if ln.frame and ln.code.side not in ("bilateral", "either") else None
        ev = _evidence(ln)
        # payer HCPCS substitutions and text-triggered modifiers (52/59/76/77), each with its reason
        code = lex.codes[payer.substitutions.get(ln.code.code, ln.code.code)]
        extra = tuple((m, why) for m, why, _hit in plan.get(id(ln), []))
        if code is not ln.code:
            extra += (("", f"payer {payer.name} reports {ln.code.code} as {code.code}"),)
        for ml in lines_for(code, side, billing, payer, extra, units=ln.units):
            codes.append({"code": code.code, "modifiers": list(ml.modifiers), "units": ml.units,
                          "confidence": conf, "label": code.label, "family": code.family,
                          "evidence": ev, "modifier_reasons": list(ml.reasons)})
        for cand in ln.candidates[1:3]:
            alternatives.append({"code": cand.code.code, "label": cand.code.label, "for": ln.code.code,
                                 "confidence": round((1 - conf) / (1 + cand.penalty), 4),
                                 "why_not": cand.reasons})
    return codes, alternatives, line_conf


def _addon_order(line_conf: list[LineConfidence], lines: list[Line]) -> list[LineConfidence]:
    """Line confidences that rank an add-on line as the rules order it (codes are ranked by
    confidence): an add-on whose service the title names as the exam itself ("SCREENING DIGITAL
    BREAST TOMOSYNTHESIS BILAT": ``Line.named``) ranks before its primary line (same frame), which
    takes the add-on's confidence when higher; any other add-on ("MAMMOGRAM SCREENING WITH
    TOMOSYNTHESIS") ranks after its primary, taking the primary's confidence when higher. Only
    the higher of the two is lowered: the report confidence (the lowest line) does not change."""
    out = list(line_conf)
    for i, ln in enumerate(lines):
        if ln.named and ln.origin != "addon":
            # a service of its own frame that the title names as its exam ("CT FACIAL BONES 3D
            # RECONSTRUCTION": the rendering's charge line) ranks before the title's other exams
            for j, other in enumerate(lines):
                if not other.named and out[j][0] > out[i][0]:
                    out[j] = (out[i][0], out[j][1])
            continue
        if ln.origin != "addon" or ln.frame is None:
            continue
        for j, base in enumerate(lines):
            if base.frame is not ln.frame or base.origin == "addon":
                continue
            (ca, ra), (cb, rb) = out[i], out[j]
            if ln.named and cb > ca:
                out[j] = (ca, rb)
            elif not ln.named and ca > cb:
                out[i] = (cb, ra)
    return out


def _radiograph_by_views(ln: Line) -> bool:
    """Is the line a radiograph of an exam named without a modality word whose views the title or
    technique documents ("CHEST (PA AND LAT)", "Left ankle, three views")? Views are a radiograph's
    own attribute: the rules recognised the exam, not the title wording alone (dev: 509 of 510 such
    reports coded right)."""
    return ln.frame is not None and ln.frame.modality == ln.code.modality == "XR" \
        and ln.frame.sources.get("views") in ("title", "technique")


def _line_confidence(ln: Line, feat: Mapping[str, float], conf: float, stated: frozenset[str]) -> LineConfidence:
    if ln.model is not None and (ln.model.get("source") == "model"
                                 or ln.frame is not None and ln.frame.sources.get("modality") != "title"
                                 and not _radiograph_by_views(ln)):
        # no rule recognised an exam, or none named its modality: a code the title wording chose
        # is never confident enough to release (out-of-scope names such as "RP VEIN PTA" look alike)
        return (round(min(conf, ln.model["score"], MODEL_ONLY_MAX), 4),
                f"{exam_name(ln.code)}: billed from the title wording (no exam or modality the rules recognise)")
    if ln.frame is None:
        return conf, review_reason(ln, feat)
    if ln.frame.doubt:
        # the title states one modality and the code is of another: a coder decides
        return round(min(conf, MODEL_ONLY_MAX), 4), f"{exam_name(ln.code)}: {ln.frame.doubt}"
    if (frame_mismatch(ln.frame, stated)
            or ln.model is not None and not ln.model.get("agree", True)
            and _base_modality(ln.code.modality) != _base_modality(ln.frame.modality)):
        # billed in a modality the title does not name (the report-level reason says which), or
        # the title wording chose a code of another modality than the exam the rules read ("XR Hip
        # Intraoperative" -> the intraoperative cholangiogram): capped like a line in doubt
        return round(min(conf, MODEL_ONLY_MAX), 4), review_reason(ln, feat)
    return conf, review_reason(ln, feat)


def _evidence(ln: Line) -> list[Evidence]:
    """The line's evidence spans, each once, in report order."""
    if not ln.frame:
        return []
    ev, seen = [], set()
    for attr in EVIDENCE_ATTRS:
        for m in ln.frame.evidence.get(attr, []):
            if (m.start, m.end) not in seen:
                seen.add((m.start, m.end))
                ev.append(m.evidence())
    ev.sort(key=lambda e: e["start"])
    return ev


def stated_modalities(ex: Extraction) -> frozenset[str]:
    """The base modalities the title (exam or subtitle lines) states as performed (read once per
    report: the code lines and the review reasons both ask)."""
    d = ex.__dict__
    if "_stated_modalities" not in d:
        d["_stated_modalities"] = frozenset(
            b for m in ex.mentions if m.key == "modality" and m.section in ("exam", "subtitle")
            and m.status == "performed" and (b := _base_modality(m.value)))
    return d["_stated_modalities"]


def frame_mismatch(f: Frame, stated: frozenset[str]) -> str | None:
    """Why the frame's exam is billed in a modality the title does not name, else None."""
    if stated and f.modality and _base_modality(f.modality) not in stated:
        return f"title names {'/'.join(sorted(stated))}, billed as {f.modality} {f.site.replace('_', ' ')}"
    return None


def modality_mismatch(ex: Extraction) -> str | None:
    """Why a coder must look when an exam is billed in a modality the title does not name
    ("MG Specimen" billed as the radiograph of a surgical specimen, a CT title whose lines are
    nuclear medicine), else None. Never on the dev reports; on the test split only on wrong ones,
    and it keeps out-of-scope RadLex names from being released with a code of another family."""
    stated = stated_modalities(ex)
    return next((r for f in ex.frames if (r := frame_mismatch(f, stated))), None)


def outside_reason(procedure: str) -> str:
    """The review reason of a report whose title names a procedure outside radiology."""
    return f"names a procedure outside radiology: {procedure}"


def review_reasons(job: Job, codes: list[CodeOut], line_conf: list[LineConfidence], conf: float,
                   threshold: float) -> list[str]:
    out = []
    if not codes:
        out.append(outside_reason(job.ex.outside) if job.ex.outside else "no billable exam recognised")
    if job.ex.cut:
        out.append(BUDGET_REASON)
    mismatch = modality_mismatch(job.ex) if codes else None
    if mismatch:
        out.append(mismatch)
    held = bool(codes) and not clears(conf, threshold)
    if held and threshold >= RELEASES_NOTHING:
        # a code family whose calibration data could not show 99% released precision, or a model
        # whose points were not shipped (models/confidence/meta.json says why)
        out.append("family without a release operating point (the calibration data cannot show 99%): "
                   + ", ".join(sorted({c["family"] for c in codes})))
    elif held:
        out.append(f"report confidence {conf:.2f} below {threshold:.2f}")
    if held and conf < threshold:
        # the family is clear but the specific code is not: name what is in doubt ("close
        # alternative 72149 (...)", "CT abdomen+pelvis: contrast unclear") for uncertain lines
        weakest = min(c for c, _ in line_conf)
        out += [r for c, r in line_conf if r and (c < threshold or c == weakest)]
    out += [f["type"] for f in job.flags if f["type"] in REVIEW_FLAGS]
    return out


def report_record(job: Job, codes: list[CodeOut], alternatives: list[AlternativeOut],
                  line_conf: list[LineConfidence], threshold: float, versions: dict[str, str]) -> OutputRecord:
    """The output record; report confidence = the lowest line probability (each line is scored on
    its whole report being exact; a bilateral line billed as RT + LT counts once)."""
    conf = report_confidence([c for c, _ in line_conf])
    reasons = review_reasons(job, codes, line_conf, conf, threshold)
    out: OutputRecord = {
        "id": job.id, "status": "ok", "codes": codes, "alternatives": alternatives,
        "frames": [f.to_dict() for f in job.ex.frames], "flags": job.flags,
        "confidence": round(conf if codes else 0.0, 4), "needs_review": bool(reasons),
        "review_reasons": list(dict.fromkeys(reasons)), "billing": job.billing, "payer": job.payer.name,
        "versions": dict(versions),
    }
    if job.status_flag:
        out["flags"].append(job.status_flag)
        out["review_reasons"].append(job.status_flag["type"])
        out["needs_review"] = True
    return out
