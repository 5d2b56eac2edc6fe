"""FHIR R4: DiagnosticReport / Bundle in (hand-written resources with vendor quirks), Claim out."""

import base64
import io
import json
import re
from pathlib import Path

import pytest

from suggester.cli import main
from suggester.integrations import format_record
from suggester.integrations.fhir import (
    CPT_SYSTEM,
    HCPCS_SYSTEM,
    claim_bundle,
    claim_items,
    operation_outcome,
    read_fhir,
    validate,
)
from suggester.io import detect_format

DATA = Path(__file__).parent / "data" / "fhir"
EXT = "https://suggester.dev/fhir/StructureDefinition/"
ABSENT = {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "unknown"}]}


def read(name: str) -> list[dict]:
    with open(DATA / name, "rb") as fh:
        return list(read_fhir(fh))


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def report(**kw) -> dict:
    return {"resourceType": "DiagnosticReport", "status": "final", "code": {"text": "imaging"}, **kw}


def evidence_ext(ev: dict) -> dict:
    return {"url": EXT + "evidence", "extension": [
        {"url": "text", "valueString": ev["text"]}, {"url": "section", "valueString": ev["section"]},
        {"url": "start", "valueInteger": ev["start"]}, {"url": "end", "valueInteger": ev["end"]}]}


# ---------------------------------------------------------------------- reading


def test_report_with_contained_order():
    """text/plain presentedForm beside a PDF one; the order contained and coded in CPT and a
    local system; the accession among other identifiers."""
    (rec,) = read("shoulder_contained.fhir.json")
    assert rec == {
        "id": "ACC24031255",
        "text": "EXAM: XR RIGHT SHOULDER 2 VIEWS\nHISTORY: Rotator cuff pain. Café worker, lifting injury.\n"
                "TECHNIQUE: AP and axillary views of the right shoulder.\n"
                "FINDINGS: No fracture. Mild acromioclavicular degenerative change.\n"
                "IMPRESSION: No acute abnormality.",
        "ordered": "73030",
        "fhir": {"report": {"reference": "DiagnosticReport/rad-88120"},
                 "subject": {"reference": "Patient/pt-4471", "display": "Testpatient, Alex"},
                 "encounter": {"reference": "Encounter/enc-99812"},
                 "performer": {"reference": "Practitioner/pr-330", "display": "Franklin, Rosa MD"},
                 "issued": "2024-03-12T15:02:00-05:00", "effective": "2024-03-12T14:20:00-05:00",
                 "care_team": [{"reference": "Practitioner/pr-330", "display": "Franklin, Rosa MD"}]},
    }


def test_searchset_bundle():
    """Conclusion only; HTML in Latin-1 with urn:uuid references; an element R4 does not have;
    _include'd orders and patient; an OperationOutcome entry."""
    recs = read("searchset_bundle.fhir.json")
    assert [{k: r.get(k) for k in ("id", "text", "ordered", "error")} for r in recs] == [
        {"id": "rpt-2001", "text": "EXAM: CT HEAD WITHOUT CONTRAST\nIMPRESSION: No acute intracranial abnormality.",
         "ordered": "CT HEAD WO CONTRAST", "error": None},
        {"id": "ACC24031377",
         "text": "EXAM: MRI BRAIN WITHOUT CONTRAST\n\n"
                 "TECHNIQUE: Sagittal T1, axial T2, FLAIR and DWI. Contrast was not administered.\n\n"
                 "FINDINGS:\nNo acute infarct. No mass.\n\nIMPRESSION: Normal MRI of the brain.",
         "ordered": "70553", "error": None},
        {"id": "rpt-2003", "text": None, "ordered": None,
         "error": {"type": "invalid_fhir",
                   "message": "Bundle search-5521 entry 3: DiagnosticReport rpt-2003 is not valid FHIR R4: "
                              "reportStatus: Extra inputs are not permitted"}},
    ]
    # the urn:uuid subject becomes Patient/id (the Claim Bundle does not carry the Patient);
    # a report without an id is named by its accession
    assert recs[1]["fhir"]["subject"] == {"reference": "Patient/pt-2"}
    assert recs[1]["fhir"]["report"]["identifier"]["value"] == "ACC24031377"


