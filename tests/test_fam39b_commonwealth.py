"""Reports from UK, Irish, Australian, New Zealand and Canadian hospitals (fam39b): their spelling
("oesophagus", "haemorrhage", "tumour", "centre"), their exam names ("AXR", "OPG", "MCUG", "IVU", "HRCT",
"CT KUB", "US KUB", "contrast swallow", "lower limb"), their views ("OM, OM30", "DP"), their gestational ages
("9+1 weeks", "32/40") and their words that only look like coding words in US usage ("screening time" is the
fluoroscopy time). Own short reports, no copied text."""

import json
import shutil
from pathlib import Path

import pytest

from suggester import Suggester
from suggester.lexicon import LexiconError, load_lexicon


@pytest.fixture(scope="module")
def sug():
    return Suggester(billing="professional", payer="medicare")


def lines(sug, text):
    """code-modifiers of each line, without the professional component, and units above one"""
    out = []
    for c in sug.suggest(text)["codes"]:
        mods = "".join("-" + m for m in c.get("modifiers", []) if m != "26")
        out.append(c["code"] + mods + (f"x{c['units']}" if c.get("units", 1) > 1 else ""))
    return sorted(out)


@pytest.mark.parametrize("text, want", [
    ("AXR\nClinical details: abdo pain and vomiting.\nReport: Supine AXR. Faecal residue in the right colon. "
     "No dilated bowel.\nConclusion: No obstruction.", ["74018"]),
    ("OPG\nClinical details: swelling lower jaw, ?dental abscess.\nReport: Periapical lucency at the LL6. No fracture.",
     ["70355"]),
    ("MCUG\nClinical details: antenatal hydronephrosis.\nProcedure: Bladder catheterised and contrast instilled; "
     "micturating images obtained. Screening time 0.8 min.\nConclusion: No VUR.", ["74455"]),
    ("IVU\nClinical details: haematuria.\nReport: Control and post contrast films. Normal upper tracts.", ["74400"]),
    ("HRCT CHEST\nClinical details: ?ILD.\nReport: Prone and expiratory images. No fibrosis.", ["71250"]),
    ("BARIUM FOLLOW THROUGH\nClinical details: ?Crohn's.\nReport: Stricture of the terminal ileum.", ["74250"]),
    ("OESOPHAGRAM\nClinical details: dysphagia.\nReport: Normal swallow. The oesophagus is of normal calibre.",
     ["74220"]),
    ("GASTROGRAFIN SWALLOW\nClinical details: day 5 after oesophagectomy.\nReport: No leak.", ["74220"]),
    ("US KUB\nClinical details: recurrent UTI, child.\nReport: Both kidneys normal size, no hydronephrosis. "
     "Bladder well filled, normal wall.", ["76770"]),
    ("US LEFT LOWER LIMB VENOUS DOPPLER\nClinical details: swollen left leg.\nReport: Common femoral to popliteal "
     "veins compressible with normal colour flow. No DVT.", ["93971-LT"]),
    ("CT TAP\nClinical details: lymphoma restaging.\nTechnique: Portal venous phase following IV contrast.\n"
     "Report: Smaller nodes.", ["71260", "74177"]),
    ("XR PNS\nClinical details: sinusitis.\nReport: OM view. Opacified left maxillary antrum.", ["70210"]),
    ("MRI RECTUM\nClinical details: staging of rectal cancer.\nReport: T3b tumour, MRF clear.", ["72195"]),
])
def test_commonwealth_exam_names(sug, text, want):
    assert lines(sug, text) == want


@pytest.mark.parametrize("text, want", [
    # the occipitomental projections: OM and OM30 are two views, with the lateral three
    ("XR FACIAL BONES\nClinical details: assault.\nReport: OM, OM30 and lateral views. No fracture.", ["70150"]),
    # the dorsiplantar view of the foot
    ("XR R FOOT\nClinical details: injury.\nReport: DP, oblique and lateral views. No fracture.", ["73630-RT"]),
    # the dorsalis pedis pulse of the history is no view
    ("XR R FOOT\nClinical details: diabetic, absent DP pulse.\nReport: AP and oblique views. No fracture.",
     ["73620-RT"]),
])
def test_commonwealth_views(sug, text, want):
    assert lines(sug, text) == want


