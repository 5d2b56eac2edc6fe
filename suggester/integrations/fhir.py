"""FHIR R4: DiagnosticReport in, a Claim Bundle out, validated with fhir.resources.

fhir.resources ships R4B (4.3) models beside its default R5; DiagnosticReport, ServiceRequest,
Claim and Bundle are the same in R4 (4.0.1) and R4B for every element used here, so the R4B
models validate R4 resources.

Reading (:func:`read_fhir`): a JSON DiagnosticReport, a Bundle of any type holding
DiagnosticReports (other entries are used only to resolve references), or NDJSON of either (a
bulk export, read line by line: memory holds one line). Per report:

* text: the ``presentedForm`` attachments with inline ``data`` (base64), ``text/plain``
  preferred, ``text/html`` turned into text, the charset taken from ``contentType`` (an unknown
  or non-text charset falls back to UTF-8, else Latin-1); else ``conclusion``;
* ordered: ``basedOn`` -> the ServiceRequest (``#contained``, a Bundle ``fullUrl`` or
  ``ServiceRequest/id``) -> its ``code``: the CPT/HCPCS coding, else its text;
* id: the ``identifier`` of type ACSN (accession), else the resource id;
* status: ``final``, ``amended``, ``corrected``, ``appended`` are coded; ``entered-in-error`` and
  ``cancelled`` become error records of type ``report_status``; any other status
  (``preliminary``, ``partial``, ``registered``, ``unknown``) is passed on as ``report_status``,
  and the output carries the flag ``report_not_final``.

Nothing in the input makes the reader raise: every resource (or NDJSON line) that cannot be
read becomes one error record naming where it is (``line 3``, ``Bundle b1 entry 2``).

Writing: :func:`claim_items` (``Claim.item`` list) and :func:`claim_bundle` (a collection
Bundle holding one draft Claim). ``Claim.type`` follows the billing setting (``technical`` ->
institutional, else professional); each item has ``productOrService`` (CPT system, HCPCS for
level II codes), ``modifier`` (CPT modifiers in the CPT system, level II modifiers such as TC,
RT, LT in the HCPCS one), ``quantity``, ``servicedDate`` (the report's ``effective[x]``, else
``issued``), ``careTeamSequence`` and ``diagnosisSequence``; the confidence, evidence and review
state travel in the extensions defined under ``EXT_BASE`` (docs/integrations.md). What the
report cannot tell (coverage, and the patient and provider when the source has none) carries
the data-absent-reason extension.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import uuid
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from typing import IO, Any

from ..lines import decode as _decode
from ..lines import iter_lines
from .common import require, service_date

CPT_SYSTEM = "http://www.ama-assn.org/go/cpt"
# HCPCS Level II: the canonical URL of HL7 terminology (OID 2.16.840.1.113883.6.285)
HCPCS_SYSTEM = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
HCPCS_SYSTEMS = frozenset({HCPCS_SYSTEM, "urn:oid:2.16.840.1.113883.6.285",
                           "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"})
ICD10_SYSTEMS = frozenset({"http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10"})
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
CARE_TEAM_ROLE = "http://terminology.hl7.org/CodeSystem/claimcareteamrole"
# the project's extensions (defined in docs/integrations.md)
EXT_BASE = "https://suggester.dev/fhir/StructureDefinition/"
EXT_EVIDENCE = EXT_BASE + "evidence"
EXT_CONFIDENCE = EXT_BASE + "confidence"
EXT_NEEDS_REVIEW = EXT_BASE + "needs-review"
EXT_REVIEW_REASON = EXT_BASE + "review-reason"
EXT_VERSION = EXT_BASE + "version"
CODED_STATUS = frozenset({"final", "amended", "corrected", "appended"})
VOID_STATUS = frozenset({"entered-in-error", "cancelled"})
MAX_DOCUMENT_BYTES = 256_000_000  # a (pretty-printed) JSON document read whole; NDJSON is streamed
_UUID_NS = uuid.UUID("6f1f3f3e-1d7a-5c1e-9d7e-2f4c6b1a9e01")
_ID_RX = re.compile(r"[^A-Za-z0-9\-.]")
_CODE_RX = re.compile(r"^(\d{4}[0-9FT]|[A-V]\d{4})$")
_DATE_RX = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_OUTCOME_CODE = {"invalid_json": "invalid", "invalid_fhir": "invalid", "unsupported_resource": "not-supported",
                 "missing_text": "required", "empty_text": "required", "report_status": "business-rule"}


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
    """One input record per DiagnosticReport in a JSON resource, a Bundle, or NDJSON of them.

    NDJSON (the first line is a whole JSON document) is read line by line; otherwise the file is
    one JSON document (at most ``MAX_DOCUMENT_BYTES``). Never raises for the content.
    """
    require("fhir.resources.R4B", "fhir")  # fail for the missing extra, not per resource
    if isinstance(fh, str):
        fh = fh.encode("utf-8", "surrogatepass")
    if isinstance(fh, bytes):
        fh = io.BytesIO(fh)
    lines = iter_lines(fh, MAX_DOCUMENT_BYTES)
    for lineno, raw in enumerate(lines, 1):
        if raw is None:
            yield _too_long(lineno)
            continue
        text = _decode(raw)[0]
        if _blank(raw, text, lineno):
            continue
        doc, err = _loads(text)
        if err is None:  # NDJSON (or a document on one line): one line at a time
            yield from _records(doc, lineno, f"line {lineno}")
            for k, ln in enumerate(lines, lineno + 1):
                yield from [_too_long(k)] if ln is None else _line(ln, k)
            return
        # a pretty-printed document: read it whole
        whole = raw + fh.read(MAX_DOCUMENT_BYTES + 1 - len(raw))
        if len(whole) > MAX_DOCUMENT_BYTES:
            yield _error("resource-1", "invalid_json", f"the JSON document is larger than {MAX_DOCUMENT_BYTES} "
                                                       f"bytes; write it as NDJSON (one resource a line)")
            return
        doc, err_whole = _loads(_decode(whole)[0])
        if err_whole is None:
            yield from _records(doc, 1, "resource 1")
            return
        rest = whole.split(b"\n")[1:]
        second = next((ln for ln in rest if ln.strip()), None)
        if second is not None and _loads(_decode(second)[0])[1] is None:  # NDJSON whose first line is broken
            yield _error(f"line-{lineno}", "invalid_json", f"line {lineno}: {err}")
            for k, ln in enumerate(rest, lineno + 1):
                yield from _line(ln, k)
            return
        yield _error("resource-1", "invalid_json", f"not JSON: {err_whole}")
        return


def _blank(raw: bytes, text: str, lineno: int) -> bool:
    """A line of nothing but spaces, tabs and line ends, after the file's byte order mark; a line
    that is only a byte order mark further down is not blank (one error record)."""
    if text.strip(" \t\r\n"):
        return False
    return not (raw[3:] if lineno == 1 and raw.startswith(codecs.BOM_UTF8) else raw).strip(b" \t\r\n")


def _too_long(lineno: int) -> dict:
    return _error(f"line-{lineno}", "invalid_json", f"line {lineno}: longer than {MAX_DOCUMENT_BYTES} bytes; not read")


def _line(raw: bytes, lineno: int) -> list[dict]:
    text = _decode(raw)[0]
    if _blank(raw, text, lineno):
        return []
    doc, err = _loads(text)
    if err is not None:
        return [_error(f"line-{lineno}", "invalid_json", f"line {lineno}: {err}")]
    return _records(doc, lineno, f"line {lineno}")


def _loads(text: str):
    """``(document, None)`` or ``(None, a short reason)``; never raises."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as e:
        return None, f"{e.msg} at line {e.lineno} column {e.colno}"
    except RecursionError:
        return None, "nested too deeply to read"
    except ValueError as e:  # an integer too long
        return None, f"{type(e).__name__}: {str(e)[:120]}"