def test_codes_for_every_report(sg_pro):
    got = {}
    for name in ("shoulder_contained.fhir.json", "searchset_bundle.fhir.json"):
        for n, rec in enumerate(read(name), 1):
            out = sg_pro.suggest_record(rec, n)
            got[out["id"]] = ([c["code"] + "".join("-" + m for m in c["modifiers"]) for c in out["codes"]],
                              [f["type"] for f in out["flags"]]) if out["status"] == "ok" else out["error"]["type"]
    assert got == {
        "ACC24031255": (["73030-26-RT"], []),
        "rpt-2001": (["70450-26"], []),
        # ordered 70553 (without then with), performed without: coded as performed, flagged
        "ACC24031377": (["70551-26"], ["performed_differs_from_ordered"]),
        "rpt-2003": "invalid_fhir",
    }


def test_ndjson_bulk_export():
    lines = [json.dumps(report(id="a", conclusion="CT HEAD WITHOUT CONTRAST")),
             "{not json",
             json.dumps({"resourceType": "Patient", "id": "p"}),
             json.dumps(report(id="b", presentedForm=[{"contentType": "text/plain", "data": b64("XR CHEST 2 VIEWS")}]))]
    recs = list(read_fhir("\n".join(lines).encode()))
    assert [(r["id"], r.get("text"), r.get("error", {}).get("type")) for r in recs] == [
        ("a", "CT HEAD WITHOUT CONTRAST", None),
        ("line-2", None, "invalid_json"),
        ("resource-3", None, "unsupported_resource"),
        ("b", "XR CHEST 2 VIEWS", None),
    ]


@pytest.mark.parametrize(("doc", "kind", "message"), [
    (b"{", "invalid_json", "not JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
    (json.dumps({"resourceType": "Observation", "status": "final"}).encode(), "unsupported_resource",
     "line 1: expected a DiagnosticReport or a Bundle, got resourceType 'Observation'"),
    (json.dumps([1, 2]).encode(), "unsupported_resource",
     "line 1: expected a DiagnosticReport or a Bundle, got a JSON list without resourceType"),
    (json.dumps({"resourceType": "Bundle", "type": "collection", "entry": []}).encode(), "missing_text",
     "line 1: Bundle holds no DiagnosticReport"),
    (json.dumps({"resourceType": "Bundle", "type": 7}).encode(), "invalid_fhir",
     "line 1: Bundle is not valid FHIR R4: type: Input should be a valid string"),
    (json.dumps(report(id="u", presentedForm=[{"contentType": "text/plain", "url": "Binary/1"}])).encode(),
     "missing_text", "DiagnosticReport u: no report text (no presentedForm with inline text/plain or text/html "
                     "data, and no conclusion)"),
])
def test_unusable_documents_become_error_records(sg_pro, doc, kind, message):
    (rec,) = read_fhir(doc)
    assert rec["error"] == {"type": kind, "message": message}
    assert sg_pro.suggest_record(rec)["status"] == "error"


def test_orders_unresolved_and_several():
    doc = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "urn:uuid:r1", "resource": report(conclusion="CT CHEST AND ABDOMEN", basedOn=[
            {"reference": "ServiceRequest/s1"}, {"reference": "ServiceRequest/s2"}])},
        {"fullUrl": "urn:uuid:r2", "resource": report(conclusion="CT HEAD", basedOn=[{"reference": "ServiceRequest/gone"}])},
        *({"resource": {"resourceType": "ServiceRequest", "id": sid, "status": "active", "intent": "order",
                        "subject": {"reference": "Patient/p"},
                        "code": {"coding": [{"system": CPT_SYSTEM, "code": code, "display": text}]}}}
          for sid, code, text in (("s1", "71260", "CT CHEST W"), ("s2", "74160", "CT ABDOMEN W")))]}
    several, gone = read_fhir(json.dumps(doc))
    assert several["ordered"] == "CT CHEST W\nCT ABDOMEN W"  # two orders: their texts, not one code
    assert gone["ordered"] is None
    assert gone["fhir"]["order_error"] == \
        "basedOn ServiceRequest/gone is not a ServiceRequest in the resource or Bundle"


