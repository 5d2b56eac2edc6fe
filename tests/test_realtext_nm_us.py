"""Real-world text (issue 11) for nuclear medicine, PET, ultrasound, duplex, mammography and
DXA: one test per failure class fixed, each with a short report written for the test."""

from __future__ import annotations

import pytest
from conftest import codes


def flag_types(rec):
    return sorted({f["type"] for f in rec["flags"]})


# ------------------------------------------------------------------ approaches (CODING_RULES §3)


@pytest.mark.parametrize("text,want", [
    # the transvaginal approach alone is its own code, whatever the trimester
    ("US OB FIRST TRIMESTER ENDOVAGINAL\nTECHNIQUE: Endovaginal imaging only; no transabdominal images.\n"
     "FINDINGS: Single live intrauterine gestation, CRL 8 weeks 1 day.", ["76817"]),
    # both approaches: the trimester code plus the transvaginal one
    ("US OB 2ND TRIMESTER, TRANSABDOMINAL AND TRANSVAGINAL\nTECHNIQUE: Transabdominal survey, then "
     "transvaginal views of the cervix.\nFINDINGS: Single live fetus at 24 weeks. Cervix 31 mm.",
     ["76805", "76817"]),
    ("US OB <14 WKS\nTECHNIQUE: Transabdominal and transvaginal imaging.\nFINDINGS: Single live "
     "intrauterine pregnancy, CRL 10 weeks.", ["76801", "76817"]),
    # the non-obstetric pelvis keeps its pair
    ("US PELVIS TRANSABDOMINAL AND TRANSVAGINAL\nFINDINGS: Uterus 7 cm, endometrium 5 mm. Both ovaries "
     "normal. Bladder normal.", ["76830", "76856"]),
])
def test_transvaginal_approach_is_its_own_code(sg, text, want):
    assert codes(sg.suggest(text)) == want


# ------------------------------------------------------------------ complete vs limited (§5)


def test_complete_abdomen_with_organs_not_visualized_is_limited(sg):
    text = ("EXAM: US ABDOMEN COMPLETE\nTECHNIQUE: Grayscale images. Bowel gas: the pancreas and the "
            "aorta could not be visualized.\nFINDINGS: Liver normal. Gallbladder without stones, CBD 4 mm. "
            "Spleen 9 cm. Both kidneys normal. IVC patent. Pancreas and aorta not visualized.")
    rec = sg.suggest(text)
    assert codes(rec) == ["76705"]
    assert "complete_exam_elements_missing" in flag_types(rec)


def test_complete_abdomen_with_every_organ_stays_complete(sg):
    text = ("EXAM: US ABDOMEN COMPLETE\nFINDINGS: Liver normal. Gallbladder without stones, CBD 4 mm. "
            "Pancreas normal. Spleen 9 cm. Both kidneys normal. IVC and aorta normal in caliber.")
    assert codes(sg.suggest(text)) == ["76700"]


def test_surgically_absent_organ_still_counts_as_documented(sg):
    text = ("EXAM: US ABDOMEN COMPLETE\nFINDINGS: Liver normal. The gallbladder is not visualized, "
            "status post cholecystectomy. CBD 6 mm. Pancreas normal. Spleen 9 cm. Both kidneys normal. "
            "IVC and aorta normal in caliber.")
    assert codes(sg.suggest(text)) == ["76700"]


def test_renal_study_without_the_bladder_is_limited(sg):
    text = ("US RENAL COMPLETE\nTECHNIQUE: Grayscale images of both kidneys. The bladder was not "
            "imaged (Foley catheter).\nFINDINGS: Right kidney 11 cm, left kidney 11.5 cm, no hydronephrosis.")
    assert codes(sg.suggest(text)) == ["76775"]


# ------------------------------------------------------------------ one side not examined (§5, §6)


@pytest.mark.parametrize("text,want", [
    ("EXAM: CAROTID DUPLEX BILATERAL\nTECHNIQUE: Color and spectral Doppler of the right carotid "
     "arteries. The left neck could not be scanned because of a surgical dressing.",
     ["93882-RT"]),
    ("EXAM: VENOUS DUPLEX BOTH LEGS\nTECHNIQUE: Compression and Doppler of the left leg veins.\n"
     "FINDINGS: Left: no DVT.\nRIGHT: Not examined (cast).", ["93971-LT"]),
    ("EXAM: MAMMOGRAM DIAGNOSTIC BILATERAL\nTECHNIQUE: Left CC and MLO views. The right breast is "
     "surgically absent.\nFINDINGS: Left breast: no suspicious finding.", ["77065-LT"]),
    ("CAROTID DUPLEX BILATERAL\nTechnique: Carotid duplex.\nFindings: Right ICA 40% stenosis. Left ICA "
     "normal.\nADDENDUM: The left carotid system was not examined; the study is limited to the right side.",
     ["93882-RT"]),
])
def test_side_not_examined_is_not_billed(sg, text, want):
    rec = sg.suggest(text)
    assert codes(rec) == want
    assert "title_technique_conflict" in flag_types(rec)


def test_another_vessel_not_seen_keeps_a_bilateral_study(sg):
    text = ("EXAM: CAROTID DUPLEX BILATERAL\nTECHNIQUE: Color and spectral Doppler of both carotid "
            "arteries. The left vertebral artery was not visualized.\nFINDINGS: No stenosis.")
    assert codes(sg.suggest(text)) == ["93880"]
