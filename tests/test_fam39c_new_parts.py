"""Causes found in the new outside-written parts (fam39c): mobile x-ray and urgent care (dv_v), structured
templates (dv_w), resident prelims with attending addenda (dv_y). Own short reports in other words, each
failing before its change; the rule must hold for the pattern, not the phrase."""

import pytest

from suggester import Suggester


@pytest.fixture(scope="module")
def sug():
    return Suggester(billing="professional", payer="medicare")


def lines(sug, text):
    out = []
    for c in sug.suggest(text)["codes"]:
        mods = [m for m in c.get("modifiers", []) if m not in ("26", "TC")]
        out.append("-".join([c["code"], *mods]))
    return sorted(out)


# --- views: a patient position in a statement that says its one projection was all (CODING_RULES §4)

@pytest.mark.parametrize("text", [
    "PORTABLE CHEST\nTech: resident sitting, semi-erect, AP only.\nFINDINGS: Lungs clear. No effusion.\n"
    "IMPRESSION: No acute process.\n",
    "EXAM: CHEST 1V PORT\nNote: bedbound, upright, AP only obtained.\nFINDINGS: Low lung volumes. No pneumothorax.\n"
    "IMPRESSION: No acute findings.\n",
])
def test_position_beside_a_projection_said_only_is_no_view(sug, text):
    assert lines(sug, text) == ["71045"]


def test_two_positions_of_the_abdomen_stay_two_views(sug):
    text = "XR ABDOMEN\nTECHNIQUE: Supine and upright views of the abdomen.\nFINDINGS: Nonobstructive gas pattern.\n"
    assert lines(sug, text) == ["74019"]


# --- a level of care in a facility name is no acute abdomen series

@pytest.mark.parametrize("text", [
    "XR CHEST 1 VIEW PORTABLE, Sunrise Post-Acute rm 12\nFINDINGS: Single AP view. Clear lungs.\n",
    "PORTABLE XRAY -- ADDENDUM\nOriginal exam: XR CHEST 1 VIEW PORTABLE 11/02/2026, Maple Post-Acute rm 3\n"
    "Original report: Single AP view. Clear lungs.\nADDENDUM: no change.\n",
    "Exam: XR CHEST PORTABLE  Site: Hillcrest Sub-Acute Unit bed 2\nFINDINGS: Single AP view. Clear lungs.\n",
])
def test_post_acute_facility_is_no_acute_abdomen_series(sug, text):
    assert lines(sug, text) == ["71045"]


def test_acute_abdomen_title_still_is_the_series(sug):
    text = "XR ABDOMEN ACUTE 3 VIEWS\nFINDINGS: Supine and upright abdomen, PA chest. No free air.\n"
    assert lines(sug, text) == ["74022"]


# --- a same-day repeat said in the title or technique: 76, flagged (CODING_RULES §1)

@pytest.mark.parametrize("text,want", [
    ("EXAM: XR CHEST PORTABLE (REPEAT, SAME DAY)\nFINDINGS: Single AP view. New right lower lobe opacity since "
     "this morning.\nIMPRESSION: New consolidation.\n", "71045-76"),
    ("EXAM: CT HEAD WITHOUT CONTRAST - REPEAT SAME DATE\nHISTORY: Worsening headache, earlier CT today read by me.\n"
     "TECHNIQUE: Axial noncontrast images of the head.\nFINDINGS: Stable small subdural.\n", "70450-76"),
    ("XR ABDOMEN 1 VIEW\nTECHNIQUE: Repeat same-day supine AP abdomen to confirm tube position, interpreted by me "
     "as was the earlier film.\nFINDINGS: Tube tip in the stomach.\n", "74018-76"),
])
def test_same_day_repeat_is_76(sug, text, want):
    r = sug.suggest(text)
    assert lines(sug, text) == [want]
    assert "modifier_review" in {f["type"] for f in r["flags"]}


def test_a_repeat_recommended_is_no_76(sug):
    text = "XR CHEST 1 VIEW\nIMPRESSION: No pneumothorax. Recommend repeat same day if symptoms worsen.\n"
    assert lines(sug, text) == ["71045"]