# ---------------------------------------------------------------------- writing


def test_claim_bundle_exact(sg_pro):
    (rec,) = read("shoulder_contained.fhir.json")
    out = sg_pro.suggest_record(rec)
    (line,) = out["codes"]
    assert [e["text"] for e in line["evidence"]] == ["XR", "RIGHT", "SHOULDER", "AP", "axillary"]
    claim = {
        "resourceType": "Claim",
        "id": "suggested-ACC24031255",
        "extension": [{"url": EXT + "needs-review", "valueBoolean": out["needs_review"]},
                      *({"url": EXT + "review-reason", "valueString": r} for r in out["review_reasons"]),
                      {"url": EXT + "confidence", "valueDecimal": out["confidence"]},
                      *({"url": EXT + "version", "valueString": f"{k} {v}"} for k, v in out["versions"].items())],
        "status": "draft",
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
        "use": "claim",
        "patient": {"reference": "Patient/pt-4471", "display": "Testpatient, Alex"},
        "created": "2024-03-12",
        "provider": {"reference": "Practitioner/pr-330", "display": "Franklin, Rosa MD"},
        "priority": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/processpriority", "code": "normal"}]},
        "insurance": [{"sequence": 1, "focal": True, "coverage": ABSENT}],
        "item": [{
            "extension": [*(evidence_ext(ev) for ev in line["evidence"]),
                          {"url": EXT + "confidence", "valueDecimal": line["confidence"]}],
            "sequence": 1,
            "productOrService": {"coding": [{"system": CPT_SYSTEM, "code": "73030",
                                             "display": "Radiograph shoulder complete (2 or more views)"}]},
            "quantity": {"value": 1},
            "careTeamSequence": [1],
            "modifier": [{"coding": [{"system": CPT_SYSTEM, "code": "26"}]},
                         {"coding": [{"system": HCPCS_SYSTEM, "code": "RT"}]}],
            "servicedDate": "2024-03-12",  # effectiveDateTime's date, as written (no UTC shift)
            "encounter": [{"reference": "Encounter/enc-99812"}],
        }],
        "careTeam": [{"sequence": 1, "provider": {"reference": "Practitioner/pr-330", "display": "Franklin, Rosa MD"},
                      "role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claimcareteamrole",
                                           "code": "primary"}]}}],
        "supportingInfo": [{"sequence": 1, "category": {"coding": [
            {"system": "http://terminology.hl7.org/CodeSystem/claiminformationcategory", "code": "info"}]},
            "valueReference": {"reference": "DiagnosticReport/rad-88120"}}],
    }
    assert claim_bundle(out, rec, created="2024-03-12") == {
        "resourceType": "Bundle", "type": "collection",
        "entry": [{"fullUrl": "urn:uuid:18d48e5d-9042-5152-ada1-2e3d4530ee16", "resource": claim}],
    }


def test_claim_without_fhir_source_is_valid(sg_pro):
    out = sg_pro.suggest("EXAM: XR BILATERAL KNEES 3 VIEWS EACH", id="j 1/2", payer="commercial", billing="technical")
    bundle = claim_bundle(out, None, created="2024-01-01")
    validate(bundle)  # and it is FHIR
    claim = bundle["entry"][0]["resource"]
    assert claim["id"] == "suggested-j-1-2"
    assert claim["type"]["coding"][0]["code"] == "institutional"  # the technical component: the facility's claim
    assert all("servicedDate" not in i and "careTeamSequence" not in i for i in claim["item"])
    assert claim["patient"] == ABSENT and claim["provider"] == ABSENT and "supportingInfo" not in claim
    assert [[m["coding"][0]["code"] for m in i["modifier"]] for i in claim["item"]] == [["TC", "RT"], ["TC", "LT"]]
    assert {m["coding"][0]["system"] for i in claim["item"] for m in i["modifier"]} == {HCPCS_SYSTEM}


