"""Issue 5: payer profiles, modifier rules, bundling, documentation gaps, performed vs ordered,
payment estimates, and the explanation of every modifier and flag.

Exact expected outputs throughout. The fee-schedule tests that need CMS numbers read
``../shared/data/pfs_rvu_radiology_2025.csv`` and skip when it is absent; the others use a tiny
table written by the test.
"""

from __future__ import annotations

import inspect
import json
import shutil
from pathlib import Path

import pytest
from conftest import codes
from hypothesis import given, settings
from hypothesis import strategies as st

from suggester import cli
from suggester.billing import (
    COLUMNS,
    FeeScheduleError,
    PaymentTotals,
    estimate,
    load_fee_schedule,
    price_record,
)
from suggester.explain import explain
from suggester.flags import FLAG_TYPES, bundling_flags
from suggester.lexicon import LexiconError, Payer, load_lexicon, load_payer, load_phrases
from suggester.mapping import Line, apply_rules
from suggester.modifiers import lines_for
from suggester.pipeline import SuggesterError
from suggester.resources import lexicon_dir

PFS = Path(__file__).resolve().parents[2] / "shared" / "data" / "pfs_rvu_radiology_2025.csv"
needs_pfs = pytest.mark.skipif(not PFS.is_file(), reason=f"{PFS} absent")
LEX = load_lexicon()
MEDICARE, COMMERCIAL = LEX.payers["medicare"], LEX.payers["commercial"]


def flags_of(rec, type_):
    return [f for f in rec["flags"] if f["type"] == type_]


def lines(rec):
    return [("-".join([c["code"]] + c["modifiers"]), c["units"]) for c in rec["codes"]]


# =========================================================================== payer profiles


def test_packaged_profiles():
    assert (MEDICARE.bilateral, MEDICARE.diagnostic_tomosynthesis, MEDICARE.distinct_service) == \
        ("modifier_50", "G0279", "X")
    assert (COMMERCIAL.bilateral, COMMERCIAL.diagnostic_tomosynthesis, COMMERCIAL.distinct_service) == \
        ("rt_lt", "cpt", "59")
    for p in (MEDICARE, COMMERCIAL):
        assert isinstance(p, Payer)
        assert p.phrases.source == "billing_phrases.tsv"
        assert set(p.substitutions) | set(p.substitutions.values()) <= set(LEX.codes)


def _profile(tmp_path, name="acme", file=None, **over) -> Path:
    obj = {"_schema": "payer/1", "name": name, "description": "test payer", "bilateral": "rt_lt",
           "diagnostic_tomosynthesis": "G0279", "substitutions": {}, "source": "test"}
    obj.update(over)
    p = tmp_path / f"{file or name}.json"
    p.write_text(json.dumps(obj, indent=1) + "\n", encoding="utf-8")
    return p


def test_user_profile_file(tmp_path):
    from suggester import Suggester

    s = Suggester(billing="professional", payer=str(_profile(tmp_path)))
    rec = s.suggest("XR KNEES BILATERAL 3 VIEWS")
    assert rec["payer"] == "acme"
    assert lines(rec) == [("73562-26-RT", 1), ("73562-26-LT", 1)]
    # G0279 policy but RT + LT bilateral reporting: the profile decides each independently
    assert codes(s.suggest("DIAGNOSTIC MAMMOGRAM RIGHT WITH TOMOSYNTHESIS")) == ["77065-26-RT", "G0279-26"]
    # records may name the loaded profile, or a packaged one
    assert s.suggest_record({"text": "XR KNEES BILATERAL 3 VIEWS", "payer": "acme"})["payer"] == "acme"
    assert codes(s.suggest_record({"text": "XR KNEES BILATERAL 3 VIEWS", "payer": "medicare"})) == ["73562-26-50"]
    # but a record never makes the suggester read a file
    out = s.suggest_record({"id": "x", "text": "CT HEAD", "payer": str(_profile(tmp_path, "other"))})
    assert out["error"]["type"] == "unknown_payer"


def test_user_profile_substitutions(tmp_path):
    from suggester import Suggester

    prof = _profile(tmp_path, "cpt-like", diagnostic_tomosynthesis="cpt",
                    substitutions={"77061": "G0279", "77062": "G0279"})
    s = Suggester(billing="global", payer=str(prof))
    rec = s.suggest("DIAGNOSTIC MAMMOGRAM RIGHT WITH TOMOSYNTHESIS")
    assert codes(rec) == ["77065-RT", "G0279"]
    g = next(c for c in rec["codes"] if c["code"] == "G0279")
    assert g["modifier_reasons"] == ["no 26/TC: global billing (one entity owns the equipment and reads the study)",
                                     "payer cpt-like reports 77061 as G0279",
                                     "no RT/LT/50: G0279 is inherently unilateral-or-bilateral"]


def test_user_profile_errors_through_the_suggester(tmp_path):
    from suggester import Suggester

    with pytest.raises(SuggesterError, match=r"acme.json:5: bilateral must be one of"):
        Suggester(payer=str(_profile(tmp_path, bilateral="both")))
    with pytest.raises(SuggesterError, match="payer profile file not found"):
        Suggester(payer=str(tmp_path / "missing.json"))


@pytest.mark.parametrize("over,message", [
    ({"colour": "red"}, r"acme.json:9: unknown key\(s\) \['colour'\]"),
    ({"_schema": "payer/2"}, r"acme.json:2: schema 'payer/2', expected 'payer/1'"),
    ({"bilateral": "both"}, r"acme.json:5: bilateral must be one of \('modifier_50', 'rt_lt'\)"),
    ({"diagnostic_tomosynthesis": "77062"}, r"acme.json:6: diagnostic_tomosynthesis must be one of"),
    ({"substitutions": {"77061": "G9999"}}, r"acme.json:7: substitution '77061' -> 'G9999': unknown code 'G9999'"),
    ({"substitutions": {"77061": "dbt"}}, r"acme.json:7: substitution '77061' -> 'dbt': 'dbt' is not a code"),
    ({"substitutions": {"77061": "77061"}}, r"acme.json:7: .* maps a code to itself"),
    ({"substitutions": ["77061"]}, r"acme.json:7: substitutions must be an object"),
    ({"distinct_service_modifier": "XS"}, r"acme.json:9: distinct_service_modifier must be one of \('59', 'X'\)"),
    ({"phrases": "nowhere.tsv"}, r"acme.json:9: phrase table 'nowhere.tsv' not found"),
    ({"description": ""}, r"acme.json:4: description must be a non-empty string"),
    ({"name": "Acme Health"}, r"acme.json:3: name 'Acme Health': use lowercase"),
])
def test_profile_validation(tmp_path, over, message):
    path = _profile(tmp_path, file="acme", **over)
    with pytest.raises(LexiconError, match=message):
        load_payer(path, LEX.codes)


