"""Error classes of the dev split (acc18: text written outside the team) in ultrasound, duplex, mammography,
bone density, nuclear medicine, PET, radiographs, fluoroscopy and guidance, fixed with general rules.
Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a title part its writer struck out and replaced ("X? no - Y", "X - not applicable. Y"): the exam is the
    # replacement (CODING_RULES §6: bill what was performed)
    ("XR HAND 3 VIEWS? no - WRIST 3 VIEWS RIGHT\nHistory: fall.\nPA, oblique and lateral views of the right "
     "wrist. No fracture.\nIMPRESSION: Negative.", ["73110-RT"]),
    ("US RENAL - not applicable. US BLADDER LIMITED\nHistory: urinary retention.\nBladder volume 420 mL before "
     "voiding, 160 mL after.\nIMPRESSION: Incomplete emptying.", ["76857"]),
    ("CT ABD - N/A. US ABDOMEN LIMITED RUQ\nHx: RUQ pain.\nLiver and gallbladder imaged. Gallstones without "
     "wall thickening. CBD 4 mm.\nIMP: Cholelithiasis.", ["76705"]),
    # ... a questioned word of the title answered by another one ("TRANSVAGINAL? -- TRANSLABIAL"): that word
    # alone is struck
    ("US PELVIS TRANSABDOMINAL AND ENDOVAGINAL? -- TRANSLABIAL\nHx: 15 yo, pelvic pain, virginal.\n"
     "Transabdominal images of the uterus and both ovaries. Translabial views of the vagina.\n"
     "IMPRESSION: Normal pelvic ultrasound.", ["76856"]),
])
def test_struck_title_part(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a question mark that asks about the indication, with no replacement after it, strikes nothing
    ("XR WRIST RIGHT 3 VIEWS ? FRACTURE\nPA, oblique and lateral views of the right wrist. No fracture.",
     ["73110-RT"]),
])
def test_title_question_strikes_nothing(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a report without a technique header whose body says the SPECT/CT imaged areas named apart ("of the
    # cervical spine and of the pelvis"): two areas (78832), as a technique section would
    ("SPECT/CT BONE - CERVICAL SPINE AND PELVIS\nHx: prostate ca, indeterminate foci on the planar scan.\n"
     "Tc-99m MDP 24 mCi. SPECT/CT of the cervical spine and of the pelvis. No planar images were "
     "acquired.\nC5 uptake is degenerative. Right "
     "acetabular uptake matches a sclerotic lesion.\nImpression: Right acetabular metastasis.", ["78832"]),
    ("NM SPECT/CT LOCALIZATION\nHistory: neuroendocrine tumor.\nIn-111 pentetreotide. SPECT/CT of the chest "
     "and of the abdomen.\nFocal uptake in the pancreatic tail.\nIMPRESSION: Somatostatin receptor positive pancreatic "
     "tail lesion.", ["78832"]),
])
def test_spect_areas_in_body(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the second study of the day by the same group, after an earlier study that was limited: a repeat (76),
    # the earlier study's limitation no reduction of this one (CODING_RULES §1)
    ("US DUPLEX VENOUS LOWER EXTREMITY LEFT - SECOND EXAM SAME DAY\nHistory: the morning study was limited by "
     "leg dressings.\nTechnique: Repeated after an incomplete exam this morning; the dressings were removed.\n"
     "Findings: Left common femoral to calf veins compressible. No DVT.\nImpression: Negative.",
     ["93971-76-LT"]),
    ("XR CHEST 1 VIEW, 2ND STUDY SAME DAY\nIndication: line placement.\nAP portable view after a limited study "
     "earlier today. Right IJ catheter tip at the cavoatrial junction. No pneumothorax.\nIMPRESSION: Line in "
     "good position.", ["71045-76"]),
])
def test_second_study_same_day(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a title that restricts a bilateral order to one side ("BILAT ... RIGHT ONLY") after a procedure it
    # names as done before ("S/P STEREOTACTIC BIOPSY", "AFTER BIOPSY"): that breast's diagnostic study, no
    # guidance of its own (CODING_RULES §5, §6)
    ("MG DIAGNOSTIC BILAT - S/P STEREOTACTIC BIOPSY FILMS, RIGHT ONLY\nPost-biopsy CC and ML views of the right "
     "breast. The X-shaped clip is at the biopsy site.\nIMPRESSION: Clip in good position.", ["77065-RT"]),
    ("MAMMOGRAM DIAGNOSTIC BILATERAL -- AFTER BIOPSY CLIP CHECK LEFT ONLY\nTwo views of the left breast show "
     "the clip 4 mm from the biopsy cavity.\nIMPRESSION: Satisfactory clip placement.", ["77065-LT"]),
])
def test_bilateral_title_restricted_to_one_side(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a part within the foot or hand (toes, calcaneus, fingers) that the title names beside it, with
    # projections stated of the foot / hand only: the containing series (CODING_RULES §4, §6)
    ("XR RIGHT FOOT 3 VIEWS + TOES\nHistory: stubbed the fifth toe.\nAP, oblique and lateral views of the right "
     "foot. Nondisplaced fracture of the fifth toe proximal phalanx.\nIMPRESSION: Fifth toe fracture.",
     ["73630-RT"]),
    ("RIGHT HAND 3 VIEWS; jammed finger; PA, oblique and lateral of the right hand; small avulsion at the "
     "base of the middle phalanx of the ring finger. IMPRESSION: volar plate avulsion.", ["73130-RT"]),
    # ... the part's own projections keep its code
    ("XR LEFT FOOT 3 VIEWS AND LEFT TOES\nAP, oblique and lateral views of the left foot. AP and lateral views "
     "of the left great toe.\nIMPRESSION: Hallux rigidus.", ["73630-LT", "73660-LT"]),
])
def test_part_within_series(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a breast ultrasound a mammogram's title joins on with no anatomy of its own ("MAMMO L + US L") or a
    # findings part labelled with its side ("US RIGHT BREAST:"): the ultrasound is billed too (CODING_RULES §6)
    ("MAMMO DX BILAT / US RT\nBilateral CC and MLO views. Scanned the right 2:00 region: 6 mm cyst.\n"
     "IMPRESSION: BI-RADS 2.", ["76642-RT", "77066"]),
    ("DIAGNOSTIC MAMMO R + US R\nRight CC and ML views. Sonographic images at 9:00: 8 mm oval mass.\n"
     "IMPRESSION: BI-RADS 3.", ["76642-RT", "77065-RT"]),
    ("DIAGNOSTIC MAMMOGRAM RIGHT\nHistory: palpable lump.\nMAMMOGRAM: Right CC and ML views, no mass.\n"
     "US RT BREAST: 1 cm simple cyst at 11:00, 3 cm from the nipple.\nIMPRESSION: Simple cyst. BI-RADS 2.",
     ["76642-RT", "77065-RT"]),
])
def test_breast_ultrasound_beside_mammogram(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a foreign-body film from the nose to the rectum, its extent in the title beside (or in parentheses
    # after) the abdomen or chest it covers: one film, 76010
    ("XR ABDOMEN FOREIGN BODY (NOSE TO RECTUM), 1 VIEW\n4 yo swallowed a coin. Single AP view. Coin projects "
     "over the stomach.\nIMP: Gastric coin.", ["76010"]),
    ("XR CHEST AND ABDOMEN - NOSE TO RECTUM FB\n2 yo, swallowed a battery? Single frontal film. No radiopaque "
     "foreign body.", ["76010"]),
])
def test_nose_to_rectum_film(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a report without a technique section whose body documents the ACE-inhibitor study and the baseline
    # study: two studies (78709), as a technique section would
    ("CAPTOPRIL RENOGRAM\nHx: refractory HTN.\nDay 1: Tc-99m MAG3 flow and function 1 hour after captopril 50 mg. "
     "Day 2: baseline study with identical acquisition without captopril.\nFindings: Normal time to peak on both "
     "days.\nImpression: Low probability of renovascular hypertension.", ["78709"]),
    ("ACE INHIBITOR RENAL SCAN\nIndication: young woman with hypertension.\nBaseline MAG3 with flow and "
     "function images; second MAG3 study the next morning after oral captopril.\nSymmetric function on both.\n"
     "IMP: Negative for renovascular hypertension.", ["78709"]),
])
def test_renogram_two_studies_in_body(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # ... a body saying the ACE inhibitor was held and the baseline study alone was done: one study
    ("NM RENAL SCAN + CAPTOPRIL\nTc-99m MAG3 9 mCi, posterior flow and 30 minute function images.\nCaptopril "
     "was withheld (systolic pressure 92); baseline study only.\nIMPRESSION: Normal renogram.", ["78707"]),
])
def test_renogram_ace_inhibitor_held(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
