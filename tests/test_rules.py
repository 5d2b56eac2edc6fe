"""CODING_RULES §2-§5 and §8 on whole reports, error records, modifiers, lexicon validation."""

import json
import shutil
from pathlib import Path

import pytest
from conftest import codes, flag_types

from suggester import Suggester
from suggester.lexicon import LexiconError, load_lexicon
from suggester.resources import lexicon_dir
from suggester.sections import split_sections


# ---- §2 contrast
def test_oral_contrast_only_is_without(sg):
    r = sg.suggest("EXAM: CT ABDOMEN AND PELVIS\nTECHNIQUE: Axial images with oral contrast only. "
                   "No intravenous contrast was administered.\nFINDINGS: Normal.")
    assert codes(r) == ["74176"]


def test_contrast_not_given_technique_wins_and_flags(sg):
    r = sg.suggest("EXAM: CT CHEST WITH CONTRAST\nTECHNIQUE: Contrast was not administered due to renal "
                   "failure. Axial images of the chest.\nIMPRESSION: No acute disease.")
    assert codes(r) == ["71250"]
    assert "title_technique_conflict" in flag_types(r)


def test_contrast_in_comparison_does_not_count(sg):
    r = sg.suggest("EXAM: CT HEAD\nCOMPARISON: Prior CT head with contrast 2021.\nTECHNIQUE: Axial images "
                   "of the head were obtained.\nFINDINGS: Normal.")
    assert codes(r) == ["70450"]


def test_without_the_use_of_contrast(sg):
    r = sg.suggest("CT abdomen\nTechnique: Images of the abdomen were obtained without the use of "
                   "intravenous contrast.")
    assert codes(r) == ["74150"]


def test_pre_and_post_is_without_then_with(sg):
    r = sg.suggest("EXAM: MRI BRAIN\nTECHNIQUE: Multiplanar images before and after the administration "
                   "of 7 mL Gadavist.")
    assert codes(r) == ["70553"]


def test_contrast_section_none(sg):
    r = sg.suggest("EXAM: CT CHEST\nCONTRAST: None\nFINDINGS: Clear lungs.")
    assert codes(r) == ["71250"]


def test_cta_reconstruction_flag(sg):
    r = sg.suggest("EXAM: CTA CHEST\nTECHNIQUE: Axial images after IV contrast.\nFINDINGS: No PE.")
    assert codes(r) == ["71275"]
    assert "cta_reconstruction_not_documented" in flag_types(r)
    r = sg.suggest("EXAM: CTA CHEST\nTECHNIQUE: Axial images after IV contrast with MIP and 3D reconstructions.")
    assert "cta_reconstruction_not_documented" not in flag_types(r)


def test_breast_mri_contrast_is_without_then_with(sg):
    # §2: no "with only" breast MRI code
    assert codes(sg.suggest("MRI BREAST BILATERAL WITH CONTRAST")) == ["77049"]


# ---- §3 combinations
def test_abdomen_pelvis_separate_titles_combine(sg):
    r = sg.suggest("EXAMS: CT ABDOMEN WITH CONTRAST; CT PELVIS WITH CONTRAST")
    assert codes(r) == ["74177"]


def test_mixed_contrast_abdomen_pelvis_is_74178(sg):
    assert codes(sg.suggest("CT ABDOMEN W/WO AND PELVIS WITH CONTRAST")) == ["74178"]


def test_calcium_score_with_ccta_is_75574_only(sg):
    r = sg.suggest("EXAMS: CT CARDIAC CALCIUM SCORE AND CTA CORONARY ARTERIES WITH 3D")
    assert codes(r) == ["75574"]
    assert "bundling_conflict" in flag_types(r)


def test_dxa_with_vfa_is_77085(sg):
    assert codes(sg.suggest("DXA AXIAL SKELETON AND VERTEBRAL FRACTURE ASSESSMENT")) == ["77085"]


def test_hip_includes_pelvis(sg):
    assert codes(sg.suggest("XR PELVIS 1 VIEW AND LEFT HIP 2 VIEWS")) == ["73502-LT"]


def test_mri_total_spine_is_three_codes(sg):
    assert codes(sg.suggest("MRI TOTAL SPINE WO")) == ["72141", "72146", "72148"]


def test_addons_never_alone(sg):
    for rec in (sg.suggest("SMALL BOWEL FOLLOW THROUGH"), sg.suggest("TOMOSYNTHESIS")):
        assert "74248" not in codes(rec) and "77063" not in codes(rec)


