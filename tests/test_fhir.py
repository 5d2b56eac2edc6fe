"""FHIR R4: DiagnosticReport / Bundle in (hand-written resources with vendor quirks), Claim out."""

import base64
import json
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