def test_claim_items_level_ii_code_uses_hcpcs_system():
    rec = {"status": "ok", "codes": [{"code": "G0279", "modifiers": ["26", "50"], "units": 2, "confidence": 0.5,
                                      "label": "DBT diagnostic", "evidence": []}]}
    (item,) = claim_items(rec)
    assert item["productOrService"]["coding"] == [{"system": HCPCS_SYSTEM, "code": "G0279", "display": "DBT diagnostic"}]
    assert [m["coding"][0] for m in item["modifier"]] == [{"system": CPT_SYSTEM, "code": "26"},
                                                          {"system": CPT_SYSTEM, "code": "50"}]
    assert item["quantity"] == {"value": 2}
    assert item["extension"] == [{"url": EXT + "confidence", "valueDecimal": 0.5}]
    assert HCPCS_SYSTEM == "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"


def test_error_records_become_operation_outcomes(sg_pro):
    recs = read("searchset_bundle.fhir.json")
    outs = [sg_pro.suggest_record(r, n) for n, r in enumerate(recs, 1)]
    lines = "".join(format_record(o, "fhir", r) for o, r in zip(outs, recs, strict=True)).splitlines()
    docs = [json.loads(line) for line in lines]
    assert [d["resourceType"] for d in docs] == ["Bundle", "Bundle", "OperationOutcome"]
    assert docs[2] == operation_outcome(outs[2]) == {"resourceType": "OperationOutcome", "issue": [{
        "severity": "error", "code": "invalid",
        "details": {"text": "Bundle search-5521 entry 3: DiagnosticReport rpt-2003 is not valid FHIR R4: "
                            "reportStatus: Extra inputs are not permitted"},
        "diagnostics": "rpt-2003: invalid_fhir"}]}
    for d in docs:
        validate(d)
    with pytest.raises(ValueError, match="error record"):
        claim_bundle(outs[2])


# ---------------------------------------------------------------------- file and CLI


def test_cli_codes_a_fhir_file(tmp_path):
    assert detect_format(str(DATA / "searchset_bundle.fhir.json")) == "fhir"
    out = tmp_path / "out.jsonl"
    rc = main(["code", str(DATA / "searchset_bundle.fhir.json"), "-o", str(out), "--workers", "1", "-q"])
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    assert rc == 1
    assert [(r["id"], r["status"]) for r in recs] == [("rpt-2001", "ok"), ("ACC24031377", "ok"), ("rpt-2003", "error")]


# ---------------------------------------------------------------------- report status


@pytest.mark.parametrize(("status", "passed_on"), [
    ("final", None), ("amended", None), ("corrected", None), ("appended", None),
    ("preliminary", "preliminary"), ("partial", "partial"), ("registered", "registered"), ("unknown", "unknown"),
])
def test_status_coded_or_flagged(sg_pro, status, passed_on):
    (rec,) = read_fhir(json.dumps(report(id="s1", status=status, conclusion="XR CHEST 2 VIEWS")))
    assert rec.get("report_status") == passed_on
    out = sg_pro.suggest_record(rec)
    assert [c["code"] for c in out["codes"]] == ["71046"]
    flags = [f for f in out["flags"] if f["type"] == "report_not_final"]
    if passed_on:
        assert flags == [{"type": "report_not_final", "report_status": status, "evidence": [],
                          "message": f"the report's status is {status!r}, not final: code again from the final report"}]
        assert out["needs_review"] is True and "report_not_final" in out["review_reasons"]
    else:
        assert flags == []


@pytest.mark.parametrize("status", ["entered-in-error", "cancelled"])
def test_void_report_is_a_report_status_error(sg_pro, status):
    (rec,) = read_fhir(json.dumps(report(id="v1", status=status, conclusion="XR CHEST 2 VIEWS")))
    assert rec == {"id": "v1", "error": {"type": "report_status",
                                         "message": f"DiagnosticReport v1: status {status}: not coded"}}
    out = sg_pro.suggest_record(rec)
    assert out["status"] == "error"
    assert operation_outcome(out)["issue"][0]["code"] == "business-rule"