def test_payer_profile_diagnostic_tomo():
    s = Suggester(billing="global", payer="commercial")
    assert codes(s.suggest("DIAGNOSTIC MAMMOGRAM BILATERAL WITH TOMOSYNTHESIS")) == ["77062", "77066"]
    assert codes(s.suggest("DIAGNOSTIC MAMMOGRAM RIGHT WITH TOMOSYNTHESIS")) == ["77061-RT", "77065-RT"]


# ---- §4 views
def test_views_counted_from_projections(sg):
    r = sg.suggest("EXAM: XR RIGHT KNEE\nTECHNIQUE: AP, lateral and sunrise views.\nFINDINGS: Normal.")
    assert codes(r) == ["73562-RT"]


def test_views_not_documented_lowest_code_and_flag(sg):
    r = sg.suggest("EXAM: XR LEFT ANKLE\nFINDINGS: No fracture.")
    assert codes(r) == ["73600-LT"]
    assert "views_not_documented" in flag_types(r)


def test_documented_views_win_over_title(sg):
    r = sg.suggest("EXAM: XR WRIST 2 VIEWS RIGHT\nTECHNIQUE: PA, lateral and oblique views of the right wrist.")
    assert codes(r) == ["73110-RT"]
    assert "title_technique_conflict" in flag_types(r)


# ---- §5 complete vs limited
def test_us_abdomen_complete_missing_organs_is_limited_and_flagged(sg):
    r = sg.suggest("EXAM: US ABDOMEN COMPLETE\nFINDINGS: The liver is normal. The gallbladder is normal. "
                   "The common bile duct measures 3 mm.\nIMPRESSION: Normal.")
    assert codes(r) == ["76705"]
    flag = next(f for f in r["flags"] if f["type"] == "complete_exam_elements_missing")
    assert flag["missing"] == ["pancreas", "spleen", "kidneys", "IVC", "aorta"]


def test_us_abdomen_complete_with_all_organs(sg):
    r = sg.suggest("EXAM: US ABDOMEN COMPLETE\nFINDINGS: Liver normal. Gallbladder normal. Common bile duct "
                   "3 mm. Pancreas normal. Spleen normal. Right kidney and left kidney normal. IVC patent. "
                   "Aorta normal caliber.")
    assert codes(r) == ["76700"]


def test_screening_vs_diagnostic_mammo_from_history(sg):
    r = sg.suggest("EXAM: MAMMOGRAM BILATERAL\nHISTORY: Palpable lump in the left breast.\nFINDINGS: ...")
    assert codes(r) == ["77066"]


# ---- §8 corrections
def test_web_error_74178_is_without_then_with(sg):
    assert codes(sg.suggest("CT ABDOMEN AND PELVIS WITH CONTRAST")) == ["74177"]


def test_web_error_77046_is_without(sg):
    assert codes(sg.suggest("MRI BREAST RIGHT WITHOUT CONTRAST")) == ["77046-RT"]


def test_web_error_no_77061_with_screening(sg):
    assert codes(sg.suggest("SCREENING MAMMOGRAM BILATERAL WITH 3D TOMOSYNTHESIS")) == ["77063", "77067"]


def test_web_error_76001_never_suggested(sg):
    r = sg.suggest("FLUOROSCOPY DURING PROCEDURE")
    assert "76001" not in codes(r)


def test_web_error_74230_is_modified_swallow(sg):
    assert codes(sg.suggest("MODIFIED BARIUM SWALLOW STUDY")) == ["74230"]
    assert codes(sg.suggest("BARIUM SWALLOW ESOPHAGRAM")) == ["74220"]


# ---- modifiers
def test_component_modifiers():
    pro, tc, glob = (Suggester(billing=b) for b in ("professional", "technical", "global"))
    assert codes(pro.suggest("XR ELBOW 2 VIEWS RIGHT")) == ["73070-26-RT"]
    assert codes(tc.suggest("XR ELBOW 2 VIEWS RIGHT")) == ["73070-TC-RT"]
    assert codes(glob.suggest("XR ELBOW 2 VIEWS RIGHT")) == ["73070-RT"]


def test_bilateral_by_payer():
    med = Suggester(billing="professional", payer="medicare")
    com = Suggester(billing="professional", payer="commercial")
    assert codes(med.suggest("XR KNEES BILATERAL 3 VIEWS")) == ["73562-26-50"]
    assert codes(com.suggest("XR KNEES BILATERAL 3 VIEWS")) == ["73562-26-LT", "73562-26-RT"]


def test_midline_codes_never_get_side(sg):
    assert codes(sg.suggest("CT CHEST LEFT WITHOUT CONTRAST")) == ["71250"]


def test_laterality_missing_flag(sg):
    r = sg.suggest("XR WRIST 3 VIEWS")
    assert codes(r) == ["73110"]
    assert "laterality_missing" in flag_types(r)