def test_weeks_plus_days_and_weeks_of_forty_are_the_scan_age(sug):
    early = ("US OBSTETRIC DATING SCAN\nClinical details: booking.\nReport: Single intrauterine pregnancy. "
             "CRL 24 mm = 9+1 weeks. FH present.")
    assert lines(sug, early) == ["76801"]
    assert lines(sug, "US OBSTETRIC\nReport: Single live intrauterine pregnancy at 11+3/40. FH seen.") == ["76801"]


def test_screening_time_is_the_fluoroscopy_time_not_a_screening_exam(sug):
    ex = sug.extract("MCUG\nProcedure: Catheter inserted, contrast instilled, voiding images. "
                     "Screening time 1.1 min.\nConclusion: No reflux.")
    assert [(f.site, "screening" in f.quals) for f in ex.frames] == [("urethra_bladder", False)]


def test_one_side_before_two_parts_is_the_side_of_both(sug):
    text = ("XR R ANKLE & FOOT\nClinical details: inversion injury.\nReport:\nAnkle AP, mortise and lateral: "
            "no fracture.\nFoot DP and oblique: no fracture.")
    assert lines(sug, text) == ["73610-RT", "73620-RT"]
    assert lines(sug, "XR RIGHT HAND AND LEFT WRIST\nReport: two views each. No fracture.") == ["73100-LT", "73120-RT"]


def test_chest_film_listed_before_the_rib_views_counts(sug):
    text = "XR RIBS LEFT\nClinical details: fall.\nReport: PA chest and two oblique views of the left ribs. No fracture."
    assert lines(sug, text) == ["71101-LT"]


def test_a_finding_not_clearly_normal_leaves_the_perfusion_done(sug):
    text = ("V/Q SCAN\nClinical details: ?PE, pregnant.\nTechnique: Perfusion images with Tc-99m MAA. Ventilation "
            "with Technegas added as the perfusion was not clearly normal.\nConclusion: Normal V/Q scan.")
    assert lines(sug, text) == ["78582"]


def test_the_sided_decubitus_named_again_is_one_view(sug):
    text = ("XR ABDO (NEONATE)\nClinical details: ?NEC.\nReport: Supine AP and left lateral decubitus views. "
            "No free gas on the decubitus view.")
    assert lines(sug, text) == ["74019"]


def test_umbilical_artery_doppler_of_each_twin(sug):
    text = ("US OBSTETRIC GROWTH - DCDA TWINS\nTechnique: Transabdominal. Biometry and umbilical artery Doppler for "
            "each twin.\nFindings: Twin 1 cephalic, EFW 1400 g; UA PI normal. Twin 2 breech, EFW 1350 g; UA PI normal."
            "\nConclusion: Concordant growth.")
    assert lines(sug, text) == ["76816x2", "76820x2"]


def test_regional_spelling_reads_as_the_term_word_and_makes_no_other(sug):
    spell = sug.nlp.get_pipe("suggester_spelling")
    assert spell.respelled("oesophagus") == "esophagus"
    assert spell.respelled("faecal") == "fecal"
    assert spell.respelled("tumour") == "tumor"
    # a rewrite that spells no lexicon word reads as written ("litre" is no "liver")
    assert spell.respelled("litre") is None
    assert spell.respelled("haemorrhage") is None


def test_respellings_table_is_checked(tmp_path):
    src = Path(__file__).resolve().parents[1] / "lexicons"
    lex = tmp_path / "lex"
    shutil.copytree(src, lex)
    with (lex / "respellings.tsv").open("a", encoding="utf-8") as fh:
        fh.write("ae\te\tmiddle\n")
    with pytest.raises(LexiconError, match="place 'middle'"):
        load_lexicon(lex)
    m = json.loads((lex / "manifest.json").read_text(encoding="utf-8"))
    del m["respellings"]
    (lex / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    assert load_lexicon(lex).respellings == ()


def test_one_film_from_nose_to_rectum_under_a_title_of_its_parts(sug):
    text = ("XR CHEST AND ABDOMEN\nClinical: 2 yo, ?swallowed coin.\nReport: Single AP film from the nose to the "
            "rectum. Coin projected over the stomach.")
    assert lines(sug, text) == ["76010"]
    # the chest and the abdomen taken as films of their own stay two exams
    two = "XR CHEST AND ABDOMEN\nClinical: cough and vomiting.\nReport: AP chest: clear. Supine abdomen: normal gas."
    assert "76010" not in lines(sug, two)