# ---------------------------------------------------------------------- malformed input


def _nested(depth: int) -> str:
    return ('{"resourceType": "DiagnosticReport", "id": "deep", "status": "final", "conclusion": "CT HEAD", '
            '"code": {"text": "x", "extension": [' + '{"url": "http://x", "extension": [' * depth
            + '{"url": "http://y", "valueString": "z"}' + ']}' * depth + ']}}')


@pytest.mark.parametrize(("doc", "want"), [
    # a charset that is no text encoding, or that cannot decode the data: UTF-8 is used
    (json.dumps(report(id="a", presentedForm=[{"contentType": "text/plain; charset=undefined",
                                                "data": b64("CT HEAD")}])), [("a", "CT HEAD", None)]),
    (json.dumps(report(id="b", presentedForm=[{"contentType": "text/plain; charset=punycode",
                                                "data": b64("CT HEAD ü")}])), [("b", "CT HEAD ü", None)]),
    (json.dumps(report(id="c", presentedForm=[{"contentType": "text/plain; charset=zlib",
                                                "data": b64("CT HEAD")}])), [("c", "CT HEAD", None)]),
    (json.dumps(report(id="d", presentedForm=[{"contentType": "text/plain; charset=latin-1",
                                                "data": base64.b64encode("CT HEAD é".encode("latin-1")).decode()}])),
     [("d", "CT HEAD é", None)]),
    # a Bundle entry without a resource is skipped; one without any report is one error
    (json.dumps({"resourceType": "Bundle", "id": "b1", "type": "collection",
                 "entry": [{"fullUrl": "urn:uuid:1"}, {"resource": report(id="e", conclusion="CT HEAD")}]}),
     [("e", "CT HEAD", None)]),
    (json.dumps({"resourceType": "Bundle", "id": "b2", "type": "collection", "entry": [{"fullUrl": "urn:uuid:1"}]}),
     [("b2", None, ("missing_text", "line 1: Bundle holds no DiagnosticReport"))]),
    (json.dumps({"resourceType": "Bundle", "id": "b3", "type": "collection", "entry": [{"resource": [1]}, 5]}),
     [("b3", None, ("missing_text", "line 1: Bundle holds no DiagnosticReport"))]),
    # nesting deeper than the JSON reader goes, and deeper than the validator goes
    ("[" * 100_000 + "]" * 100_000, [("resource-1", None, ("invalid_json", "not JSON: nested too deeply to read"))]),
    (_nested(300), [("deep", None, ("invalid_fhir", "DiagnosticReport is not valid FHIR R4: maximum recursion "
                                                     "depth exceeded"))]),
])
def test_malformed_resources_never_raise(sg_pro, doc, want):
    recs = list(read_fhir(doc))
    got = [(r["id"], r.get("text"), (r["error"]["type"], r["error"]["message"]) if "error" in r else None)
           for r in recs]
    assert got == want
    assert len([sg_pro.suggest_record(r, n) for n, r in enumerate(recs, 1)]) == len(want)


def test_byte_order_marks_the_file_s_or_a_line_of_its_own():
    """The file's BOM is no record; a line that is only a BOM further down is one error record
    (found by the fuzz run: it used to vanish like a blank line)."""
    bom = b"\xef\xbb\xbf"
    line = json.dumps(report(id="a", conclusion="CT HEAD")).encode()
    assert list(read_fhir(bom)) == []
    assert [r["id"] for r in read_fhir(bom + line + b"\n\n")] == ["a"]
    recs = list(read_fhir(bom + line + b"\n" + bom + b"\n" + line.replace(b'"a"', b'"b"')))
    assert [(r["id"], r.get("error", {}).get("type")) for r in recs] == [("a", None), ("line-2", "invalid_json"),
                                                                          ("b", None)]