# --- the study not done said after "rather than" (CODING_RULES §5, §6)

def test_diagnostic_ct_rather_than_screening(sug):
    text = ("EXAM: CT CHEST WITHOUT CONTRAST\nORDER: LOW DOSE LUNG SCREENING\nHISTORY: Screening ordered; new "
            "hemoptysis.\nTECHNIQUE: Because of symptoms a standard diagnostic CT was acquired rather than a low-dose "
            "screening study. Axial images.\nFINDINGS: 2 cm RUL nodule.\nIMPRESSION: Suspicious nodule.\n")
    assert lines(sug, text) == ["71250"]


def test_without_contrast_rather_than_with(sug):
    text = ("EXAM: CT ABDOMEN PELVIS\nTECHNIQUE: Images were obtained without IV contrast rather than with contrast "
            "due to allergy. Oral contrast given.\nFINDINGS: Normal.\n")
    assert lines(sug, text) == ["74176"]


def test_screening_ldct_stays_screening(sug):
    text = ("EXAM: CT CHEST LOW DOSE SCREENING\nHISTORY: 62 yo, 40 pack-year smoker, asymptomatic.\nTECHNIQUE: "
            "Low-dose screening CT of the chest without contrast.\nFINDINGS: 4 mm nodule. Lung-RADS 2.\n")
    assert lines(sug, text) == ["71271"]


# --- the IV line and the people placing it are no contrast given (CODING_RULES §2)

@pytest.mark.parametrize("text", [
    "EXAM: CT ABDOMEN PELVIS W CONTRAST\nTECHNIQUE: Axial CT images of the abdomen and pelvis were obtained following "
    "oral administration of 500 mL dilute Omnipaque. Intravenous contrast was not given because IV access failed "
    "after multiple attempts by nursing and the US-guided IV team. Coronal and sagittal reformats.\n"
    "FINDINGS: Small bowel obstruction.\n",
    "EXAM: CT ABDOMEN PELVIS WITH IV CONTRAST\nTECHNIQUE: Noncontrast axial images of the abdomen and pelvis. "
    "Peripheral access was attempted by nursing and then by the ultrasound-guided IV team, without success.\n"
    "FINDINGS: Normal.\n",
])
def test_iv_team_is_no_contrast(sug, text):
    assert lines(sug, text) == ["74176"]


def test_contrast_through_an_iv_line_is_still_with(sug):
    text = ("EXAM: CT ABDOMEN PELVIS\nTECHNIQUE: 100 mL Omnipaque 350 given through a right antecubital IV line. "
            "Portal venous phase.\nFINDINGS: Normal.\n")
    assert lines(sug, text) == ["74177"]


# --- a title exam stopped after its scout is not billed (CODING_RULES §6)

def test_exam_cancelled_after_scout_is_not_billed(sug):
    text = ("CT HEAD WITHOUT CONTRAST / CT CERVICAL SPINE WITHOUT CONTRAST\nTECHNIQUE: Noncontrast axial CT of the "
            "head. For the cervical spine only a scout was acquired before the patient became agitated; the cervical "
            "spine CT was cancelled and no axial images were obtained.\nFINDINGS (HEAD): No hemorrhage.\n"
            "IMPRESSION: No acute intracranial abnormality.\n")
    assert lines(sug, text) == ["70450"]


def test_localizer_only_then_cancelled(sug):
    text = ("CT CHEST W / CT ABDOMEN PELVIS W\nTECHNIQUE: Contrast-enhanced axial images of the chest after 75 mL "
            "Isovue. Of the abdomen and pelvis only a localizer was acquired before the injector alarm; per the "
            "referring team the abdomen and pelvis study was cancelled.\nFINDINGS: No pulmonary embolism.\n"
            "IMPRESSION: Negative.\n")
    assert lines(sug, text) == ["71260"]


def test_scout_then_axial_images_bills_both(sug):
    text = ("CT HEAD WO / CT CERVICAL SPINE WO\nTECHNIQUE: Scout of the head and cervical spine, then axial images of "
            "the head and cervical spine without contrast.\nFINDINGS: Normal head. Normal cervical spine.\n")
    assert lines(sug, text) == ["70450", "72125"]


