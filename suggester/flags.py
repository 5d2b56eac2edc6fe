"""Flags: documentation gaps, title/technique conflicts, bundling and ordered-vs-performed.

Flag ``type`` values are part of the output contract (see the README): each flag carries a
``message`` and the ``evidence`` spans it rests on.
"""

from __future__ import annotations

import re

from .frames import COUNTING_CONTRAST
from .lexicon import Lexicon
from .mapping import Line

_RECON_RX = re.compile(r"\b(3[\s-]?d|mip|mips|maximum intensity|reconstruct|reformat|volume[\s-]render|"
                       r"post[\s-]?processing|curved planar|multiplanar)", re.IGNORECASE)


def document_flags(ex, lines: list[Line], applied: list[dict]) -> list[dict]:
    """Documentation-gap, conflict and bundling flags of one report."""
    flags = []
    for f in ex.frames:
        for c in f.conflicts:
            if c.attribute == "complete":
                continue
            flags.append({"type": "title_technique_conflict",
                          "message": f"{c.attribute}: title says {c.title_value}, performed {c.performed_value}; "
                                     f"coded as performed",
                          "attribute": c.attribute,
                          "evidence": [m.evidence() for m in c.title + c.performed]})
        missing = getattr(f, "elements_missing", None)
        if missing and f.conflicts and any(c.attribute == "complete" for c in f.conflicts):
            flags.append({"type": "complete_exam_elements_missing",
                          "message": f"titled complete but not documented: {', '.join(missing)}; coded limited",
                          "missing": missing, "evidence": [m.evidence() for m in f.evidence.get("qual", [])]})
    for ln in lines:
        f = ln.frame
        if f is None:
            continue
        if ln.code.views and f.views is None and ln.origin == "frame":
            flags.append({"type": "views_not_documented",
                          "message": f"number of views not stated; coded the lowest code {ln.code.code}",
                          "evidence": [m.evidence() for m in f.evidence.get("site", [])]})
        if ln.code.unilateral and f.side in (None, "unilateral") and ln.origin == "frame":
            flags.append({"type": "laterality_missing",
                          "message": f"{ln.code.code} is a unilateral code and no side is documented",
                          "evidence": [m.evidence() for m in f.evidence.get("site", [])]})
        if ln.code.family == "cta" and not _RECON_RX.search(ex.text):
            flags.append({"type": "cta_reconstruction_not_documented",
                          "message": "CTA without documented 3D/MIP reconstruction",
                          "evidence": [m.evidence() for m in f.evidence.get("modality", [])]})
        if ln.code.family == "mammo" and ln.origin == "frame" and ln.code.qualifier in ("screening", "diagnostic") \
                and not {"screening", "diagnostic"} & f.quals:
            flags.append({"type": "indication_unclear",
                          "message": "screening vs diagnostic not stated; check the indication",
                          "evidence": [m.evidence() for m in f.evidence.get("site", [])]})
    for a in applied:
        if a["type"] in ("bundle", "replace"):
            flags.append({"type": "bundling_conflict",
                          "message": f"{a['note']} (removed {', '.join(a['removed'])})",
                          "rule": a["rule"], "evidence": []})
    return flags

def ordered_flags(ordered: str, ex, lex: Lexicon, extract) -> list[dict]:
    """Differences between the ordered exam (text or code) and the performed frames."""
    if re.fullmatch(r"\s*[0-9A-Z]\d{4}\s*", ordered):
        code = lex.codes.get(ordered.strip())
        if code is None:
            return [{"type": "performed_differs_from_ordered",
                     "message": f"ordered code {ordered.strip()} is not in the code table", "evidence": []}]
        order_frame = {"modality": code.modality, "region": code.region, "contrast": code.contrast
                       if code.contrast in COUNTING_CONTRAST else None}
        order_frames = [order_frame]
    else:
        oex = extract(ordered)
        order_frames = [{"modality": f.modality, "region": f.region, "contrast": f.contrast,
                         "views": f.views, "side": f.side} for f in oex.frames]
    flags = []
    performed = [{"modality": f.modality, "region": f.region, "contrast": f.contrast,
                  "views": f.views, "side": f.side} for f in ex.frames]
    for o in order_frames:
        match = next((p for p in performed if p["modality"] == o["modality"] and p["region"] == o["region"]), None)
        if match is None:
            flags.append({"type": "performed_differs_from_ordered",
                          "message": f"ordered {o['modality']} {o['region']} not found among performed exams",
                          "attribute": "region", "evidence": []})
            continue
        for k in ("contrast", "views", "side"):
            if o.get(k) is not None and match.get(k) is not None and o[k] != match[k]:
                flags.append({"type": "performed_differs_from_ordered",
                              "message": f"{k}: ordered {o[k]}, performed {match[k]}; coded as performed",
                              "attribute": k, "evidence": []})
    return flags