def _records(doc, n: int, where: str) -> list[dict]:
    try:
        return records_from_json(doc, n, where)
    except Exception as e:  # noqa: BLE001  (a reader never raises: one error record)
        return [_error(f"resource-{n}", "invalid_fhir", f"{where}: cannot be read: {type(e).__name__}: "
                                                         f"{str(e)[:200]}")]


def records_from_json(doc, n: int = 1, where: str | None = None) -> list[dict]:
    """The input records of one parsed JSON document (a DiagnosticReport or a Bundle)."""
    where = where or f"resource {n}"
    rtype = doc.get("resourceType") if isinstance(doc, dict) else None
    if rtype == "DiagnosticReport":
        return [_safe_report(doc, {}, n, where)]
    if rtype == "Bundle":
        return _bundle(doc, n, where)
    what = f"resourceType {rtype!r}" if rtype else f"a JSON {type(doc).__name__} without resourceType"
    return [_error(f"resource-{n}", "unsupported_resource",
                   f"{where}: expected a DiagnosticReport or a Bundle, got {what}"[:300])]


def _bundle(doc: dict, n: int, where: str) -> list[dict]:
    bid = doc.get("id") if isinstance(doc.get("id"), str) else None
    entries = doc.get("entry") or []
    if not isinstance(entries, list):
        return [_error(bid or f"resource-{n}", "invalid_fhir", f"{where}: Bundle.entry must be a list")]
    shell = {k: v for k, v in doc.items() if k != "entry"}
    try:
        validate({**shell, "entry": [{k: v for k, v in e.items() if k != "resource"}
                                     for e in entries if isinstance(e, dict)]})
    except ValueError as e:
        return [_error(bid or f"resource-{n}", "invalid_fhir", f"{where}: {e}")]
    index: dict[str, dict] = {}
    for entry in entries:
        res = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(res, dict):
            for key in _keys(entry.get("fullUrl"), res):
                index[key] = res
    out: list[dict] = []
    name = f"Bundle {bid}" if bid else f"the Bundle of {where}"
    for k, entry in enumerate(entries, 1):
        res = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(res, dict) and res.get("resourceType") == "DiagnosticReport":
            out.append(_safe_report(res, index, n + len(out), f"{name} entry {k}"))
    if not out:
        return [_error(bid or f"resource-{n}", "missing_text", f"{where}: Bundle holds no DiagnosticReport")]
    return out