# --- an MR cholangiogram is an MRI of the abdomen (74181-74183), never an angiogram

@pytest.mark.parametrize("text,want", [
    ("EXAM: MR CHOLANGIOGRAPHY WITHOUT CONTRAST\nTECHNIQUE: Heavily T2-weighted coronal and axial images; 3D "
     "acquisition.\nFINDINGS: Choledocholithiasis.\n", "74181"),
    ("EXAM: MRI CHOLANGIOGRAM W/WO\nTECHNIQUE: T2 and MRCP sequences, T1 before and after 7 mL gadobutrol.\n"
     "FINDINGS: Hilar stricture.\n", "74183"),
    ("EXAM: MR CHOLANGIOGRAM WITH CONTRAST\nTECHNIQUE: MRI abdomen: T2, DWI, precontrast and postcontrast T1 after "
     "gadoterate.\nFINDINGS: Normal ducts.\n", "74183"),
])
def test_mr_cholangiogram_is_mri_abdomen(sug, text, want):
    assert lines(sug, text) == [want]


# --- contrast per region of a chest/abdomen/pelvis CT (CODING_RULES §2, §3)

@pytest.mark.parametrize("text,want", [
    ("EXAM: CT CHEST ABDOMEN PELVIS WITH CONTRAST\nTECHNIQUE: The chest was scanned without intravenous contrast. "
     "The abdomen and pelvis were then scanned in portal venous phase after 100 mL Isovue 370.\nFINDINGS:\n"
     "Lungs and pleura: Clear.\nLiver: Normal.\nIMPRESSION: Negative.\n", ["71250", "74177"]),
    ("EXAM: CT CHEST ABDOMEN PELVIS W CONTRAST\nTECHNIQUE: Noncontrast chest. The abdomen and pelvis were then imaged "
     "following 100 mL Isovue 300 intravenously.\nFINDINGS:\nLungs and pleura: Clear.\nLiver: Normal.\n",
     ["71250", "74177"]),
    ("EXAM: CT CHEST ABDOMEN PELVIS WITH CONTRAST\nTECHNIQUE: The chest was imaged without IV contrast. The abdomen "
     "and pelvis were imaged in the portal venous phase after 100 mL Omnipaque 350. (Contrast injection started "
     "after chest acquisition because the first IV infiltrated.)\nFINDINGS:\nLungs and pleura: Clear.\n"
     "Liver: Normal.\n", ["71250", "74177"]),
    ("EXAM: CT CAP W\nTECHNIQUE: Noncontrast chest CT. Iodinated contrast was injected following the chest scan, "
     "and the abdomen and pelvis were imaged in portal venous phase.\nFINDINGS:\nLungs and pleura: Clear.\n"
     "Liver: Normal.\n", ["71250", "74177"]),
    ("EXAM: CT CHEST, ABDOMEN, PELVIS WITHOUT AND WITH CONTRAST\nTECHNIQUE: Unenhanced images of the abdomen were "
     "obtained, followed by contrast enhanced images of the chest, abdomen and pelvis after 100 mL Omnipaque 350 IV.\n"
     "FINDINGS:\nLungs: Clear.\nLiver: Normal.\n", ["71260", "74178"]),
    ("EXAM: CT CHEST, CT ABDOMEN AND PELVIS\nTECHNIQUE: Noncontrast images through the liver, then portal venous "
     "images of the chest, abdomen and pelvis after 100 mL Omnipaque.\nFINDINGS:\nLungs: Clear.\nLiver: Normal.\n",
     ["71260", "74178"]),
])
def test_contrast_per_region(sug, text, want):
    assert lines(sug, text) == want


def test_cap_with_contrast_throughout_stays_with(sug):
    text = ("EXAM: CT CHEST; CT ABDOMEN; CT PELVIS\nTECHNIQUE: Axial images of the chest, abdomen and pelvis after "
            "90 mL Isovue 370.\nFINDINGS:\nLungs: Clear.\nLiver: Normal.\n")
    assert lines(sug, text) == ["71260", "74177"]
