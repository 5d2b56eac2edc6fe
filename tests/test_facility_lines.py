"""Facility names and export header fields that hold anatomy or exam-like words are no exam.

A women's or orthopaedic imaging centre's banner ("... BREAST & BONE IMAGING -- RADIOLOGY REPORT"),
a "Facility:" line with its address, the patient-ID line of a RIS export ("Pt ID / Visit # / Loc /
Class") and the performing technologist's line are set aside; the exam below them is billed.
"""

from __future__ import annotations

import pytest

from suggester import Suggester
from suggester.evaluation import pred_lines


@pytest.fixture(scope="module")
def sug():
    return Suggester(billing="global")


def lines(sug, text):
    return sorted(pred_lines(sug.suggest(text)))


BANNER_XR = """LAKEVIEW BREAST & BONE IMAGING -- RADIOLOGY REPORT
Pt ID: 551234   Visit #: V22871   Loc: LBI-OP   Class: O
Referring: Dr. Amos
------------------------------------------------------------
XR THORACIC SPINE 2V
DOS: 11/02/2026
Clinical: back pain after a fall.
AP and lateral views of the thoracic spine.
Impression: Mild wedging of T11, age indeterminate.
"""

FACILITY_MR = """PACS EXPORT - FINAL
Facility: Harbor Spine & Joint Imaging, 120 Quarry Lane, Suite 3
Patient class: Outpatient   Priority: Routine
Ordering provider: Dr. Ruiz   Copy to: PCP
Performing technologist: KLM   Exam status: Completed

MRI LEFT KNEE WITHOUT CONTRAST
HISTORY: Twisting injury, locking.
TECHNIQUE: Sagittal, coronal and axial proton density and T2 fat saturated images. No contrast.
IMPRESSION: Bucket-handle tear of the medial meniscus.
"""

FACILITY_MAMMO = """NORTH SHORE BREAST IMAGING CENTER -- RADIOLOGY REPORT
Patient ID: 77120   Loc: NSBI
----------------------------------------
DIAGNOSTIC MAMMOGRAM LEFT
Technique: Left CC and MLO views with a spot compression view. 2D only.
Impression: Benign. BI-RADS 2.
"""


def test_anatomy_banner_and_patient_id_line_leave_the_radiograph(sug):
    assert lines(sug, BANNER_XR) == [("72070", (), 1)]


def test_facility_and_performing_technologist_lines_leave_the_mri(sug):
    assert lines(sug, FACILITY_MR) == [("73721", ("LT",), 1)]


def test_breast_centre_banner_is_not_a_breast_exam_of_its_own(sug):
    assert lines(sug, FACILITY_MAMMO) == [("77065", ("LT",), 1)]


def test_a_banner_naming_a_modality_is_still_read_as_the_title(sug):
    text = "MERCY HOSPITAL CT HEAD WITHOUT CONTRAST\nAxial images of the head without contrast.\nNo bleed."
    assert lines(sug, text) == [("70450", (), 1)]


def test_facility_field_ends_at_the_exam_field_after_a_gap(sug):
    text = ("PRELIMINARY READ\nFacility: Lakeside Community ED  Exam: XR ANKLE LEFT 3 VIEWS  Received 01:10\n"
            "History: twisted ankle.\nFindings: AP, mortise and lateral views. No fracture.\nImpression: Negative.")
    assert lines(sug, text) == [("73610", ("LT",), 1)]


def test_breast_ultrasound_reported_separately_is_not_billed_with_the_mammogram(sug):
    text = ("LEFT DIAGNOSTIC MAMMOGRAM WITH TOMOSYNTHESIS\nTechnique: Left CC and MLO views with tomosynthesis. "
            "Targeted left breast ultrasound was also performed and is reported separately.\n"
            "Impression: Benign. BI-RADS 2.")
    assert lines(sug, text) == [("77065", ("LT",), 1), ("G0279", (), 1)]


def test_unlabelled_fields_of_a_dictated_export_are_no_title(sug):
    text = ("st. luke hospital radiology. mrn 5512300. location outpatient. ordering provider b. kim np. "
            "exam date 11/20/2026 09:10. accession 7781234. ris order code MR-100.\n"
            "mri brain with out contrast. history headaches for a year. technique sagittal 3d t1 volumetric, axial t2, "
            "axial and coronal flair and dwi images. no intravenous contrast was given. findings normal. "
            "impression normal mri of the brain.")
    assert lines(sug, text) == [("70551", (), 1)]


def test_reason_sentence_before_the_age_is_no_part_of_a_lower_case_title(sug):
    text = ("xr chest pa and lateral. pre operative evaluation for hip replacement, 68 year old with diabetes. "
            "the heart is normal in size. lungs are clear. impression no acute disease.")
    assert lines(sug, text) == [("71046", (), 1)]


def test_department_field_beside_the_facility_is_no_title(sug):
    text = ("Facility: Ridge Valley Hospital   Dept: Fluoroscopy Room 1\n"
            "Patient age/sex: 61 M   Ordering: Dr. Hale   Acc: 5520001\nXR CHEST 2 VIEWS\n"
            "TECHNIQUE: PA and lateral views.\nIMPRESSION: No acute disease.")
    assert lines(sug, text) == [("71046", (), 1)]


def test_whole_breast_ultrasound_of_both_breasts_is_the_complete_study(sug):
    text = ("BIL WHOLE BREAST US (supplemental screening)\nInd: dense breasts.\n"
            "Tech: handheld US of all 4 quadrants and the retroareolar region of both breasts.\n"
            "IMP: Benign cysts. BI-RADS 2.")
    assert lines(sug, text) == [("76641", ("50",), 1)]


def test_breast_ultrasound_of_all_four_quadrants_stays_complete_beside_a_targeted_look(sug):
    text = ("RIGHT DIAGNOSTIC MAMMOGRAM WITH TOMOSYNTHESIS AND RIGHT BREAST ULTRASOUND\nHISTORY: Palpable lump.\n"
            "TECHNIQUE: Right CC and MLO views with tomosynthesis. Right breast ultrasound surveying all four "
            "quadrants and the retroareolar region, with targeted images of the palpable site.\n"
            "IMPRESSION: Benign. BI-RADS 2.")
    assert lines(sug, text) == [("76641", ("RT",), 1), ("77065", ("RT",), 1), ("G0279", (), 1)]


def test_titled_breast_ultrasound_the_report_says_was_not_performed_is_not_billed(sug):
    text = ("DIAGNOSTIC MAMMOGRAM LT W/TOMO + US LT BREAST\nHistory: recall for calcifications in the left breast.\n"
            "Technique: Left CC and ML magnification views and tomosynthesis. Ultrasound was not needed for "
            "calcifications and was not performed.\nImpression: Suspicious calcifications. BI-RADS 4.")
    out = sug.suggest(text)
    assert sorted(pred_lines(out)) == [("77065", ("LT",), 1), ("G0279", (), 1)]
    assert [f["type"] for f in out["flags"]] == ["title_technique_conflict"]