def _keys(full_url, res: dict) -> list[str]:
    """The references an entry answers to: its fullUrl and ``Type/id``."""
    keys = [full_url] if isinstance(full_url, str) and full_url else []
    if isinstance(res.get("id"), str) and isinstance(res.get("resourceType"), str):
        keys.append(f"{res['resourceType']}/{res['id']}")
    return keys


def _safe_report(raw: dict, index: dict, n: int, where: str) -> dict:
    try:
        return _report(raw, index, n, where)
    except Exception as e:  # noqa: BLE001  (a reader never raises: one error record)
        rid = given if isinstance(given := raw.get("id"), str) else f"report-{n}"
        return _error(rid, "invalid_fhir", f"{where}: cannot be read: {type(e).__name__}: {str(e)[:200]}")


def _report(raw: dict, index: dict, n: int, where: str) -> dict:
    accession = _accession(raw)
    rid = accession or (raw.get("id") if isinstance(raw.get("id"), str) else None) or f"report-{n}"
    try:
        dr = validate(raw)
    except ValueError as e:
        return _error(str(rid), "invalid_fhir", str(e) if where.startswith(("resource", "line")) else f"{where}: {e}")
    status = str(dr.status)
    if status in VOID_STATUS:
        return _error(str(rid), "report_status", f"DiagnosticReport {dr.id or rid}: status {status}: not coded")
    contained = {f"#{c.id}": c for c in (dr.contained or []) if getattr(c, "id", None)}
    ordered, order_error, orders = _ordered(dr, contained, index)
    text = report_text(dr)
    report: dict[str, Any] | None
    if dr.id:
        report = {"reference": f"DiagnosticReport/{dr.id}"}
    elif accession:  # a Bundle-local fullUrl would dangle in the Claim Bundle: name the accession
        report = {"type": "DiagnosticReport",
                  "identifier": {"type": {"coding": [{"system": V2_0203, "code": "ACSN"}]}, "value": accession}}
    else:
        report = None
    effective = raw.get("effectiveDateTime") or (raw.get("effectivePeriod") or {}).get("start")
    ctx: dict[str, Any] = {  # the record's "fhir" context (JSON)
        "report": report,
        "subject": _ref(raw.get("subject"), index),
        "encounter": _ref(raw.get("encounter"), index),
        "performer": _ref(((raw.get("resultsInterpreter") or []) + (raw.get("performer") or []) or [None])[0],
                          index),
        "issued": raw.get("issued"),
    }
    if effective:
        ctx["effective"] = effective
    interpreters = [r for r in (_ref(x, index) for x in raw.get("resultsInterpreter") or []) if r]
    performers = [r for r in (_ref(x, index) for x in raw.get("performer") or []) if r]
    if interpreters or performers:
        ctx["care_team"] = interpreters or performers
        org = next((p for p in performers if _ref_type(p) == "Organization"), None)
        if org:
            ctx["billing_provider"] = org
    diagnoses = [c.model_dump(mode="json", by_alias=True, exclude_none=True)
                 for sr in orders for c in (sr.reasonCode or [])
                 if any(cd.system in ICD10_SYSTEMS and cd.code for cd in c.coding or [])]
    if diagnoses:
        ctx["diagnoses"] = diagnoses
    rec: dict[str, Any] = {"id": str(rid), "text": text, "ordered": ordered, "fhir": ctx}
    if status not in CODED_STATUS:
        rec["report_status"] = status
    if order_error:
        rec["fhir"]["order_error"] = order_error
    if not text:
        rec.pop("text")
        rec["error"] = {"type": "missing_text",
                        "message": f"DiagnosticReport {dr.id or rid}: no report text (no presentedForm with "
                                   f"inline text/plain or text/html data, and no conclusion)"}
    return rec