# ---- error records
@pytest.mark.parametrize("rec,kind", [
    ({"id": "a", "text": ""}, "empty_text"),
    ({"id": "b", "text": "   \n "}, "empty_text"),
    ({"id": "c", "text": 42}, "text_not_string"),
    ({"id": "d"}, "missing_text"),
    ({"id": "e", "text": "x" * 1_000_001}, "text_too_large"),
    ({"id": "f", "text": "CT HEAD", "billing": "hospital"}, "invalid_billing"),
    ({"id": "g", "text": "CT HEAD", "payer": "nobody"}, "unknown_payer"),
    (["not", "a", "dict"], "invalid_record"),
])
def test_error_records(sg, rec, kind):
    out = sg.suggest_record(rec, 7)
    assert out["status"] == "error"
    assert out["error"]["type"] == kind
    assert out["id"] == (rec.get("id") if isinstance(rec, dict) else "line-7")


@pytest.mark.parametrize("text", ["...,;;--!!??\n***", "\u2028\u3000\u00a0\u200b\ufeff", "__ -- //\n\t#", "\x07\x1b\x7f"])
def test_a_text_without_letters_or_digits_is_an_empty_text_error(sg, text):
    """Only punctuation, symbols or invisible characters: nothing to code, said as an error
    record (it used to be an ``ok`` record with no codes and "no billable exam recognised")."""
    out = sg.suggest_record({"id": "p", "text": text})
    assert (out["status"], out["error"]) == ("error", {"type": "empty_text", "message": "text has no letters or digits"})
    assert [c["code"] for c in sg.suggest("... XR CHEST 2 VIEWS ...")["codes"]] == ["71046"]
    assert [c["code"] for c in sg.suggest("-- CT HEAD WO --")["codes"]] == ["70450"]


def test_missing_id_gets_line_number(sg):
    assert sg.suggest_record({"text": "CT HEAD"}, 12)["id"] == "line-12"


# ---- sections
def test_sections_headers_and_title():
    text = ("CT HEAD WO\nCLINICAL HISTORY: fall\nTechnique - axial images\nCOMPARISON none\n"
            "FINDINGS\nNormal.\nIMPRESSION: Normal.")
    lex = load_lexicon()
    names = [s.name for s in split_sections(text, lex.sections)]
    assert names == ["exam", "history", "technique", "comparison", "findings", "impression"]


# ---- lexicon validation
@pytest.fixture
def lexcopy(tmp_path):
    d = tmp_path / "lex"
    shutil.copytree(lexicon_dir(), d)
    return d


def test_lexicon_rejects_duplicate_term(lexcopy):
    p = lexcopy / "terms" / "side.tsv"
    n = len(p.read_text().splitlines())
    p.write_text(p.read_text() + "right\tside=right\n")
    with pytest.raises(LexiconError, match=rf"side.tsv:{n + 1}: duplicate term 'right'"):
        load_lexicon(lexcopy)


def test_lexicon_rejects_unknown_label(lexcopy):
    p = lexcopy / "terms" / "side.tsv"
    n = len(p.read_text().splitlines())
    p.write_text(p.read_text() + "sinister\tside=leftish\n")
    with pytest.raises(LexiconError, match=rf"side.tsv:{n + 1}: unknown side label 'leftish'"):
        load_lexicon(lexcopy)


def test_lexicon_rejects_unknown_key(lexcopy):
    p = lexcopy / "codes.jsonl"
    lines = p.read_text().splitlines()
    obj = json.loads(lines[1])
    obj["colour"] = "red"
    lines[1] = json.dumps(obj)
    p.write_text("\n".join(lines) + "\n")
    with pytest.raises(LexiconError, match=r"codes.jsonl:2: unknown key\(s\) \['colour'\]"):
        load_lexicon(lexcopy)


def test_lexicon_rejects_unknown_attribute(lexcopy):
    p = lexcopy / "terms" / "side.tsv"
    n = len(p.read_text().splitlines())
    p.write_text(p.read_text() + "dexter\tflavour=right\n")
    with pytest.raises(LexiconError, match=rf"side.tsv:{n + 1}: unknown attribute 'flavour'"):
        load_lexicon(lexcopy)


def test_every_code_of_the_reference_is_in_the_table():
    ref = Path(__file__).resolve().parents[2] / "shared" / "domain" / "cpt_reference.csv"
    if not ref.exists():
        pytest.skip("../shared not present")
    ref_codes = {line.split(",")[0] for line in ref.read_text().splitlines()[1:]}
    assert set(load_lexicon().codes) == ref_codes
