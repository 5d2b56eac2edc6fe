"""FHIR R4: DiagnosticReport in, a Claim-shaped Bundle out, validated with fhir.resources.

fhir.resources ships R4B (4.3) models beside its default R5; DiagnosticReport, ServiceRequest,
Claim and Bundle are the same in R4 (4.0.1) and R4B for every element used here, so the R4B
models validate R4 resources.

Reading (:func:`read_fhir`): a JSON DiagnosticReport, a Bundle of any type holding
DiagnosticReports (other entries are used only to resolve references), or NDJSON of either (a
bulk export). Per report:

* text: the ``presentedForm`` attachments with inline ``data`` (base64), ``text/plain``
  preferred, ``text/html`` turned into text, the charset taken from ``contentType``; else
  ``conclusion``;
* ordered: ``basedOn`` -> the ServiceRequest (``#contained``, a Bundle ``fullUrl`` or
  ``ServiceRequest/id``) -> its ``code``: the CPT/HCPCS coding, else its text;
* id: the ``identifier`` of type ACSN (accession), else the resource id.

Writing: :func:`claim_items` (``Claim.item`` list) and :func:`claim_bundle` (a collection
Bundle holding one draft Claim). Each item has ``productOrService`` (CPT system, HCPCS for
level II codes), ``modifier`` (CPT modifiers in the CPT system, level II modifiers such as TC,
RT, LT in the HCPCS one), ``quantity``, and extensions for the evidence spans, the confidence
and the X12 SV1-01 composite. What the report cannot tell (coverage, and the patient and
provider when the source has none) carries the data-absent-reason extension.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from typing import IO

from . import require
from .x12 import sv1_composite

CPT_SYSTEM = "http://www.ama-assn.org/go/cpt"
# HCPCS Level II, by the OID US Core binds procedure codes with
HCPCS_SYSTEM = "urn:oid:2.16.840.1.113883.6.285"
HCPCS_SYSTEMS = frozenset({HCPCS_SYSTEM, "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
                           "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"})
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
EXT_BASE = "urn:suggester:fhir:StructureDefinition:"
EXT_EVIDENCE = EXT_BASE + "evidence"
EXT_CONFIDENCE = EXT_BASE + "confidence"
EXT_X12 = EXT_BASE + "x12-sv1-01"
EXT_NEEDS_REVIEW = EXT_BASE + "needs-review"
EXT_REVIEW_REASON = EXT_BASE + "review-reason"
EXT_VERSION = EXT_BASE + "version"
_UUID_NS = uuid.UUID("6f1f3f3e-1d7a-5c1e-9d7e-2f4c6b1a9e01")
_ID_RX = re.compile(r"[^A-Za-z0-9\-.]")
_CODE_RX = re.compile(r"^(\d{4}[0-9FT]|[A-V]\d{4})$")
_OUTCOME_CODE = {"invalid_json": "invalid", "invalid_fhir": "invalid", "unsupported_resource": "not-supported",
                 "missing_text": "required", "empty_text": "required"}


# ---------------------------------------------------------------------- reading


def _model(resource_type: str):
    r4b = require("fhir.resources.R4B", "fhir")
    try:
        return r4b.get_fhir_model_class(resource_type)
    except (KeyError, ValueError, ImportError, AttributeError):
        return None


def validate(resource: dict):
    """The fhir.resources model of a resource dict; ValueError with a short, readable message."""
    rtype = resource.get("resourceType") if isinstance(resource, dict) else None
    cls = _model(rtype) if isinstance(rtype, str) else None
    if cls is None:
        raise ValueError(f"unknown resourceType {rtype!r}")
    try:
        return cls.model_validate(resource)
    except Exception as e:  # pydantic.ValidationError, and fhir_core's own errors
        errors = getattr(e, "errors", None)
        if callable(errors):
            parts = [f"{'.'.join(str(p) for p in err.get('loc', ())) or rtype}: {err.get('msg')}"
                     for err in errors()[:5]]
            raise ValueError(f"{rtype} {resource.get('id') or ''}".strip() + " is not valid FHIR R4: "
                             + "; ".join(parts)) from None
        raise ValueError(f"{rtype} is not valid FHIR R4: {e}") from None


def read_fhir(fh: IO[bytes] | bytes | str) -> Iterator[dict]:
    """One input record per DiagnosticReport in a JSON resource, a Bundle, or NDJSON of them."""
    from ..io import _decode

    require("fhir.resources.R4B", "fhir")  # fail for the missing extra, not per resource
    raw = fh if isinstance(fh, (bytes, str)) else fh.read()
    text = _decode(raw)[0] if isinstance(raw, bytes) else raw
    try:
        docs = [json.loads(text)]
    except json.JSONDecodeError as e:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if len(lines) < 2:
            yield _error("resource-1", "invalid_json", f"not JSON: {e.msg} at line {e.lineno} column {e.colno}")
            return
        docs = []
        for n, ln in enumerate(lines, 1):
            try:
                docs.append(json.loads(ln))
            except json.JSONDecodeError as e2:
                docs.append(_error(f"line-{n}", "invalid_json", f"line {n}: {e2.msg} at column {e2.colno}"))
    n = 0
    for doc in docs:
        for rec in records_from_json(doc, n + 1):
            n += 1
            yield rec


def records_from_json(doc, n: int = 1) -> list[dict]:
    """The input records of one parsed JSON document (a DiagnosticReport or a Bundle)."""
    if isinstance(doc, dict) and "error" in doc and "resourceType" not in doc:
        return [doc]
    rtype = doc.get("resourceType") if isinstance(doc, dict) else None
    if rtype == "DiagnosticReport":
        return [_report(doc, {}, n)]
    if rtype == "Bundle":
        return _bundle(doc, n)
    what = f"resourceType {rtype!r}" if rtype else f"a JSON {type(doc).__name__} without resourceType"
    return [_error(f"resource-{n}", "unsupported_resource",
                   f"expected a DiagnosticReport or a Bundle, got {what}")]


def _bundle(doc: dict, n: int) -> list[dict]:
    entries = doc.get("entry") or []
    if not isinstance(entries, list):
        return [_error(f"resource-{n}", "invalid_fhir", "Bundle.entry must be a list")]
    shell = {k: v for k, v in doc.items() if k != "entry"}
    try:
        validate({**shell, "entry": [{k: v for k, v in e.items() if k != "resource"}
                                     for e in entries if isinstance(e, dict)]})
    except ValueError as e:
        return [_error(doc.get("id") or f"resource-{n}", "invalid_fhir", str(e))]
    index: dict[str, dict] = {}
    for e in entries:
        res = e.get("resource") if isinstance(e, dict) else None
        if not isinstance(res, dict):
            continue
        for key in _keys(e.get("fullUrl"), res):
            index[key] = res
    out = []
    for e in entries:
        res = e.get("resource") if isinstance(e, dict) else None
        if isinstance(res, dict) and res.get("resourceType") == "DiagnosticReport":
            out.append(_report(res, index, n + len(out)))
    if not out:
        return [_error(doc.get("id") or f"resource-{n}", "missing_text", "Bundle holds no DiagnosticReport")]
    return out


def _keys(full_url: str | None, res: dict) -> list[str]:
    """The references an entry answers to: its fullUrl and ``Type/id``."""
    keys = [full_url] if full_url else []
    if res.get("id") and res.get("resourceType"):
        keys.append(f"{res['resourceType']}/{res['id']}")
    return keys


def _report(raw: dict, index: dict, n: int) -> dict:
    accession = _accession(raw)
    rid = accession or raw.get("id") or f"report-{n}"
    try:
        dr = validate(raw)
    except ValueError as e:
        return _error(str(rid), "invalid_fhir", str(e))
    contained = {f"#{c.id}": c for c in (dr.contained or []) if getattr(c, "id", None)}
    ordered, order_error = _ordered(dr, contained, index)
    text = report_text(dr)
    if dr.id:
        report = {"reference": f"DiagnosticReport/{dr.id}"}
    elif accession:  # a Bundle-local fullUrl would dangle in the Claim Bundle: name the accession
        report = {"type": "DiagnosticReport",
                  "identifier": {"type": {"coding": [{"system": V2_0203, "code": "ACSN"}]}, "value": accession}}
    else:
        report = None
    ctx = {
        "report": report,
        "subject": _ref(raw.get("subject"), index),
        "encounter": _ref(raw.get("encounter"), index),
        "performer": _ref(((raw.get("resultsInterpreter") or []) + (raw.get("performer") or []) or [None])[0],
                          index),
        "issued": raw.get("issued"),
    }
    rec = {"id": str(rid), "text": text, "ordered": ordered, "fhir": ctx}
    if order_error:
        rec["fhir"]["order_error"] = order_error
    if not text:
        rec.pop("text")
        rec["error"] = {"type": "missing_text",
                        "message": f"DiagnosticReport {dr.id or rid}: no report text (no presentedForm with "
                                   f"inline text/plain or text/html data, and no conclusion)"}
    return rec


def _accession(raw: dict) -> str | None:
    for ident in raw.get("identifier") or []:
        if not isinstance(ident, dict):
            continue
        codings = ((ident.get("type") or {}).get("coding") or [])
        if any(c.get("code") == "ACSN" and c.get("system", V2_0203) == V2_0203 for c in codings
               if isinstance(c, dict)) and ident.get("value"):
            return str(ident["value"])
    return None


def _ref(ref, index: dict) -> dict | None:
    """A reference copied for the Claim; a ``urn:uuid:`` one is rewritten to ``Type/id`` when the
    Bundle tells the id, since the Claim Bundle does not carry the referenced resource."""
    if not isinstance(ref, dict) or not (ref.get("reference") or ref.get("identifier") or ref.get("display")):
        return None
    out = {k: v for k, v in ref.items() if k in ("reference", "type", "identifier", "display")}
    target = index.get(ref.get("reference") or "")
    if target and target.get("id") and str(ref.get("reference", "")).startswith("urn:"):
        out["reference"] = f"{target['resourceType']}/{target['id']}"
    return out


def _ordered(dr, contained: dict, index: dict) -> tuple[str | None, str | None]:
    codes: list[str] = []
    texts: list[str] = []
    missing = []
    for ref in dr.basedOn or []:
        key = ref.reference or ""
        sr = contained.get(key)
        if sr is None and key in index:
            try:
                sr = validate(index[key])
            except ValueError as e:
                missing.append(str(e))
                continue
        if sr is None or sr.get_resource_type() != "ServiceRequest":
            missing.append(f"basedOn {key or ref.display or '?'} is not a ServiceRequest in the resource or Bundle")
            continue
        code = sr.code
        if code is None:
            continue
        found = next((c.code.strip() for c in code.coding or [] if c.code and _CODE_RX.match(c.code.strip())
                      and (c.system == CPT_SYSTEM or c.system in HCPCS_SYSTEMS)), None)
        if found:
            codes.append(found)
        text = code.text or next((c.display for c in code.coding or [] if c.display), None)
        if text:
            texts.append(text.strip())
    note = "; ".join(missing) or None
    if len(codes) == 1 and len(dr.basedOn or []) == 1:
        return codes[0], note
    return ("\n".join(dict.fromkeys(texts)) or (codes[0] if len(codes) == 1 else None)), note


def report_text(dr) -> str | None:
    """The report text of a validated DiagnosticReport (see the module doc)."""
    plain, html = [], []
    for att in dr.presentedForm or []:
        if att.data is None:
            continue  # a url only: fetching it is the caller's business
        ctype = (att.contentType or "text/plain").lower()
        mime = ctype.split(";")[0].strip()
        m = re.search(r"charset\s*=\s*\"?([\w.:-]+)", ctype)
        data = att.data if isinstance(att.data, bytes) else str(att.data).encode()
        try:
            body = data.decode(m.group(1) if m else "utf-8")
        except (LookupError, UnicodeDecodeError):
            body = data.decode("latin-1")
        if body.startswith("\ufeff"):
            body = body[1:]
        if mime == "text/plain":
            plain.append(body)
        elif mime in ("text/html", "application/xhtml+xml"):
            html.append(html_to_text(body))
    parts = [p.strip() for p in (plain or html) if p.strip()]
    if parts:
        return "\n\n".join(parts)
    return dr.conclusion.strip() if dr.conclusion and dr.conclusion.strip() else None


class _Text(HTMLParser):
    BLOCK = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK and tag not in ("br", "hr"):
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_to_text(html: str) -> str:
    p = _Text()
    p.feed(html)
    p.close()
    lines = [re.sub(r"[ \t\xa0]+", " ", ln).strip() for ln in "".join(p.out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _error(rid: str, kind: str, message: str) -> dict:
    return {"id": rid, "error": {"type": kind, "message": message}}


# ---------------------------------------------------------------------- writing


def product_coding(code: str, label: str | None = None) -> dict:
    coding = {"system": CPT_SYSTEM if code[:1].isdigit() else HCPCS_SYSTEM, "code": code}
    if label:
        coding["display"] = label
    return coding


def modifier_coding(mod: str) -> dict:
    """CPT modifiers are two digits (26, 50, 59...); HCPCS Level II ones have letters (TC, RT, XS)."""
    return {"system": CPT_SYSTEM if mod.isdigit() else HCPCS_SYSTEM, "code": mod}


def _absent(reason: str = "unknown") -> dict:
    return {"extension": [{"url": DATA_ABSENT, "valueCode": reason}]}


def claim_items(record: dict) -> list[dict]:
    """``Claim.item`` for each code line of an output record, each validated as a ClaimItem."""
    require("fhir.resources.R4B.claim", "fhir")
    from fhir.resources.R4B.claim import ClaimItem

    items = []
    for n, line in enumerate(record.get("codes", []), 1):
        ext = [{"url": EXT_EVIDENCE, "extension": [
            {"url": "text", "valueString": ev["text"]},
            {"url": "section", "valueString": ev["section"]},
            {"url": "start", "valueInteger": ev["start"]},
            {"url": "end", "valueInteger": ev["end"]},
        ]} for ev in line.get("evidence", [])]
        ext.append({"url": EXT_CONFIDENCE, "valueDecimal": line["confidence"]})
        ext.append({"url": EXT_X12, "valueString": sv1_composite(line["code"], line.get("modifiers", ()))})
        item = {
            "extension": ext,
            "sequence": n,
            "productOrService": {"coding": [product_coding(line["code"], line.get("label"))]},
            "quantity": {"value": line.get("units", 1)},
        }
        if line.get("modifiers"):
            item["modifier"] = [{"coding": [modifier_coding(m)]} for m in line["modifiers"]]
        ClaimItem.model_validate(item)
        items.append(item)
    return items


def claim_bundle(record: dict, source: dict | None = None, *, created: str | None = None) -> dict:
    """A collection Bundle with one draft Claim for an output record (validated).

    ``source`` is the input record from :func:`read_fhir`: its patient, interpreter and
    report become ``Claim.patient``, ``Claim.provider`` and ``Claim.supportingInfo``.
    """
    if record.get("status") != "ok":
        raise ValueError(f"record {record.get('id')!r} is an error record: write it with operation_outcome")
    ctx = (source or {}).get("fhir") or {}
    rid = str(record.get("id") or "report")
    claim_id = _ID_RX.sub("-", f"suggested-{rid}")[:64]
    ext = [{"url": EXT_NEEDS_REVIEW, "valueBoolean": bool(record.get("needs_review"))},
           *({"url": EXT_REVIEW_REASON, "valueString": r} for r in record.get("review_reasons", [])),
           {"url": EXT_CONFIDENCE, "valueDecimal": record.get("confidence", 0.0)},
           *({"url": EXT_VERSION, "valueString": f"{k} {v}"} for k, v in record.get("versions", {}).items())]
    claim = {
        "resourceType": "Claim",
        "id": claim_id,
        "extension": ext,
        "status": "draft",
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
        "use": "claim",
        "patient": ctx.get("subject") or _absent(),
        "created": created or date.today().isoformat(),
        "provider": ctx.get("performer") or _absent(),
        "priority": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/processpriority",
                                 "code": "normal"}]},
        "insurance": [{"sequence": 1, "focal": True, "coverage": _absent()}],
        "item": claim_items(record),
    }
    if ctx.get("encounter"):
        for item in claim["item"]:
            item["encounter"] = [ctx["encounter"]]
    if ctx.get("report"):
        claim["supportingInfo"] = [{
            "sequence": 1,
            "category": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claiminformationcategory",
                                     "code": "info"}]},
            "valueReference": ctx["report"],
        }]
    if not claim["item"]:
        del claim["item"]
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{uuid.uuid5(_UUID_NS, rid)}", "resource": claim}],
    }
    validate(bundle)
    return bundle


def operation_outcome(record: dict) -> dict:
    """An OperationOutcome for an error record."""
    err = record.get("error") or {"type": "error", "message": "error"}
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": _OUTCOME_CODE.get(err["type"], "processing"),
                   "details": {"text": err["message"]},
                   "diagnostics": f"{record.get('id')}: {err['type']}"}],
    }
