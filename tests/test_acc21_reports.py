"""Full-length reports and exports as production writes them (stop 34, acc21): lower-cased exports whose
sentence ends, prose and column rows were told by letter case, an accession line run on into a lower-cased
report, a transplanted kidney's ultrasound without its Doppler, and the lower quadrant a graft lies in.
Reports written for these tests."""

from __future__ import annotations

import pytest

from suggester import Suggester


@pytest.fixture(scope="module")
def s():
    return Suggester(billing="global", payer="medicare")


def _codes(out):
    return sorted(c["code"] for c in out["codes"])


# ------------------------------------------------------------------ lower-cased exports


def test_lower_case_comparison_is_its_first_sentence(s):
    """A lower-cased one-line row: the inline comparison ends at its sentence; the plain scan after it is
    this exam's (74176, not the comparison's contrast read as the title's 74177)."""
    text = ("55120031|mrn-xxxx|11/02/2026 09:10|ct abd/pel w con [ctap2]|final|ct abd/pelvis. hx rlq pain. "
            "comparison ct abd/pel with iv contrast 05/2025. this study was performed without iv contrast (egfr 21). "
            "appendix normal. small bowel normal caliber. colon with scattered diverticula, no wall thickening. "
            "no free fluid or free air. imp: no acute process.")
    assert _codes(s.suggest(text)) == ["74176"]
    assert _codes(s.suggest(text.upper())) == ["74176"]


def test_lower_case_exam_label_after_row_title_is_the_title(s):
    """"exam: ct chest with contrast." after a row's title names the exam (lower case is no prose): the
    technique's plain scan is billed (71250), not a merge of both into without-then-with (71270)."""
    text = ("acc 5512 | 11/02/2026 10:01 | ctch2 | ct chest w con | exam: ct chest with contrast. history: 61f "
            "cough. technique: axial ct of the chest. iv contrast was not given (prior reaction); the study was "
            "performed without contrast. findings: 2 cm right lower lobe nodule. impression: nodule.")
    assert _codes(s.suggest(text)) == ["71250"]


def test_lower_case_column_row_is_no_title(s):
    """A lower-cased export's column-header row names no exam: the data row's exam field is the title."""
    text = ("accession|mrn|proc_desc|mod|status|report_text\n"
            "7781|0012|ct chest w con + ct a/p wo/w con|ct|f|ct chest with contrast; ct abdomen and pelvis "
            "without and with contrast. technique: plain images of the abdomen, then images of the abdomen "
            "and pelvis after 100 ml omnipaque 350 iv. the chest was imaged in the portal phase. findings: "
            "renal mass. impression: renal mass.")
    assert _codes(s.suggest(text)) == ["71260", "74178"]


@pytest.mark.parametrize("title, code", [
    ("exam: ct cervical spine wo clinical history: fall. technique: axial noncontrast ct of the cervical "
     "spine with reformats.", "72125"),
    ("exam: xr knee left 4 views clinical history: pain. technique: ap, lateral, sunrise and tunnel views "
     "of the left knee.", "73564"),
])
def test_lower_case_accession_line_stops_at_a_header(s, title, code):
    """A lower-cased report run on after its accession ("acc#8812 exam: ..."): the administrative line
    ends at the lower-case header, the report is read (it was all set aside)."""
    text = f"acc#88120045 {title} findings: no fracture. impression: negative."
    assert _codes(s.suggest(text)) == [code]


def test_lower_case_admin_line_still_set_aside(s):
    """The administrative line of a lower-cased report still holds its own fields."""
    text = ("patient: xxxx   mrn: 1234567   acc: 99887766\nexam: xr chest 2 views\n"
            "findings: pa and lateral views. lungs clear.")
    assert _codes(s.suggest(text)) == ["71046"]


# ------------------------------------------------------------------ transplanted kidney


