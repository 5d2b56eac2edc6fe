"""Readable breakdown of one output record (``suggester explain``)."""

from __future__ import annotations


def explain(rec: dict) -> str:
    if rec.get("status") == "error":
        return f"error {rec['error']['type']}: {rec['error']['message']}"
    out = []
    out.append(f"report confidence {rec['confidence']:.2f}  needs_review={rec['needs_review']}"
               + (f"  ({'; '.join(rec['review_reasons'])})" if rec.get("review_reasons") else ""))
    out.append(f"billing {rec['billing']}, payer {rec['payer']}")
    out.append("")
    out.append("frames:")
    for i, f in enumerate(rec["frames"], 1):
        out.append(f"  {i}. {f['modality']} {f['region'] or f['site']}  contrast={f['contrast']} "
                   f"views={f['views']} side={f['side']} qualifiers={','.join(f['qualifiers']) or '-'}")
        out.append("     sources: " + ", ".join(f"{k}={v}" for k, v in f["sources"].items()))
    out.append("")
    out.append("codes:")
    for c in rec["codes"]:
        mods = "-".join([c["code"]] + c["modifiers"])
        out.append(f"  {mods:<16} x{c['units']}  conf {c['confidence']:.2f}  {c['label']}")
        for e in c["evidence"]:
            out.append(f"      evidence [{e['section']} {e['start']}-{e['end']}] {e['text']!r}")
        for r in c.get("modifier_reasons", []):
            out.append(f"      modifier: {r}")
    if rec["alternatives"]:
        out.append("")
        out.append("alternatives:")
        for a in rec["alternatives"]:
            why = "; ".join(a.get("why_not", [])) or "-"
            out.append(f"  {a['code']} (instead of {a['for']}) conf {a['confidence']:.3f}  why not: {why}")
    if rec["flags"]:
        out.append("")
        out.append("flags:")
        for f in rec["flags"]:
            out.append(f"  {f['type']}: {f['message']}")
            for e in f.get("evidence", []):
                out.append(f"      [{e['section']} {e['start']}-{e['end']}] {e['text']!r}")
    return "\n".join(out)
