"""Radiographs, CT and MR with a body that documents more (or less) than the title (stop 37, fam37b).
Reports written for these tests, one short report per cause found in the wrong dev records:

- a joint radiograph whose body documents a stress view with the stress applied by hand bills the manual
  application of stress (77071) beside the joint's code; a stress view recommended, not interpreted in the
  report, or a stress fracture adds nothing;
- an osseous survey read as limited from its purpose ("METASTATIC BONE SURVEY") whose view list covers the
  axial skeleton and the long bones of both limbs is the complete survey (77075); one that says "limited"
  (or images the axial skeleton only) stays limited;
- a chest CT titled lung screening for a patient with a cough is diagnostic (71250);
- a titled exam whose images the technique says were not taken ("no dedicated hip sequences were obtained") is
  not billed; a finding absent ("No coronary artery calcium") undoes no anatomy;
- "without noncontrast TOF" is no "without" of its own; "drawn up ... but not administered" is no contrast given;
- a cardiac MRI body without a technique header documents its velocity flow mapping (75565);
- a report titled "WITH 3D" whose body neither documents nor withdraws the rendering bills the title's rendering;
- a lateral named for each side ("bilateral lateral views") counts two views.
"""

from __future__ import annotations

import pytest

from suggester import Suggester


@pytest.fixture(scope="module")
def s():
    return Suggester(billing="global", payer="medicare")


def _lines(out):
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"]) for c in out["codes"])


# ------------------------------------------------------------------ manual stress views (77071)


def test_body_documented_manual_stress_view_bills_77071(s):
    text = ("XR RIGHT ANKLE 3 VIEWS + STRESS\n"
            "History: inversion injury last month, still giving way.\n"
            "AP, mortise and lateral views, then an inversion stress view with manual stress applied by the "
            "radiologist.\n"
            "Talar tilt 12 degrees with stress. No fracture.\n"
            "IMPRESSION: Lateral ankle ligament laxity.")
    assert _lines(s.suggest(text)) == ["73610-RT", "77071"]


def test_stress_view_in_the_line_under_the_title_bills_77071(s):
    """The views stated on the line under the title (read as a subtitle) with "performed by radiologist"."""
    text = ("LEFT ANKLE - 3 VIEWS + STRESS\n"
            "12 y/o repeat sprains. AP, mortise, lateral, plus a manual eversion stress view performed by radiologist.\n"
            "Talar tilt 10 degrees. No fracture.\n"
            "IMP: Instability.")
    assert _lines(s.suggest(text)) == ["73610-LT", "77071"]


def test_knee_valgus_stress_view_applied_by_hand_bills_77071(s):
    text = ("XR LEFT KNEE 2 VIEWS WITH STRESS\n"
            "History: MCL injury.\n"
            "AP and lateral views, plus a valgus stress view, stress applied manually by the radiologist.\n"
            "Medial joint space opens 6 mm more than at rest.\n"
            "IMPRESSION: MCL insufficiency.")
    assert _lines(s.suggest(text)) == ["73560-LT", "77071"]


def test_recommended_stress_view_adds_nothing(s):
    text = ("XR RIGHT ANKLE 3 VIEWS\n"
            "History: twisting injury.\n"
            "AP, mortise and lateral views. Nondisplaced distal fibular fracture.\n"
            "IMPRESSION: Weber B fracture; consider stress views if instability is suspected.")
    assert _lines(s.suggest(text)) == ["73610-RT"]


def test_stress_view_not_interpreted_here_adds_nothing(s):
    text = ("XR ANKLE LEFT 2 VIEWS\n"
            "History: post fixation check.\n"
            "AP and lateral views of the left ankle. The surgeon also took a manual stress view in the OR under "
            "fluoroscopy; it is not interpreted in this report.\n"
            "Hardware intact.\n"
            "IMPRESSION: Stable fixation.")
    assert _lines(s.suggest(text)) == ["73600-LT"]


def test_stress_fracture_on_the_views_adds_nothing(s):
    text = ("XR LEFT FOOT 3 VIEWS\n"
            "History: runner with forefoot pain.\n"
            "AP, oblique and lateral views. Stress fracture seen on the oblique images at the second metatarsal neck.\n"
            "IMPRESSION: Healing stress fracture.")
    assert _lines(s.suggest(text)) == ["73630-LT"]


# ------------------------------------------------------------------ osseous survey: limited or complete