@pytest.mark.parametrize("line", [
    "Grayscale images only; Doppler deferred, the unit was unavailable.",
    "Color and spectral Doppler were not performed.",
    "Grayscale imaging only. No color or spectral images.",
])
def test_transplant_kidney_without_doppler_is_the_limited_retroperitoneal_us(s, line):
    """A transplanted kidney's ultrasound whose Doppler was not done bills its grayscale study (76775),
    not the transplant study with duplex (76776)."""
    text = (f"US RENAL TRANSPLANT\nHistory: transplant 2 years ago, stable creatinine.\n{line}\n"
            "Transplanted kidney 11.2 cm, no hydronephrosis, no perinephric fluid.\nIMPRESSION: Normal graft.")
    assert _codes(s.suggest(text)) == ["76775"]


def test_transplant_kidney_with_doppler_keeps_76776(s):
    text = ("US RENAL TRANSPLANT\nHistory: rising creatinine.\nTransplanted kidney 11.2 cm, no hydronephrosis. "
            "Spectral Doppler: main renal artery and vein patent, RI 0.68, no stenosis.\nIMPRESSION: Normal graft.")
    assert _codes(s.suggest(text)) == ["76776"]


@pytest.mark.parametrize("title", [
    "TRANSPLANT KIDNEY US W/ DOPPLER, RIGHT LOWER QUADRANT: graft 11.9 cm",
    "RENAL TRANSPLANT US WITH DOPPLER, RLQ: graft 11.9 cm",
])
def test_graft_quadrant_is_no_abdominal_exam(s, title):
    """The lower quadrant named beside a transplanted kidney says where the graft lies: no limited
    abdominal ultrasound (76705) beside 76776."""
    text = f"{title}, no hydronephrosis; RI 0.64, normal spectral waveforms."
    assert _codes(s.suggest(text)) == ["76776"]


def test_right_lower_quadrant_alone_is_still_an_exam(s):
    text = "US RLQ\nHistory: pain, ? appendicitis.\nFindings: appendix not seen, no fluid.\nIMPRESSION: Negative."
    assert _codes(s.suggest(text)) == ["76705"]


# ------------------------------------------------------------------ exports written all in capitals


def test_upper_case_procedure_description_is_the_technique(s):
    """In a report written all in capitals, a procedure header whose line describes the study in sentences
    is its technique, not a second title: no limb arterial study (93923) beside the renal duplex."""
    text = ("EXAM: DUPLEX RENAL ARTERIES\nDATE: 11/02/2026 08:10   ACC: 1234567\nCLINICAL INDICATION: 61 Y/O M. "
            "HYPERTENSION ON THREE DRUGS.\nPROCEDURE: DUPLEX OF THE ABDOMINAL AORTA, BOTH MAIN RENAL ARTERIES FROM "
            "ORIGIN TO HILUM, SEGMENTAL ARTERIES AND BOTH RENAL VEINS WITH SPECTRAL DOPPLER. KIDNEYS MEASURED.\n"
            "FINDINGS: AORTA PSV 80 CM/S. RENAL ARTERIES WITHOUT STENOSIS. RENAL VEINS PATENT.\n"
            "IMPRESSION: NO RENAL ARTERY STENOSIS.")
    assert _codes(s.suggest(text)) == ["93975"]


def test_upper_case_title_like_procedure_line_stays_the_title(s):
    text = "PROCEDURE: CT CHEST WITHOUT CONTRAST.\nFINDINGS: SMALL NODULE RIGHT LOWER LOBE.\nIMPRESSION: NODULE."
    assert _codes(s.suggest(text)) == ["71250"]


def test_upper_case_provider_field_stays_administrative(s):
    """"ORDERING PROVIDER:" in a report written all in capitals is one administrative field: its second word
    opens no section that would hide the title below it."""
    text = ("LAKEVIEW COMMUNITY HOSPITAL -- REPORT STATUS: FINAL\nACC# 12345678. ORDERING PROVIDER: DR. SMITH, "
            "HOSPITALIST. MRN 7654321. TECHNOLOGIST: AB. EXAM STATUS: SIGNED.\nCT ORBITS WITH CONTRAST\n"
            "INDICATION: 9 Y/O WITH EYELID SWELLING.\nTECHNIQUE: AXIAL AND CORONAL IMAGES THROUGH THE ORBITS AFTER "
            "IV CONTRAST.\nFINDINGS: ORBITAL CELLULITIS.\nIMPRESSION: CELLULITIS.")
    assert _codes(s.suggest(text)) == ["70481"]


