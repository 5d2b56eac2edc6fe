"""Stop 41 (rul41b): dev failures of the dx_a part and of the ct/mr/duplex/nm/fl/dxa/mammo families.

Each case is a short report written for the pattern, with the exact lines it must code to."""

import pytest

from suggester import Suggester

CASES = [
    # the cardiac CT codes 75571-75574 include their 3D post-processing: no 76376/76377 beside them
    ("cardiac_ct_3d_workstation",
     "CT HEART WITH CONTRAST FOR CONGENITAL HEART DISEASE\n"
     "Technique: ECG-gated cardiac CT after 30 mL iohexol IV. Volume rendered 3D images were made on a "
     "separate workstation.\nFindings: Anomalous left pulmonary venous return to the vertical vein.\n",
     [("75573", [])]),
    ("cardiac_ct_3d_scanner",
     "CT HEART STRUCTURE AND MORPHOLOGY WITH CONTRAST\n"
     "Technique: Gated CT of the heart after 80 mL Isovue 370 IV for left atrial appendage anatomy. "
     "3D volume rendering was performed at the scanner.\nFindings: No appendage thrombus.\n",
     [("75572", [])]),
    # one exam, one report: an acquisition run again in the same session (a mistimed bolus) is no repeat
    # procedure, whatever the title calls it
    ("repeat_acquisition_same_session",
     "CTA CHEST PULMONARY EMBOLISM - REPEAT\n"
     "Technique: CT angiogram of the chest after 80 mL Isovue 370 IV. The first run was too early; the "
     "acquisition was repeated in the same session after a second bolus. MIP images were reviewed.\n"
     "Findings: No pulmonary embolism.\n",
     [("71275", [])]),
    # a repeat study on its own stays 76
    ("repeat_study_keeps_76",
     "CT HEAD WITHOUT CONTRAST - REPEAT\nTechnique: Axial images of the head without contrast.\n"
     "Findings: Stable small subdural hematoma.\n",
     [("70450", ["76"])]),
    # ankle and toe pressures are the physiologic arterial study at two levels, not a duplex
    ("ankle_and_toe_pressures",
     "ARTERIAL STUDY LOWER EXTREMITIES\nTechnique: Ankle and toe pressures were measured on both legs; "
     "no segmental cuffs.\nImpression: Normal toe-brachial indices.\n",
     [("93922", [])]),
    # a duplex that only recommends them stays the duplex
    ("duplex_recommending_pressures",
     "LOWER EXTREMITY ARTERIAL DUPLEX BILATERAL\nTechnique: Grayscale, color and spectral Doppler of the "
     "arteries of both legs.\nImpression: Left SFA occlusion. Ankle and toe pressures could be obtained.\n",
     [("93925", [])]),
    # a study to be done another day is none done now
    ("study_to_be_done_later",
     "Rheumatology clinic: renal US to be performed at the hospital next week.\n"
     "DXA today: L1-L4 T-score -2.6, left femoral neck T-score -2.1. Osteoporosis.\n",
     [("77080", [])]),
    # the Doppler study of the liver, modality first in the title, is the organ-vessel duplex
    ("doppler_liver",
     "US DOPPLER LIVER LIMITED\nHistory: TIPS follow-up.\nFindings: Shunt velocities 110-150 cm/s. "
     "Main portal vein hepatopetal.\nImpression: Patent TIPS.\n",
     [("93976", [])]),
    # the retrograde urethrogram written noun first stays its own exam beside the voiding study
    ("urethrogram_retrograde_noun_first",
     "URETHROGRAM RETROGRADE AND VOIDING CYSTOURETHROGRAM\nHistory: stricture after urethroplasty.\n"
     "Contrast injected retrograde through the meatus, then the bladder was filled and voiding images taken.\n"
     "Impression: No leak.\n",
     [("74450", []), ("74455", [])]),
]


@pytest.fixture(scope="module")
def sg():
    return Suggester(billing="global", payer="medicare")


@pytest.mark.parametrize("text, codes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rul41b_patterns(sg, text, codes):
    assert sorted((c["code"], c["modifiers"]) for c in sg.suggest(text)["codes"]) == codes
