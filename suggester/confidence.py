"""Stage 6: confidence of each suggested code line.

The rule score (used until a trained model is present in ``models/confidence/``) starts from
0.97 and multiplies a factor per weakness of the evidence:

====================================  =======
evidence                              factor
====================================  =======
modality inferred, not stated         0.85
contrast defaulted (CT/MR code)       0.80
views defaulted (radiograph code)     0.60
side missing on a unilateral code     0.85
a fuzzy (misspelled) match            0.90
a title/technique conflict            0.85
runner-up within 0.5 penalty          0.75
runner-up within 1.5 penalty          0.90
qualifier chosen by default           0.85
add-on or rule-made line              0.95
====================================  =======

The report confidence is the product of its lines' confidences (every code right).
"""

from __future__ import annotations

from .mapping import Line

BASE = 0.97


def features(line: Line, n_frames: int) -> dict[str, float]:
    f = line.frame
    src = f.sources if f else {}
    code = line.code
    return {
        "modality_inferred": float(src.get("modality") == "inferred"),
        "contrast_defaulted": float(code.contrast in ("with", "without", "without_then_with")
                                    and src.get("contrast", "default") == "default"),
        "views_defaulted": float(bool(code.views) and src.get("views", "default") == "default"),
        "side_missing": float(code.unilateral and (f is None or f.side in (None, "unilateral"))),
        "fuzzy": float(bool(f and f.fuzzy)),
        "conflict": float(bool(f and f.conflicts)),
        "margin": min(line.margin, 9.0),
        "default_qualifier": float(bool(line.candidates) and any(
            r.startswith("default ") for r in line.candidates[0].reasons)),
        "derived": float(line.origin != "frame"),
        "n_frames": float(n_frames),
    }


def rule_score(feat: dict[str, float]) -> float:
    p = BASE
    if feat["modality_inferred"]:
        p *= 0.85
    if feat["contrast_defaulted"]:
        p *= 0.80
    if feat["views_defaulted"]:
        p *= 0.60
    if feat["side_missing"]:
        p *= 0.85
    if feat["fuzzy"]:
        p *= 0.90
    if feat["conflict"]:
        p *= 0.85
    if feat["margin"] < 0.5:
        p *= 0.75
    elif feat["margin"] < 1.5:
        p *= 0.90
    if feat["default_qualifier"]:
        p *= 0.85
    if feat["derived"]:
        p *= 0.95
    return round(max(0.0, min(1.0, p)), 4)