@pytest.mark.parametrize("case", [str.upper, str.lower])
def test_corpus_category_prefix_in_one_case(s, case):
    """A transcription corpus's category before the sample's name ("OBSTETRICS / GYNECOLOGY - ...") is no
    exam in capitals or lower case either: the pelvic study, not an obstetric one."""
    text = ("Obstetrics / Gynecology - Pelvic Ultrasound EXAM: PELVIC ULTRASOUND, TRANSABDOMINAL AND "
            "TRANSVAGINAL. INDICATION: Pelvic pain, 39-year-old. TECHNIQUE: Transabdominal imaging, then "
            "transvaginal imaging of the uterus and ovaries. FINDINGS: Uterus normal, endometrium 7 mm. Ovaries "
            "normal. IMPRESSION: Normal pelvic ultrasound.")
    assert _codes(s.suggest(case(text))) == ["76830", "76856"]


@pytest.mark.parametrize("title, line, code", [
    ("RENAL", "TECHNIQUE: Grayscale and color Doppler images of the kidneys and bladder.\nFINDINGS: Right kidney "
     "11 cm, left kidney 11.5 cm, mild hydronephrosis bilaterally. Bladder distended.", "76770"),
    ("PELVIS", "TECHNIQUE: Grayscale images of the uterus and ovaries.\nFINDINGS: Uterus normal. Ovaries normal.",
     "76856"),
])
def test_dotted_us_without_its_closing_period(s, title, line, code):
    """"U.S" whose closing period a date and an accession number pushed away ("RENAL U.S dated ...") is the
    ultrasound modality still (not a radiograph of the abdomen or pelvis)."""
    text = (f"EXAMINATION: {title} U.S dated 2024-03-02 at 09:15 a.m. ACC# 55120987.\nINDICATION: ___ yo woman "
            f"with pain.\n{line}\nIMPRESSION: See findings.")
    assert _codes(s.suggest(text)) == [code]


def test_upper_case_field_line_under_exam_header_is_no_technique(s):
    """A line of labelled fields under an exam-like header in a report written all in capitals ("EXAM BEGUN:
    ...   EXAM ENDED: ...   TECHNOLOGIST: ..., RT(R)") is no technique: the technologist's "RT(R)" names no
    right side of a bilateral study."""
    text = ("ORDER: XR KNEE 3 VIEWS BILATERAL\nEXAM BEGUN: 11/02/2026 10:05   EXAM ENDED: 11/02/2026 10:20   "
            "TECHNOLOGIST: J. DOE, RT(R)\nACCESSION: 12345678\n\nNARRATIVE:\nEXAM: XR KNEE 3 VIEWS BILATERAL\n"
            "CLINICAL INDICATION: 14-YEAR-OLD WITH KNEE PAIN.\nTECHNIQUE: AP, LATERAL AND SUNRISE VIEWS OF EACH KNEE.\n"
            "FINDINGS: NO FRACTURE.\nIMPRESSION: NORMAL KNEES.")
    out = s.suggest(text)
    assert [(c["code"], tuple(c["modifiers"])) for c in out["codes"]] == [("73562", ("50",))]


def test_lower_case_field_row_stays_one_admin_line(s):
    """"location: ... | referring: ... | tech: rt(r)(mr) ..." in a lower-cased report stays one line of fields
    (as in mixed case): the technologist's credentials name no right side."""
    text = ("exam: mri breasts bilateral without and with contrast\nlocation: outpatient | referring: a. b, md | "
            "tech: rt(r)(mr) c.d. | priority: routine\nclinical indication: 50 y/o f, new right breast cancer, "
            "extent of disease.\ntechnique: axial t2, dwi, pre-contrast t1, then dynamic post-contrast t1 after 7 ml "
            "gadobutrol. subtractions and mip.\nfindings: right breast known mass 2 cm. left breast no suspicious "
            "enhancement.\nimpression: known right breast cancer.")
    assert _codes(s.suggest(text)) == ["77049"]