def test_ndjson_is_streamed():
    """The first record comes out before the rest of the file is read."""
    line = json.dumps(report(id="x", conclusion="CT HEAD")).encode() + b"\n"

    class Counting(io.BytesIO):
        def readline(self, size=-1):
            self.reads = getattr(self, "reads", 0) + 1
            return super().readline(size)

    fh = Counting(line * 1000)
    it = read_fhir(fh)
    assert next(it)["id"] == "x"
    assert fh.tell() == len(line)
    assert sum(1 for _ in it) == 999


# ---------------------------------------------------------------------- Claim content


def test_claim_diagnoses_care_team_and_billing_provider(sg_pro):
    """ServiceRequest.reasonCode in ICD-10-CM -> Claim.diagnosis; interpreter -> careTeam;
    an Organization performer -> provider; effectivePeriod.start -> servicedDate."""
    sr = {"resourceType": "ServiceRequest", "id": "o1", "status": "completed", "intent": "order",
          "subject": {"reference": "Patient/p1"}, "code": {"text": "CT HEAD WO"},
          "reasonCode": [{"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "R51.9",
                                      "display": "Headache"}]}, {"text": "uncoded reason"}]}
    dr = report(id="r9", contained=[sr], basedOn=[{"reference": "#o1"}], subject={"reference": "Patient/p1"},
                effectivePeriod={"start": "2024-03-11T23:50:00-05:00"}, issued="2024-03-12T08:00:00Z",
                resultsInterpreter=[{"reference": "Practitioner/pr1"}],
                performer=[{"reference": "Organization/rad-group"}], conclusion="CT HEAD WITHOUT CONTRAST")
    (rec,) = read_fhir(json.dumps(dr))
    out = sg_pro.suggest_record(rec)
    claim = claim_bundle(out, rec, created="2024-03-12")["entry"][0]["resource"]
    assert claim["diagnosis"] == [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [
        {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "R51.9", "display": "Headache"}]}}]
    assert claim["careTeam"][0]["provider"] == {"reference": "Practitioner/pr1"}
    assert claim["provider"] == {"reference": "Organization/rad-group"}
    (item,) = claim["item"]
    assert (item["servicedDate"], item["careTeamSequence"], item["diagnosisSequence"]) == ("2024-03-11", [1], [1])


def test_no_unpublished_urls_in_a_claim(sg_pro):
    (rec,) = read("shoulder_contained.fhir.json")
    out = sg_pro.suggest_record(rec)
    text = json.dumps(claim_bundle(out, rec))
    assert "urn:suggester" not in text and "urn:oid:2.16.840.1.113883.6.285" not in text
    urls = set(re.findall(r'"(?:url|system)": "([^"]+)"', text))
    # a released report (the shipped release points) has no review reason to carry
    reasons = ("review-reason",) if out["review_reasons"] else ()
    assert {u for u in urls if not u.startswith(("http://hl7.org/", "http://terminology.hl7.org/"))} == {
        CPT_SYSTEM, HCPCS_SYSTEM, *(EXT + n for n in ("evidence", "confidence", "needs-review", *reasons, "version")),
        "text", "section", "start", "end"}


def test_cli_format_fhir_validates_every_line(tmp_path):
    out = tmp_path / "claims.ndjson"
    rc = main(["code", str(DATA / "searchset_bundle.fhir.json"), "--format", "fhir", "-o", str(out),
               "--workers", "1", "-q", "--billing", "technical"])
    assert rc == 1
    docs = [json.loads(line) for line in out.read_text().splitlines()]
    assert [d["resourceType"] for d in docs] == ["Bundle", "Bundle", "OperationOutcome"]
    for d in docs:
        validate(d)
    claims = [d["entry"][0]["resource"] for d in docs[:2]]
    assert [c["type"]["coding"][0]["code"] for c in claims] == ["institutional", "institutional"]
    assert [[m["coding"][0]["code"] for m in c["item"][0]["modifier"]] for c in claims] == [["TC"], ["TC"]]