def test_metastatic_survey_of_axial_and_both_limbs_is_complete(s):
    text = ("EXAM: METASTATIC BONE SURVEY\n"
            "HISTORY: New plasma cell myeloma, staging.\n"
            "TECHNIQUE: Lateral skull, AP and lateral spine, AP chest, AP pelvis, AP of both humeri and both femora.\n"
            "FINDINGS: Scattered small lucent lesions of the calvarium. No pathologic fracture.\n"
            "IMPRESSION: Calvarial lytic lesions.")
    assert _lines(s.suggest(text)) == ["77075"]


def test_metastatic_survey_said_limited_stays_limited(s):
    text = ("EXAM: METASTATIC BONE SURVEY\n"
            "HISTORY: Prostate cancer, hip pain.\n"
            "TECHNIQUE: Limited survey per oncology: AP pelvis, AP of both femora and both humeri.\n"
            "FINDINGS: Sclerotic lesions of the pelvis.\n"
            "IMPRESSION: Pelvic metastases.")
    assert _lines(s.suggest(text)) == ["77074"]


def test_metastatic_survey_of_the_axial_skeleton_only_stays_limited(s):
    """Findings that name a humerus are no view of it."""
    text = ("EXAM: METASTATIC BONE SURVEY\n"
            "HISTORY: Breast cancer, back pain.\n"
            "TECHNIQUE: Lateral skull, AP and lateral spine, AP pelvis.\n"
            "FINDINGS: Lesion of L3. The proximal humerus and femur are partly seen on the chest and pelvis views.\n"
            "IMPRESSION: L3 metastasis.")
    assert _lines(s.suggest(text)) == ["77074"]


# ------------------------------------------------------------------ lung cancer screening of a symptomatic patient


def test_screening_titled_chest_ct_for_a_cough_is_diagnostic(s):
    """CODING_RULES §5: screening is for the asymptomatic; a cough under the indication makes it 71250."""
    text = ("CT CHEST WITHOUT CONTRAST - LUNG SCREENING\n"
            "Indication: 60M, 30 pack years, quit 2018, cough x 2 months\n"
            "Technique: Low dose noncontrast CT chest.\n"
            "Findings: 9 mm solid nodule left upper lobe.\n"
            "Impression: Left upper lobe nodule.")
    assert _lines(s.suggest(text)) == ["71250"]


def test_screening_chest_ct_saying_no_cough_stays_screening(s):
    text = ("CT CHEST LOW DOSE LUNG CANCER SCREENING\n"
            "Indication: 64F, 40 pack years, current smoker, asymptomatic, no cough.\n"
            "Technique: Low dose noncontrast CT chest.\n"
            "Findings: No suspicious nodule. Lung-RADS 1.\n"
            "Impression: Negative screen.")
    assert _lines(s.suggest(text)) == ["71271"]


# ------------------------------------------------------------------ a titled exam whose images were not taken


def test_pelvis_and_hips_mri_without_hip_sequences_bills_the_pelvis(s):
    """CODING_RULES §6: "no dedicated hip sequences were obtained" undoes the hips the title names."""
    text = ("MRI PELVIS AND BILATERAL HIPS WITHOUT CONTRAST\n"
            "Hx: bilateral groin pain, marathon runner.\n"
            "Technique: Large FOV pelvis coronal T1/STIR, axial T2 FS; no dedicated small FOV hip sequences were "
            "obtained because the patient could not stay still longer.\n"
            "Findings: Left sacral ala stress reaction.\n"
            "Impression: Left sacral stress reaction.")
    assert _lines(s.suggest(text)) == ["72195"]


def test_pelvis_and_hips_mri_with_hip_sequences_bills_both(s):
    text = ("MRI PELVIS AND BILATERAL HIPS WITHOUT CONTRAST\n"
            "Hx: bilateral groin pain.\n"
            "Technique: Large FOV pelvis coronal T1/STIR, then dedicated small FOV sequences of each hip.\n"
            "Findings: Bilateral labral fraying.\n"
            "Impression: Bilateral labral degeneration.")
    assert _lines(s.suggest(text)) == ["72195", "73721-50"]


# ------------------------------------------------------------------ a finding absent is no part left unimaged


def test_calcium_score_whose_technique_runs_into_the_findings_stays_the_heart(s):
    """"No coronary artery calcium" (a finding) under the technique does not undo the heart: 75571, not a
    chest CT read off "Visualized lungs clear"."""
    text = ("CT CARDIAC CALCIUM SCORE\n"
            "52M, family history of early CAD, asymptomatic.\n"
            "Technique: Prospectively ECG-gated noncontrast CT of the heart, 3 mm slices.\n"
            "Agatston score 0. No coronary artery calcium. Visualized lungs clear.\n"
            "IMP: Calcium score 0.")
    assert _lines(s.suggest(text)) == ["75571"]