def _ref_type(ref: dict) -> str | None:
    if ref.get("type"):
        return ref["type"]
    target = str(ref.get("reference") or "")
    return target.split("/")[-2] if target.count("/") >= 1 else None


def _accession(raw: dict) -> str | None:
    idents = raw.get("identifier")
    for ident in idents if isinstance(idents, list) else []:
        if not isinstance(ident, dict) or not isinstance(ident.get("type"), dict):
            continue
        codings = ident["type"].get("coding") or []
        if isinstance(codings, list) and any(
                isinstance(c, dict) and c.get("code") == "ACSN" and c.get("system", V2_0203) == V2_0203
                for c in codings) and isinstance(ident.get("value"), str) and ident["value"]:
            return ident["value"]
    return None


def _ref(ref, index: dict) -> dict | None:
    """A reference copied for the Claim; a ``urn:uuid:`` one is rewritten to ``Type/id`` when the
    Bundle tells the id, since the Claim Bundle does not carry the referenced resource."""
    if not isinstance(ref, dict) or not (ref.get("reference") or ref.get("identifier") or ref.get("display")):
        return None
    out = {k: v for k, v in ref.items() if k in ("reference", "type", "identifier", "display")}
    key = ref.get("reference")
    if isinstance(key, str) and key.startswith("urn:"):
        target = index.get(key)
        if target and isinstance(target.get("id"), str):
            out["reference"] = f"{target['resourceType']}/{target['id']}"
    return out


def _ordered(dr, contained: dict, index: dict) -> tuple[str | None, str | None, list]:
    codes: list[str] = []
    texts: list[str] = []
    missing = []
    orders = []
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
        orders.append(sr)
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
        return codes[0], note, orders
    return ("\n".join(dict.fromkeys(texts)) or (codes[0] if len(codes) == 1 else None)), note, orders


