"""Readable breakdown of one output record (``suggester explain``): frames, codes with the reason
for every modifier (and for modifiers a line does not get), alternatives, every flag with its
evidence and missing elements, and payment estimates when a fee schedule was given."""

from __future__ import annotations


def _money(x) -> str:
    return "n/a" if x is None else f"${x:,.2f}"


def _span(e: dict) -> str:
    return f"[{e['section']} {e['start']}-{e['end']}] {e['text']!r}"


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
            out.append(f"      evidence {_span(e)}")
        for r in c.get("modifier_reasons", []):
            out.append(f"      modifier: {r}")
        p = c.get("payment")
        if p is not None:
            comp = "global" if p["component"] == "global" else f"-{p['component']}"
            out.append(f"      payment ({comp}): non-facility {_money(p['non_facility'])}, facility "
                       f"{_money(p['facility'])}  [{p['label']}]")
            for n in p.get("notes", []):
                out.append(f"      payment note: {n}")
    if rec.get("payment_total"):
        t = rec["payment_total"]
        out.append(f"  total: non-facility {_money(t['non_facility'])}, facility {_money(t['facility'])} "
                   f"over {t['lines_priced']} priced line(s)"
                   + (f", {t['lines_unpriced']} without an estimate" if t["lines_unpriced"] else "")
                   + f"  [{t['label']}]")
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
            if f.get("missing"):
                out.append(f"      missing: {', '.join(f['missing'])}")
            if f.get("rule"):
                out.append(f"      rule: {f['rule']}")
            for e in f.get("evidence", []):
                out.append(f"      report {_span(e)}")
            where = "order (report section)" if f.get("ordered_source") == "report" else "order"
            for e in f.get("ordered_evidence", []):
                out.append(f"      {where} {_span(e)}")
    return "\n".join(out)