# ------------------------------------------------------------------ contrast words that negate or are negated


def test_contrast_mra_without_a_noncontrast_series_is_with_only(s):
    """"without noncontrast TOF": the "without" negates the non-contrast series, it is no "without" of
    its own (CODING_RULES §2: a contrast series only is "with"): 70548, not 70549."""
    text = ("MRI BRAIN WITHOUT CONTRAST & MRA NECK WITH CONTRAST\n"
            "INDICATION: Stroke.\n"
            "TECHNIQUE: Brain DWI, FLAIR, SWI, T2. Neck contrast-enhanced MRA after 10 mL gadoterate without "
            "noncontrast TOF.\n"
            "FINDINGS: Right ICA stenosis.\n"
            "IMPRESSION: Right ICA stenosis.")
    assert _lines(s.suggest(text)) == ["70548", "70551"]


def test_gadolinium_drawn_up_but_not_administered_is_without(s):
    text = ("MRI LEFT SHOULDER WITHOUT CONTRAST\n"
            "HISTORY: 40 yo M, shoulder pain\n"
            "TECHNIQUE: Routine shoulder MRI. Gadolinium was drawn up for a planned arthrogram but not "
            "administered; the patient declined the joint injection.\n"
            "FINDINGS: Rotator cuff intact.\n"
            "IMPRESSION: Normal.")
    assert _lines(s.suggest(text)) == ["73221-LT"]


# ------------------------------------------------------------------ an add-on documented in a body without a technique


def test_cardiac_mri_body_documenting_phase_contrast_flow_bills_75565(s):
    text = ("MRI CARDIAC W/WO CONTRAST\n"
            "Indication: suspected myocarditis, troponin rise, normal coronaries.\n"
            "Cine SSFP short and long axis, T2 STIR, T1 and T2 mapping, first pass perfusion and late gadolinium "
            "enhancement after gadobutrol. Phase contrast flow through the aortic valve.\n"
            "LVEF 55%. Subepicardial LGE in the lateral wall.\n"
            "IMP: Myocarditis.")
    assert _lines(s.suggest(text)) == ["75561", "75565"]


def test_cardiac_mri_body_saying_no_flow_sequences_adds_nothing(s):
    text = ("MRI CARDIAC W/WO CONTRAST\n"
            "Indication: cardiomyopathy.\n"
            "Cine SSFP short and long axis and late gadolinium enhancement after gadobutrol. No phase contrast flow "
            "sequences.\n"
            "LVEF 40%.\n"
            "IMP: Nonischemic cardiomyopathy.")
    assert _lines(s.suggest(text)) == ["75561"]


# ------------------------------------------------------------------ a 3D rendering the title names


def test_report_titled_with_3d_on_a_workstation_bills_76377(s):
    text = ("CT BILATERAL FEET WITHOUT CONTRAST WITH 3D (independent workstation)\n"
            "Hx: rigid flatfoot, 12F\n"
            "Findings: Bilateral calcaneonavicular coalitions.\n"
            "IMP: Bilateral coalition.")
    assert _lines(s.suggest(text)) == ["73700-50", "76377"]


def test_report_titled_with_3d_whose_body_says_none_was_made_bills_the_ct_only(s):
    text = ("CT LEFT WRIST WITHOUT CONTRAST WITH 3D\n"
            "Technique: Thin axial images with coronal and sagittal reformats; 3D rendering was not performed.\n"
            "Findings: Distal radius fracture.\n"
            "IMP: Fracture.")
    assert _lines(s.suggest(text)) == ["73200-LT"]


# ------------------------------------------------------------------ a lateral view of each side


def test_skull_with_bilateral_lateral_views_has_four_views(s):
    """"AP, Towne, and bilateral lateral views": a right and a left lateral, four views (70260)."""
    text = ("SKULL SERIES 4 VIEWS\n"
            "Hx: 3 yo, fall from a bunk bed.\n"
            "AP, Towne, and bilateral lateral views of the skull. No fracture.\n"
            "IMP: No skull fracture.")
    assert _lines(s.suggest(text)) == ["70260"]


def test_both_lateral_menisci_are_no_views(s):
    text = ("XR BOTH KNEES STANDING AP 1 VIEW\n"
            "Hx: knee pain.\n"
            "Standing AP view of both knees on one image. Chondrocalcinosis in both lateral menisci.\n"
            "IMP: CPPD.")
    assert _lines(s.suggest(text)) == ["73565"]