def decode_attachment(data: bytes, charset: str | None) -> str:
    """Attachment bytes as text in the named charset; an unknown, broken or non-text charset
    (``undefined``, ``base64``, ``zlib``...) or undecodable data falls back to UTF-8, else Latin-1."""
    if charset:
        try:
            info = codecs.lookup(charset)
            if getattr(info, "_is_text_encoding", True):
                body = info.decode(data)[0]
                if isinstance(body, str):
                    return body
        except Exception:  # noqa: BLE001  (LookupError, UnicodeError, TypeError...: the name lies)
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


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
        body = decode_attachment(data, m.group(1) if m else None)
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

    def __init__(self) -> None:
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


def claim_items(record: dict, *, serviced: str | None = None, care_team: int = 0,
                diagnoses: int = 0) -> list[dict]:
    """``Claim.item`` for each code line of an output record, each validated as a ClaimItem.

    ``serviced`` is the date of service (a FHIR date); ``care_team`` and ``diagnoses`` the number
    of ``Claim.careTeam`` / ``Claim.diagnosis`` entries every item points at.
    """
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
        item = {
            "extension": ext,
            "sequence": n,
            "productOrService": {"coding": [product_coding(line["code"], line.get("label"))]},
            "quantity": {"value": line.get("units", 1)},
        }
        if care_team:
            item["careTeamSequence"] = list(range(1, care_team + 1))
        if diagnoses:
            item["diagnosisSequence"] = list(range(1, min(diagnoses, 4) + 1))
        if line.get("modifiers"):
            item["modifier"] = [{"coding": [modifier_coding(m)]} for m in line["modifiers"]]
        if serviced:
            item["servicedDate"] = serviced
        ClaimItem.model_validate(item)
        items.append(item)
    return items


def fhir_date(value) -> str | None:
    """The date part of a FHIR date/dateTime or an HL7 DTM, as written (no time zone conversion)."""
    if not isinstance(value, str):
        return None
    full = re.match(r"(\d{4})-?(\d{2})-?(\d{2})", value)  # an ISO or an HL7 DTM date
    if full:
        return "-".join(full.groups())
    m = _DATE_RX.match(value)
    return m.group(0) if m else None


def claim_type(billing: str | None) -> str:
    """claim-type code of a billing setting: the technical component is the facility's
    (institutional) claim; professional and global are professional claims."""
    return "institutional" if billing == "technical" else "professional"


def claim_bundle(record: dict, source: dict | None = None, *, created: str | None = None) -> dict:
    """A collection Bundle with one draft Claim for an output record (validated).

    ``source`` is the input record from :func:`read_fhir`: its subject, interpreter/performer,
    encounter, dates, order reasons and report become ``Claim.patient``, ``careTeam`` and
    ``provider``, ``item.encounter``, ``item.servicedDate``, ``diagnosis`` and ``supportingInfo``.
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
    team = ctx.get("care_team") or []
    diagnoses = ctx.get("diagnoses") or []
    claim: dict[str, Any] = {
        "resourceType": "Claim",
        "id": claim_id,
        "extension": ext,
        "status": "draft",
        "type": {"coding": [{"system": CLAIM_TYPE, "code": claim_type(record.get("billing"))}]},
        "use": "claim",
        "patient": ctx.get("subject") or _absent(),
        "created": created or date.today().isoformat(),
        "provider": ctx.get("billing_provider") or ctx.get("performer") or _absent(),
        "priority": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/processpriority",
                                 "code": "normal"}]},
        "insurance": [{"sequence": 1, "focal": True, "coverage": _absent()}],
        "item": claim_items(record, serviced=fhir_date(service_date(source)),
                            care_team=len(team), diagnoses=len(diagnoses)),
    }
    if team:
        claim["careTeam"] = [{"sequence": k, "provider": ref,
                              "role": {"coding": [{"system": CARE_TEAM_ROLE, "code": "primary"}]}}
                             for k, ref in enumerate(team, 1)]
    if diagnoses:
        claim["diagnosis"] = [{"sequence": k, "diagnosisCodeableConcept": dx} for k, dx in enumerate(diagnoses, 1)]
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