def test_profile_missing_key_and_bad_json(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('{"_schema": "payer/1",\n "name": "bad"\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad.json:3: invalid JSON"):
        load_payer(p)
    p.write_text('{"_schema": "payer/1", "name": "bad"}', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad.json:1: missing key\(s\) \['bilateral'"):
        load_payer(p)


def test_phrase_table_validation(tmp_path):
    src = (lexicon_dir() / "billing_phrases.tsv").read_text(encoding="utf-8")
    n = len(src.splitlines())
    for row, msg in [("modifier\t53\t\\bstop\\b\t*\tx", "unknown modifier value '53'"),
                     ("modifier\t52\t(unclosed\t*\tx", "bad pattern"),
                     ("modifier\t52\t\\bstop\\b\tfooter\tx", r"unknown section\(s\) \['footer'\]"),
                     ("document\tcta_reconstruction\t\\bmip\\b\t*\t", "empty note"),
                     ("hint\t52\t\\bstop\\b\t*\tx", "unknown kind 'hint'")]:
        p = tmp_path / f"phrases{abs(hash(row))}.tsv"
        p.write_text(src + row + "\n", encoding="utf-8")
        with pytest.raises(LexiconError, match=rf"{p.name}:{n + 1}: {msg}"):
            load_phrases(p)
    dup = src.splitlines()[9]
    p = tmp_path / "dup.tsv"
    p.write_text(src + dup + "\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=rf"dup.tsv:{n + 1}: duplicate modifier phrase \(first at line 10\)"):
        load_phrases(p)


def test_lexicon_copy_with_a_broken_profile_fails_at_load(tmp_path):
    d = tmp_path / "lex"
    shutil.copytree(lexicon_dir(), d)
    p = d / "payers" / "commercial.json"
    p.write_text(p.read_text(encoding="utf-8").replace('"rt_lt"', '"twice"'), encoding="utf-8")
    with pytest.raises(LexiconError, match=r"commercial.json:4: bilateral must be one of"):
        load_lexicon(d)


def test_per_record_payer_and_billing(sg):
    text = "XR KNEES BILATERAL 3 VIEWS"
    assert codes(sg.suggest_record({"text": text})) == ["73562-50"]  # the suggester's defaults: global, medicare
    rec = sg.suggest_record({"text": text, "payer": "commercial", "billing": "technical"})
    assert lines(rec) == [("73562-TC-RT", 1), ("73562-TC-LT", 1)]
    assert (rec["payer"], rec["billing"]) == ("commercial", "technical")


# =========================================================================== modifier rules

ELBOW = "XR ELBOW 2 VIEWS RIGHT"
TERMINATED = ("EXAM: XR RIGHT KNEE 3 VIEWS\nTECHNIQUE: AP, lateral and sunrise views. The examination was "
              "terminated early because of pain.")
TERMINATED_BILAT = "EXAM: XR KNEES BILATERAL 3 VIEWS\nTECHNIQUE: The examination was terminated early because of pain."
# (case, text, billing, medicare lines, commercial lines); a line is (code-modifiers, units)
MODIFIER_CASES = [
    ("component_professional_26", ELBOW, "professional", [("73070-26-RT", 1)], [("73070-26-RT", 1)]),
    ("component_technical_TC", ELBOW, "technical", [("73070-TC-RT", 1)], [("73070-TC-RT", 1)]),
    ("component_global_none", ELBOW, "global", [("73070-RT", 1)], [("73070-RT", 1)]),
    ("laterality_LT", "XR LEFT ANKLE 3 VIEWS", "professional", [("73610-26-LT", 1)], [("73610-26-LT", 1)]),
    ("bilateral_unilateral_code", "XR KNEES BILATERAL 3 VIEWS", "professional",
     [("73562-26-50", 1)], [("73562-26-RT", 1), ("73562-26-LT", 1)]),
    ("inherently_bilateral_mammography", "SCREENING MAMMOGRAM BILATERAL", "professional",
     [("77067-26", 1)], [("77067-26", 1)]),
    ("inherently_bilateral_knees_standing", "XR BOTH KNEES STANDING AP", "global", [("73565", 1)], [("73565", 1)]),
    ("inherently_bilateral_duplex", "US CAROTID DUPLEX BILATERAL", "global", [("93880", 1)], [("93880", 1)]),
    ("midline_never_sided", "CT CHEST LEFT WITHOUT CONTRAST", "professional", [("71250-26", 1)], [("71250-26", 1)]),
    ("52_reduced_service", TERMINATED, "professional", [("73562-26-52-RT", 1)], [("73562-26-52-RT", 1)]),
    ("52_order_with_50", TERMINATED_BILAT, "professional",
     [("73562-26-50-52", 1)], [("73562-26-52-RT", 1), ("73562-26-52-LT", 1)]),
    ("52_incomplete", "EXAM: CT HEAD WITHOUT CONTRAST\nTECHNIQUE: Incomplete study. The patient could not "
     "tolerate the remainder of the examination.", "global", [("70450-52", 1)], [("70450-52", 1)]),
    ("52_limited_study", "EXAM: CT HEAD WITHOUT CONTRAST\nTECHNIQUE: Limited study: only axial images of the "
     "posterior fossa were obtained.", "global", [("70450-52", 1)], [("70450-52", 1)]),
    ("52_not_on_a_limited_code", "EXAM: US ABDOMEN LIMITED\nTECHNIQUE: Right upper quadrant. The exam was "
     "terminated early.\nFINDINGS: Liver normal.", "professional", [("76705-26", 1)], [("76705-26", 1)]),
    ("52_not_for_image_quality", "EXAM: CT HEAD WITHOUT CONTRAST\nTECHNIQUE: Axial images. Study is limited "
     "by motion.", "global", [("70450", 1)], [("70450", 1)]),
    ("76_repeat", "EXAM: REPEAT XR RIGHT WRIST 3 VIEWS\nFINDINGS: Normal.", "professional",
     [("73110-26-76-RT", 1)], [("73110-26-76-RT", 1)]),
    ("76_not_for_a_recommendation", "EXAM: CT HEAD WITHOUT CONTRAST\nTECHNIQUE: Axial images.\nIMPRESSION: "
     "Recommend repeat CT in 6 hours.", "global", [("70450", 1)], [("70450", 1)]),
    ("76_not_for_a_conditional_repeat", "XR ANKLE RIGHT 3 VIEWS\nThree views of the right ankle. No fracture.\n"
     "IMPRESSION: If pain persists, repeat radiographs in 7-10 days.", "global", [("73610-RT", 1)], [("73610-RT", 1)]),
    ("76_not_for_a_repeat_in_weeks", "XR CHEST 2 VIEWS\nPA and lateral views. Left lower lobe pneumonia.\n"
     "IMPRESSION: Pneumonia. Repeat radiographs in 6 to 8 weeks to document clearing.", "global",
     [("71046", 1)], [("71046", 1)]),
    ("77_another_physician", "EXAM: XR CHEST 1 VIEW\nTECHNIQUE: Repeat study performed by another radiologist "
     "after line placement.", "professional", [("71045-26-77", 1)], [("71045-26-77", 1)]),
    ("distinct_encounter_XE_or_59", "EXAM: XR RIGHT FOOT 3 VIEWS\nTECHNIQUE: Three views of the right foot, "
     "obtained at a separate encounter later the same day.", "professional",
     [("73630-26-XE-RT", 1)], [("73630-26-59-RT", 1)]),
    ("distinct_site_XS_or_59", "EXAM: XR RIGHT FOOT 3 VIEWS\nTECHNIQUE: Three views of a separate site, the "
     "right foot.", "professional", [("73630-26-XS-RT", 1)], [("73630-26-59-RT", 1)]),
    ("distinct_negated", "EXAM: XR RIGHT FOOT 3 VIEWS\nTECHNIQUE: Three views. No separate site imaged.",
     "professional", [("73630-26-RT", 1)], [("73630-26-RT", 1)]),
    ("distinct_not_from_findings", "EXAM: CT ABDOMEN WITH CONTRAST\nTECHNIQUE: 100 mL Omnipaque 350 IV.\n"
     "FINDINGS: A separate site of narrowing in the sigmoid colon.", "global", [("74160", 1)], [("74160", 1)]),
    ("76_not_for_RPT_banner", "OUTSIDE RAD RPT\nEXAM: CT HEAD WITHOUT CONTRAST\nFINDINGS: Normal.", "global",
     [("70450", 1)], [("70450", 1)]),
    ("52_not_from_a_loose_impression", "EXAM: MRI BRAIN WITHOUT CONTRAST\nTECHNIQUE: Axial DWI and FLAIR.\n"
     "IMPRESSION: No acute infarct on limited study.", "global", [("70551", 1)], [("70551", 1)]),
]
CASE = {c[0]: c for c in MODIFIER_CASES}


@pytest.mark.parametrize("case,text,billing,medicare,commercial", MODIFIER_CASES, ids=[c[0] for c in MODIFIER_CASES])
def test_modifier_rules_both_profiles(sg, case, text, billing, medicare, commercial):
    assert lines(sg.suggest(text, billing=billing, payer="medicare")) == medicare
    assert lines(sg.suggest(text, billing=billing, payer="commercial")) == commercial


@pytest.mark.parametrize("case,text,billing,medicare,commercial", MODIFIER_CASES, ids=[c[0] for c in MODIFIER_CASES])
def test_every_modifier_has_its_reason(sg, case, text, billing, medicare, commercial):
    for payer in ("medicare", "commercial"):
        for c in sg.suggest(text, billing=billing, payer=payer)["codes"]:
            for m in c["modifiers"]:
                assert any(r.startswith((f"{m}:", f"{m} (")) for r in c["modifier_reasons"]), (m, c)


def test_modifier_reasons_exact(sg):
    rec = sg.suggest(TERMINATED_BILAT, billing="professional", payer="medicare")
    assert rec["codes"][0]["modifier_reasons"] == [
        "26: professional billing -> professional component (the billing context decides, not the report)",
        "52 (reduced service): text says 'examination was terminated' (study stopped before completion) at "
        "technique 48-74; review",
        "50: bilateral study of a unilateral code; payer medicare reports one line with 50, units 1"]
    rec = sg.suggest("CT CHEST LEFT WITHOUT CONTRAST", billing="global")
    assert rec["codes"][0]["modifier_reasons"] == [
        "no 26/TC: global billing (one entity owns the equipment and reads the study)",
        "no RT/LT/50: 71250 is a midline / unsided code"]
    rec = sg.suggest("SCREENING MAMMOGRAM BILATERAL", billing="technical", payer="commercial")
    assert rec["codes"][0]["modifier_reasons"] == [
        "TC: technical billing -> technical component (the billing context decides, not the report)",
        "no RT/LT/50: 77067 is inherently bilateral"]
    rec = sg.suggest("EXAM: US ABDOMEN LIMITED\nTECHNIQUE: Right upper quadrant. The exam was terminated early.\n"
                     "FINDINGS: Liver normal.", billing="global")
    assert rec["codes"][0]["modifier_reasons"][1] == (
        "no 52: 76705 is already the limited code (text says 'exam was terminated' (study stopped before "
        "completion) at technique 62-81)")


def test_never_26_or_tc_without_a_split():
    code = LEX.codes["77071"]  # professional-only (CMS PC/TC indicator)
    assert code.components == "professional_only"
    for billing in ("professional", "technical"):
        (ln,) = lines_for(code, None, billing, MEDICARE)
        assert ln.modifiers == ()
        assert ln.reasons == ("no 26/TC: 77071 has no professional/technical split (professional_only)",)


def test_at_most_four_modifiers_in_order():
    (ln,) = lines_for(LEX.codes["73562"], "right", "professional", MEDICARE,
                      extra=(("76", "76: r"), ("XS", "XS: r"), ("52", "52: r")))
    assert ln.modifiers == ("26", "52", "XS", "76")  # pricing -> payment; location RT dropped
    assert ln.reasons[-1] == ("more than 4 modifiers: dropped RT (lowest priority); report them on a separate "
                              "line or per payer policy")


def test_text_modifier_flags_exact(sg):
    rec = sg.suggest(TERMINATED, billing="professional")
    assert flags_of(rec, "modifier_review") == [{
        "type": "modifier_review", "modifier": "52", "codes": ["73562"], "rule": "billing_phrases.tsv:10",
        "evidence": [{"section": "technique", "start": 74, "end": 100, "text": "examination was terminated"}],
        "message": "modifier 52 (reduced service) suggested on 73562: the text says 'examination was "
                   "terminated'; confirm before billing"}]
    rec = sg.suggest(CASE["distinct_encounter_XE_or_59"][1], billing="professional", payer="commercial")
    assert [(f["modifier"], f["evidence"][0]["text"]) for f in flags_of(rec, "modifier_review")] == \
        [("59", "separate encounter")]


# =========================================================================== bundling

CTA_MRA = ["70496", "70498", "71275", "72191", "73206", "73706", "74174", "74175", "75635", "75574",
           "70544", "70545", "70546", "70547", "70548", "70549", "71555", "72159", "72198", "73225", "73725", "74185"]
SEPARATE_AP = [("74150", "72192", "74176"), ("74160", "72193", "74177"), ("74170", "72194", "74178"),
               ("74150", "72193", "74178"), ("74150", "72194", "74178"), ("74160", "72192", "74178"),
               ("74160", "72194", "74178"), ("74170", "72192", "74178"), ("74170", "72193", "74178")]
BUNDLE_CASES = (
    [(["75571", "75572"], ["75572"], "cardiac_ct_pairs"), (["75571", "75573"], ["75573"], "cardiac_ct_pairs"),
     (["75571", "75574"], ["75574"], "calcium_with_ccta")]
    + [([d3, a], [a], "3d_with_angio") for a in CTA_MRA for d3 in ("76376", "76377")]
    + [([dbt, "77067"], ["77067"], "dbt_dx_not_with_screening") for dbt in ("77061", "77062")]
    + [([a, p], [c], None) for a, p, c in SEPARATE_AP]
    + [([a, c], [c], "ct_ap_combined_includes_parts") for c in ("74176", "74177", "74178")
       for a in ("74150", "74170", "72193")]
    + [([addon], [], None) for addon in ("74248", "77063", "G0279", "76802", "76810", "76812", "76814",
                                          "74713", "75565")]
    + [(["77080", "77086"], ["77085"], "dxa_with_vfa"), (["77080", "77085"], ["77085"], "dxa_vfa_includes_parts"),
       (["77086", "77085"], ["77085"], "dxa_vfa_includes_parts")]
)


@pytest.mark.parametrize("given,expected,rule", BUNDLE_CASES, ids=["+".join(c[0]) for c in BUNDLE_CASES])
def test_bundling_pairs(given, expected, rule):
    out, applied = apply_rules([Line(LEX.codes[c], None, []) for c in given], LEX)
    assert sorted(ln.code.code for ln in out) == expected
    flags = bundling_flags(None, [], applied, LEX)
    assert flags and all(f["type"] == "bundling_conflict" for f in flags)
    removed = sorted({c for f in flags for c in f["removed"]})
    assert removed == sorted(set(given) - set(expected))
    if rule:
        assert rule in [f["rule"] for f in flags]


def _forbidden(codes_: set[str]) -> list[str]:
    bad = []
    for r in LEX.rules:
        if r.rule == "bundle" and codes_ & set(r.data["if_any"]) and codes_ & set(r.data["drop"]):
            bad.append(r.id)
        if r.rule == "replace" and set(r.data["all"]) <= codes_:
            bad.append(r.id)
        if r.rule == "addon" and r.data["code"] in codes_ and not codes_ & set(r.data["primaries"]):
            bad.append(r.id)
    return bad


POOL = sorted({c for r in LEX.rules for k in ("if_any", "drop", "all", "primaries", "codes")
               for c in r.data.get(k, ())} | {r.data[k] for r in LEX.rules for k in ("with", "code") if k in r.data})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=6, unique=True))
def test_suggestions_never_contain_a_forbidden_pair(given_codes):
    out, _ = apply_rules([Line(LEX.codes[c], None, []) for c in given_codes], LEX)
    assert _forbidden({ln.code.code for ln in out}) == []


def test_bundling_flags_from_the_report(sg):
    rec = sg.suggest("EXAMS: CTA CHEST; 3D RENDERING ON INDEPENDENT WORKSTATION\nTECHNIQUE: 80 mL Omnipaque IV. "
                     "MIP images.")
    assert codes(rec) == ["71275"]
    assert flags_of(rec, "bundling_conflict") == [{
        "type": "bundling_conflict", "rule": "3d_with_angio", "removed": ["76377"],
        "message": "76377 not billed with 71275 (CTA/MRA include 3D post-processing (§2))",
        "evidence": [{"section": "exam", "start": 18, "end": 30, "text": "3D RENDERING"}]}]
    rec = sg.suggest("EXAMS: CT CARDIAC CALCIUM SCORE AND CTA CORONARY ARTERIES WITH 3D")
    assert codes(rec) == ["75574"]
    assert [(f["rule"], f["removed"]) for f in flags_of(rec, "bundling_conflict")] == \
        [("calcium_with_ccta", ["75571"])]
    rec = sg.suggest("EXAMS: CT ABDOMEN WITH CONTRAST; CT PELVIS WITH CONTRAST")
    assert codes(rec) == ["74177"]
    assert flags_of(rec, "bundling_conflict") == [{
        "type": "bundling_conflict", "rule": "ct_abdomen_pelvis", "removed": [],
        "message": "separately named exams (ABDOMEN, PELVIS) billed as one combined code 74177 (CT abdomen + "
                   "pelvis in one session is one combined code (§3))",
        "evidence": [{"section": "exam", "start": 7, "end": 9, "text": "CT"},
                     {"section": "exam", "start": 10, "end": 17, "text": "ABDOMEN"},
                     {"section": "exam", "start": 33, "end": 35, "text": "CT"},
                     {"section": "exam", "start": 36, "end": 42, "text": "PELVIS"}]}]
    rec = sg.suggest("EXAMS: DXA AXIAL SKELETON; VERTEBRAL FRACTURE ASSESSMENT")
    assert codes(rec) == ["77085"]
    assert [(f["rule"], f["message"]) for f in flags_of(rec, "bundling_conflict")] == \
        [("dxa_with_vfa", "separately named exams (AXIAL SKELETON, VERTEBRAL FRACTURE ASSESSMENT) billed as one "
                          "combined code 77085 (DXA axial with VFA is 77085, not 77080 + 77086 (§3))")]
    # the usual one-exam titles are not flagged
    for text in ("CT ABDOMEN AND PELVIS WITH CONTRAST", "DXA AXIAL SKELETON WITH VERTEBRAL FRACTURE ASSESSMENT"):
        assert flags_of(sg.suggest(text), "bundling_conflict") == []


def test_bundling_flags_from_the_order(sg):
    rec = sg.suggest("EXAM: SCREENING MAMMOGRAM BILATERAL\nFINDINGS: Normal.", ordered="77067 + 77062 (CAD)")
    assert codes(rec) == ["77067"]
    assert flags_of(rec, "bundling_conflict") == [{
        "type": "bundling_conflict", "rule": "dbt_dx_not_with_screening", "removed": ["77062"],
        "message": "the order implies 77062 not billed with 77067 (77061/77062 are never reported with "
                   "screening 77067 (§3, §8))", "evidence": [], "ordered_source": "field"}]
    rec = sg.suggest("EXAM: CTA HEAD\nTECHNIQUE: 70 mL Omnipaque IV with MIP.",
                     ordered="CTA HEAD; 3D RENDERING INDEPENDENT WORKSTATION")
    assert [(f["rule"], f["evidence"]) for f in flags_of(rec, "bundling_conflict")] == [
        ("3d_with_angio", [{"section": "ordered", "start": 10, "end": 22, "text": "3D RENDERING"}])]
    assert flags_of(rec, "performed_differs_from_ordered") == []
    rec = sg.suggest("DXA AXIAL SKELETON WITH VERTEBRAL FRACTURE ASSESSMENT", ordered="77080 + 77086")
    assert [(f["rule"], f["removed"]) for f in flags_of(rec, "bundling_conflict")] == \
        [("dxa_with_vfa", ["77080", "77086"])]
    assert flags_of(rec, "performed_differs_from_ordered") == []  # folded into the billed 77085


# =========================================================================== documentation gaps


def test_views_not_documented(sg):
    rec = sg.suggest("EXAM: XR LEFT ANKLE\nFINDINGS: No fracture.")
    assert codes(rec) == ["73600-LT"]
    assert flags_of(rec, "views_not_documented") == [{
        "type": "views_not_documented", "missing": ["number of views"],
        "message": "number of views not stated; coded the lowest code of the family 73600",
        "evidence": [{"section": "exam", "start": 14, "end": 19, "text": "ANKLE"}]}]
    assert flags_of(sg.suggest("EXAM: XR LEFT ANKLE 3 VIEWS\nFINDINGS: No fracture."), "views_not_documented") == []


def test_complete_exam_elements_missing(sg):
    rec = sg.suggest("EXAM: US ABDOMEN COMPLETE\nFINDINGS: The liver is normal. The gallbladder is normal. "
                     "The common bile duct measures 3 mm.\nIMPRESSION: Normal.")
    assert codes(rec) == ["76705"]
    assert flags_of(rec, "complete_exam_elements_missing") == [{
        "type": "complete_exam_elements_missing", "missing": ["pancreas", "spleen", "kidneys", "IVC", "aorta"],
        "message": "titled complete but not documented: pancreas, spleen, kidneys, IVC, aorta; coded limited 76705",
        "evidence": [{"section": "exam", "start": 17, "end": 25, "text": "COMPLETE"}]}]
    rec = sg.suggest("EXAM: US RETROPERITONEAL COMPLETE\nFINDINGS: Right kidney normal. Left kidney normal.")
    assert codes(rec) == ["76775"]
    assert flags_of(rec, "complete_exam_elements_missing") == [{
        "type": "complete_exam_elements_missing", "missing": ["aorta_or_bladder"],
        "message": "titled complete but not documented: aorta or bladder; coded limited 76775",
        "evidence": [{"section": "exam", "start": 9, "end": 33, "text": "RETROPERITONEAL COMPLETE"}]}]


def test_cta_reconstruction_not_documented(sg):
    rec = sg.suggest("EXAM: CTA CHEST\nTECHNIQUE: Axial images after 80 mL Omnipaque 350 IV. Coronal and sagittal "
                     "reformats.")
    assert codes(rec) == ["71275"]
    assert flags_of(rec, "cta_reconstruction_not_documented") == [{
        "type": "cta_reconstruction_not_documented", "missing": ["3D/MIP reconstruction"],
        "message": "CTA 71275 without documented 3D rendering / MIP post-processing (required by the CTA codes)",
        "evidence": [{"section": "exam", "start": 6, "end": 9, "text": "CTA"}]}]
    for ok in ("with MIP reconstructions.", "with 3D volume rendering."):
        rec = sg.suggest(f"EXAM: CTA CHEST\nTECHNIQUE: Axial images after 80 mL Omnipaque 350 IV {ok}")
        assert flags_of(rec, "cta_reconstruction_not_documented") == []
    rec = sg.suggest("EXAM: CTA CHEST\nTECHNIQUE: Axial images after 80 mL Omnipaque 350 IV. No 3D reconstructions "
                     "were performed.")
    assert [f["type"] for f in flags_of(rec, "cta_reconstruction_not_documented")] == \
        ["cta_reconstruction_not_documented"]


def test_contrast_agent_not_documented(sg):
    rec = sg.suggest("EXAM: CT CHEST WITH CONTRAST\nTECHNIQUE: Axial images after contrast.")
    assert flags_of(rec, "contrast_agent_not_documented") == [{
        "type": "contrast_agent_not_documented", "missing": ["contrast agent", "route"],
        "message": "contrast study (71260) without documented contrast agent and route",
        "evidence": [{"section": "technique", "start": 59, "end": 67, "text": "contrast"}]}]
    rec = sg.suggest("EXAM: CT CHEST WITH CONTRAST\nTECHNIQUE: Axial images after 75 mL Omnipaque 350.")
    assert [f["missing"] for f in flags_of(rec, "contrast_agent_not_documented")] == [["route"]]
    rec = sg.suggest("EXAM: CT CHEST WITH CONTRAST\nTECHNIQUE: Axial images after intravenous contrast.")
    assert [f["missing"] for f in flags_of(rec, "contrast_agent_not_documented")] == [["contrast agent"]]
    rec = sg.suggest("EXAM: CT CHEST WITH CONTRAST\nTECHNIQUE: Axial images after 75 mL Omnipaque 350 IV.")
    assert flags_of(rec, "contrast_agent_not_documented") == []
    # a non-contrast study needs neither
    assert flags_of(sg.suggest("EXAM: CT CHEST WITHOUT CONTRAST"), "contrast_agent_not_documented") == []


def test_laterality_missing(sg):
    rec = sg.suggest("XR WRIST 3 VIEWS")
    assert codes(rec) == ["73110"]
    assert flags_of(rec, "laterality_missing") == [{
        "type": "laterality_missing", "missing": ["side"],
        "message": "73110 is a unilateral code and no side is documented; no RT/LT added",
        "evidence": [{"section": "exam", "start": 3, "end": 8, "text": "WRIST"}]}]


def test_indication_unclear_mammography_and_lung_ct(sg):
    rec = sg.suggest("EXAM: MAMMOGRAM BILATERAL\nFINDINGS: Scattered fibroglandular density.")
    assert flags_of(rec, "indication_unclear") == [{
        "type": "indication_unclear", "missing": ["screening or diagnostic indication"],
        "message": "screening vs diagnostic mammography not stated; coded 77066 (diagnostic); check the indication",
        "evidence": [{"section": "exam", "start": 6, "end": 15, "text": "MAMMOGRAM"}]}]
    rec = sg.suggest("EXAM: LOW DOSE CT CHEST\nFINDINGS: No nodules.")
    assert codes(rec) == ["71271"]
    assert flags_of(rec, "indication_unclear") == [{
        "type": "indication_unclear", "missing": ["screening or diagnostic indication"],
        "message": "low-dose chest CT without a stated screening or diagnostic indication; coded 71271; 71271 "
                   "needs an eligible lung cancer screening indication",
        "evidence": [{"section": "exam", "start": 6, "end": 14, "text": "LOW DOSE"},
                     {"section": "exam", "start": 18, "end": 23, "text": "CHEST"}]}]
    for stated in ("EXAM: SCREENING MAMMOGRAM BILATERAL", "EXAM: LOW DOSE CT CHEST LUNG CANCER SCREENING"):
        assert flags_of(sg.suggest(stated), "indication_unclear") == []


# =========================================================================== performed vs ordered


def _ordered(sg, text, ordered):
    return flags_of(sg.suggest(text, ordered=ordered), "performed_differs_from_ordered")


def test_ordered_modality(sg):
    assert _ordered(sg, "EXAM: CT CHEST WITHOUT CONTRAST\nTECHNIQUE: Axial images.", "MRI CHEST WITHOUT CONTRAST") == [{
        "type": "performed_differs_from_ordered", "attribute": "modality", "ordered": "MR", "performed": "CT",
        "message": "modality: ordered MR, performed CT; coded as performed (71250)",
        "evidence": [{"section": "exam", "start": 6, "end": 8, "text": "CT"}],
        "ordered_evidence": [{"section": "ordered", "start": 0, "end": 3, "text": "MRI"}], "ordered_source": "field"}]


def test_ordered_region(sg):
    assert _ordered(sg, "EXAM: CT ABDOMEN AND PELVIS WITHOUT CONTRAST\nTECHNIQUE: Axial images of the abdomen and "
                        "pelvis.", "CT ABDOMEN WITHOUT CONTRAST") == [{
        "type": "performed_differs_from_ordered", "attribute": "region", "ordered": "abdomen",
        "performed": "abdomen_pelvis",
        "message": "region: ordered abdomen, performed abdomen_pelvis; coded as performed (74176)",
        "evidence": [{"section": "exam", "start": 9, "end": 27, "text": "ABDOMEN AND PELVIS"}],
        "ordered_evidence": [{"section": "ordered", "start": 3, "end": 10, "text": "ABDOMEN"}],
        "ordered_source": "field"}]


def test_ordered_contrast(sg):
    assert _ordered(sg, "EXAM: CT CHEST\nTECHNIQUE: Axial images without intravenous contrast.",
                    "CT CHEST WITH CONTRAST") == [{
        "type": "performed_differs_from_ordered", "attribute": "contrast", "ordered": "with", "performed": "without",
        "message": "contrast: ordered with, performed without; coded as performed (71250)",
        "evidence": [{"section": "technique", "start": 39, "end": 67, "text": "without intravenous contrast"}],
        "ordered_evidence": [{"section": "ordered", "start": 9, "end": 22, "text": "WITH CONTRAST"}],
        "ordered_source": "field"}]


def test_ordered_views_text_and_code(sg):
    assert _ordered(sg, "EXAM: XR RIGHT WRIST\nTECHNIQUE: PA and lateral views.", "XR RIGHT WRIST 3 VIEWS") == [{
        "type": "performed_differs_from_ordered", "attribute": "views", "ordered": "3", "performed": "2",
        "message": "views: ordered 3, performed 2; coded as performed (73100)",
        "evidence": [{"section": "technique", "start": 32, "end": 34, "text": "PA"},
                     {"section": "technique", "start": 39, "end": 46, "text": "lateral"}],
        "ordered_evidence": [{"section": "ordered", "start": 15, "end": 22, "text": "3 VIEWS"}],
        "ordered_source": "field"}]
    assert _ordered(sg, "EXAM: XR RIGHT KNEE 3 VIEWS\nFINDINGS: Normal.", "73564") == [{
        "type": "performed_differs_from_ordered", "attribute": "views", "ordered": "4+", "performed": "3",
        "message": "views: ordered 4+, performed 3; coded as performed (73562)",
        "evidence": [{"section": "exam", "start": 20, "end": 27, "text": "3 VIEWS"}],
        "ordered_evidence": [{"section": "ordered", "start": 0, "end": 5, "text": "73564"}],
        "ordered_source": "field"}]


def test_ordered_side(sg):
    assert _ordered(sg, "EXAM: XR LEFT KNEE 2 VIEWS\nFINDINGS: Normal.", "XR RIGHT KNEE 2 VIEWS") == [{
        "type": "performed_differs_from_ordered", "attribute": "side", "ordered": "right", "performed": "left",
        "message": "side: ordered right, performed left; coded as performed (73560)",
        "evidence": [{"section": "exam", "start": 9, "end": 13, "text": "LEFT"}],
        "ordered_evidence": [{"section": "ordered", "start": 3, "end": 8, "text": "RIGHT"}],
        "ordered_source": "field"}]


def test_ordered_complete_vs_limited(sg):
    assert _ordered(sg, "EXAM: US ABDOMEN LIMITED\nFINDINGS: Liver normal. Gallbladder normal.",
                    "US ABDOMEN COMPLETE") == [{
        "type": "performed_differs_from_ordered", "attribute": "extent", "ordered": "complete",
        "performed": "limited", "message": "extent: ordered complete, performed limited; coded as performed (76705)",
        "evidence": [{"section": "exam", "start": 17, "end": 24, "text": "LIMITED"}],
        "ordered_evidence": [{"section": "ordered", "start": 11, "end": 19, "text": "COMPLETE"}],
        "ordered_source": "field"}]


def test_ordered_section_of_the_report(sg):
    rec = sg.suggest("US ABD LTD\nORDER: US ABDOMEN COMPLETE\nTECHNIQUE: RIGHT UPPER QUADRANT ONLY. LIVER AND "
                     "GALLBLADDER NORMAL.")
    assert flags_of(rec, "performed_differs_from_ordered") == [{
        "type": "performed_differs_from_ordered", "attribute": "extent", "ordered": "complete",
        "performed": "limited", "message": "extent: ordered complete, performed limited; coded as performed (76705)",
        "evidence": [{"section": "exam", "start": 7, "end": 10, "text": "LTD"}],
        "ordered_evidence": [{"section": "ordered", "start": 29, "end": 37, "text": "COMPLETE"}],
        "ordered_source": "report"}]


def test_ordered_exam_missing_unknown_code_and_match(sg):
    assert _ordered(sg, "EXAM: CT HEAD WITHOUT CONTRAST\nFINDINGS: Normal.", "CT HEAD; CT CHEST") == [{
        "type": "performed_differs_from_ordered", "attribute": "exam", "ordered": "CT chest",
        "performed": "not performed", "message": "ordered CT chest is not among the performed exams", "evidence": [],
        "ordered_evidence": [{"section": "ordered", "start": 9, "end": 11, "text": "CT"},
                             {"section": "ordered", "start": 12, "end": 17, "text": "CHEST"}],
        "ordered_source": "field"}]
    assert _ordered(sg, "EXAM: CT HEAD WITHOUT CONTRAST\nFINDINGS: Normal.", "99999") == [{
        "type": "performed_differs_from_ordered", "attribute": "code", "ordered": "99999", "performed": None,
        "message": "ordered code 99999 is not in the code table", "evidence": [],
        "ordered_evidence": [{"section": "ordered", "start": 0, "end": 5, "text": "99999"}],
        "ordered_source": "field"}]
    assert _ordered(sg, "EXAM: CT HEAD WITHOUT CONTRAST\nFINDINGS: Normal.", "70450") == []
    assert _ordered(sg, "EXAM: CT HEAD WITHOUT CONTRAST\nFINDINGS: Normal.", "CT HEAD WO") == []


def test_ordered_record_field_and_review(sg):
    out = sg.suggest_record({"id": "o1", "text": "EXAM: XR LEFT KNEE 2 VIEWS\nFINDINGS: Normal.",
                             "ordered": "XR RIGHT KNEE 2 VIEWS"})
    assert codes(out) == ["73560-LT"]  # the billed code follows what was performed
    assert "performed_differs_from_ordered" in out["review_reasons"]


# =========================================================================== payment estimates


def _tiny_schedule(tmp_path, rows=None, header=None) -> Path:
    head = ",".join(header or COLUMNS)
    base = "{code},{mod},{st},{w},{pe},,{pe},{fna},{mp},{tot},{tot},1,XXX,0,{bil},09,99,32.3465,2025,RVU25D"
    rows = rows if rows is not None else [
        base.format(code="73070", mod="", st="A", w="0.16", pe="0.70", fna="NA", mp="0.02", tot="0.88", bil="3"),
        base.format(code="73070", mod="26", st="A", w="0.16", pe="0.07", fna="", mp="0.01", tot="0.24", bil="3"),
        base.format(code="73070", mod="TC", st="A", w="0.00", pe="0.63", fna="NA", mp="0.01", tot="0.64", bil="3"),
        base.format(code="77061", mod="", st="I", w="0.00", pe="0.00", fna="NA", mp="0.00", tot="0.00", bil="0"),
    ]
    p = tmp_path / "pfs.csv"
    p.write_text(head + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p


def test_estimates_per_component(tmp_path):
    fs = load_fee_schedule(_tiny_schedule(tmp_path))
    assert fs.label == ("estimate: 2025 Medicare PFS national payment, conversion factor 32.3465, before "
                        "geographic adjustment")
    pro = estimate(fs, "73070", ("26", "RT"))
    assert pro == {"estimate": True, "label": fs.label, "year": 2025, "conversion_factor": 32.3465,
                   "release": "RVU25D", "component": "26", "status": "A",
                   "rvu": {"non_facility": 0.24, "facility": 0.24}, "multiplier": 1.0,
                   "non_facility": 7.76, "facility": 7.76, "notes": []}
    tc = estimate(fs, "73070", ("TC", "RT"))
    assert (tc["component"], tc["non_facility"], tc["facility"]) == ("TC", 20.70, None)
    assert tc["notes"] == ["facility: NA (not priced in this setting under the PFS)"]
    glob = estimate(fs, "73070", ("50",))
    assert (glob["component"], glob["multiplier"], glob["non_facility"]) == ("global", 2.0, 56.93)
    assert glob["notes"][0] == "modifier 50: bilateral indicator 3: 100% for each side"
    assert estimate(fs, "73070", ("26",), units=2)["non_facility"] == 15.53
    i = estimate(fs, "77061", ())
    assert (i["non_facility"], i["facility"], i["notes"]) == \
        (None, None, ["status I (not valid for Medicare purposes): no Medicare estimate"])
    assert estimate(fs, "71045", ())["notes"] == ["71045 is not in the fee schedule (pfs.csv): no estimate"]


def test_price_record_and_totals(sg, tmp_path):
    fs = load_fee_schedule(_tiny_schedule(tmp_path))
    rec = price_record(sg.suggest(ELBOW, billing="professional"), fs)
    assert rec["codes"][0]["payment"]["non_facility"] == 7.76
    assert rec["payment_total"] == {"estimate": True, "label": fs.label, "non_facility": 7.76, "facility": 7.76,
                                    "lines_priced": 1, "lines_unpriced": 0}
    rec2 = price_record(sg.suggest(ELBOW, billing="technical"), fs)
    assert rec2["payment_total"]["facility"] is None
    err = price_record(sg.suggest_record({"text": ""}), fs)
    assert "payment_total" not in err
    tot = PaymentTotals(fs.label)
    for r in (rec, rec2, err):
        tot.add_record(r)
    assert tot.summary() == (f"payment totals ({fs.label}): non-facility $28.46, facility $7.76 over 2 priced "
                             f"lines in 2 records (1 NA in the facility setting)")


@pytest.mark.parametrize("mutate,message", [
    (lambda rows, head: (rows, head + ["colour"]), r"pfs.csv:1: header: unknown column\(s\) \['colour'\]"),
    (lambda rows, head: (rows, head[:-1]), r"pfs.csv:1: header: missing column\(s\) \['release'\]"),
    (lambda rows, head: (rows + [rows[0]], head), r"pfs.csv:6: duplicate row 73070 \(first at line 2\)"),
    (lambda rows, head: ([rows[0].replace(",0.88,0.88,", ",0.98,0.88,")] + rows[1:], head),
     r"pfs.csv:2: nonfac_total 0.98 is not work_rvu \+ nonfac_pe_rvu \+ mp_rvu"),
    (lambda rows, head: ([rows[0].replace("0.16", "abc", 1)] + rows[1:], head), r"pfs.csv:2: work_rvu: not a number"),
    (lambda rows, head: (rows[:1] + [rows[1].replace(",26,", ",53,")] + rows[2:], head),
     r"pfs.csv:3: modifier '53': expected blank \(global\), 26 or TC"),
    (lambda rows, head: (rows[:2] + [rows[2].replace("32.3465", "33.0")], head),
     r"pfs.csv:4: year / conversion factor / release"),
    (lambda rows, head: ([rows[0].replace("73070", "7307")] + rows[1:], head), r"pfs.csv:2: hcpcs '7307' is not a code"),
    (lambda rows, head: ([], head), r"pfs.csv:2: no data rows"),
])
def test_fee_schedule_validation(tmp_path, mutate, message):
    good = _tiny_schedule(tmp_path).read_text(encoding="utf-8").splitlines()
    rows, head = mutate(good[1:], good[0].split(","))
    if len(head) != len(COLUMNS):  # keep the data rows as wide as the header
        rows = [r + ",x" if len(head) > len(COLUMNS) else r.rsplit(",", 1)[0] for r in rows]
    p = _tiny_schedule(tmp_path, rows=rows, header=head)
    with pytest.raises(FeeScheduleError, match=message):
        load_fee_schedule(p)


@needs_pfs
def test_cms_schedule_numbers(sg):
    fs = load_fee_schedule(PFS)
    assert (fs.year, float(fs.conversion_factor)) == (2025, 32.3465)
    assert len(fs.rows) == 1991
    rec = price_record(sg.suggest("XR KNEES BILATERAL 3 VIEWS", billing="professional"), fs)
    assert [(c["code"], c["modifiers"], c["payment"]["non_facility"]) for c in rec["codes"]] == \
        [("73562", ["26", "50"], 17.47)]  # 0.27 RVU x 32.3465 x 2 (bilateral indicator 3)
    rec = price_record(sg.suggest("XR KNEES BILATERAL 3 VIEWS", billing="global", payer="commercial"), fs)
    assert [c["payment"]["non_facility"] for c in rec["codes"]] == [39.46, 39.46]
    assert rec["payment_total"]["non_facility"] == 78.92 and rec["payment_total"]["facility"] is None
    # Medicare does not pay 77061/77062 (status I); G0279 is the payable add-on
    assert estimate(fs, "77062", ("26",))["non_facility"] is None
    assert estimate(fs, "G0279", ("26",))["non_facility"] == 27.49


# =========================================================================== CLI and explain


def test_cli_explain_with_payer_file_and_fee_schedule(tmp_path, capsys):
    prof = _profile(tmp_path)
    fs = _tiny_schedule(tmp_path)
    rc = cli.main(["explain", ELBOW, "--payer", str(prof), "--fee-schedule", str(fs)])
    out = capsys.readouterr().out
    assert rc == 0
    assert "billing professional, payer acme" in out
    assert "73070-26-RT" in out
    assert "      payment (-26): non-facility $7.76, facility $7.76  [estimate: 2025 Medicare PFS" in out
    assert "  total: non-facility $7.76, facility $7.76 over 1 priced line(s)" in out


def test_cli_fee_schedule_errors_exit_2(tmp_path, capsys):
    bad = _tiny_schedule(tmp_path, rows=["x"])
    assert cli.main(["explain", ELBOW, "--fee-schedule", str(bad)]) == 2
    assert "pfs.csv:2" in capsys.readouterr().err
    assert cli.main(["explain", ELBOW, "--payer", str(tmp_path / "none.json")]) == 2


def test_cli_code_with_fee_schedule(tmp_path, capsys):
    from suggester.batch import code_batch

    if "fee_schedule" not in inspect.signature(code_batch).parameters:
        pytest.skip("suggester.batch.code_batch does not take fee_schedule yet (issue 5: batch patch pending)")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": ELBOW}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    rc = cli.main(["code", str(src), "-o", str(out), "--workers", "1", "--fee-schedule", str(_tiny_schedule(tmp_path))])
    assert rc == 0
    rec = json.loads(out.read_text(encoding="utf-8"))
    assert rec["codes"][0]["payment"]["non_facility"] == 7.76
    assert "payment totals (estimate: 2025 Medicare PFS" in capsys.readouterr().err


def test_explain_shows_every_modifier_and_flag(sg, tmp_path):
    fs = load_fee_schedule(_tiny_schedule(tmp_path))
    rec = price_record(sg.suggest(TERMINATED_BILAT, billing="professional", payer="commercial",
                                  ordered="XR LEFT KNEE 2 VIEWS"), fs)
    text = explain(rec)
    for c in rec["codes"]:
        for r in c["modifier_reasons"]:
            assert f"      modifier: {r}" in text
    assert rec["flags"]
    for f in rec["flags"]:
        assert f"  {f['type']}: {f['message']}" in text
        for e in f.get("ordered_evidence", []):
            assert f"      order [ordered {e['start']}-{e['end']}] {e['text']!r}" in text
    assert text.count("      payment note: 73562-26 is not in the fee schedule (pfs.csv): no estimate") == 2


def test_flag_types_are_documented():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "billing.md").read_text(encoding="utf-8")
    for t in FLAG_TYPES:
        assert f"`{t}`" in doc, t
