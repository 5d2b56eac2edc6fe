"""Stop 41 (rul41b): dev failures of the dx_a part and of the ct/mr/duplex/nm/fl/dxa/mammo families."""

import pytest

from suggester import Suggester


@pytest.fixture(scope="module")
def sg():
    return Suggester(billing="global", payer="medicare")


def _lines(out):
    return sorted((c["code"], c["modifiers"]) for c in out["codes"])


@pytest.mark.parametrize("text, codes", [
    # the cardiac CT codes 75571-75574 include their 3D post-processing: no 76376/76377 beside them
    ("CT HEART WITH CONTRAST FOR CONGENITAL HEART DISEASE\n"
     "Technique: ECG-gated cardiac CT after 30 mL iohexol IV. Volume rendered 3D images were made on a "
     "separate workstation.\nFindings: Anomalous left pulmonary venous return to the vertical vein.\n",
     [("75573", [])]),
    ("CT HEART STRUCTURE AND MORPHOLOGY WITH CONTRAST\n"
     "Technique: Gated CT of the heart after 80 mL Isovue 370 IV for left atrial appendage anatomy. "
     "3D volume rendering was performed at the scanner.\nFindings: No appendage thrombus.\n",
     [("75572", [])]),
])
def test_cardiac_ct_includes_3d(sg, text, codes):
    assert _lines(sg.suggest(text)) == codes


@pytest.mark.parametrize("text, codes", [
    # one exam, one report: an acquisition run again in the same session (a mistimed bolus) is no repeat
    # procedure, whatever the title calls it
    ("CTA CHEST PULMONARY EMBOLISM - REPEAT\n"
     "Technique: CT angiogram of the chest after 80 mL Isovue 370 IV. The first run was too early; the "
     "acquisition was repeated in the same session after a second bolus. MIP images were reviewed.\n"
     "Findings: No pulmonary embolism.\n",
     [("71275", [])]),
    # a repeat study on its own stays 76
    ("CT HEAD WITHOUT CONTRAST - REPEAT\nTechnique: Axial images of the head without contrast.\n"
     "Findings: Stable small subdural hematoma.\n",
     [("70450", ["76"])]),
])
def test_repeat_within_the_exam_is_no_76(sg, text, codes):
    assert _lines(sg.suggest(text)) == codes


@pytest.mark.parametrize("text, codes", [
    # ankle and toe pressures are the physiologic arterial study at two levels, not a duplex
    ("ARTERIAL STUDY LOWER EXTREMITIES\nTechnique: Ankle and toe pressures were measured on both legs; "
     "no segmental cuffs.\nImpression: Normal toe-brachial indices.\n",
     [("93922", [])]),
    # a duplex that only recommends them stays the duplex
    ("LOWER EXTREMITY ARTERIAL DUPLEX BILATERAL\nTechnique: Grayscale, color and spectral Doppler of the "
     "arteries of both legs.\nImpression: Left SFA occlusion. Ankle and toe pressures could be obtained.\n",
     [("93925", [])]),
])
def test_ankle_and_toe_pressures_are_the_physiologic_study(sg, text, codes):
    assert _lines(sg.suggest(text)) == codes


@pytest.mark.parametrize("text, codes", [
    # a study to be done another day is none done now
    ("Rheumatology clinic: renal US to be performed at the hospital next week.\n"
     "DXA today: L1-L4 T-score -2.6, left femoral neck T-score -2.1. Osteoporosis.\n",
     [("77080", [])]),
])
def test_a_study_to_be_done_later_is_none_done(sg, text, codes):
    assert _lines(sg.suggest(text)) == codes


@pytest.mark.parametrize("text, codes", [
    # the Doppler study of the liver, modality first in the title, is the organ-vessel duplex
    ("US DOPPLER LIVER LIMITED\nHistory: TIPS follow-up.\nFindings: Shunt velocities 110-150 cm/s. "
     "Main portal vein hepatopetal.\nImpression: Patent TIPS.\n",
     [("93976", [])]),
])
def test_doppler_liver_is_the_organ_vessel_duplex(sg, text, codes):
    assert _lines(sg.suggest(text)) == codes


@pytest.mark.parametrize("text, codes", [
    # the retrograde urethrogram written noun first stays its own exam beside the voiding study
    ("URETHROGRAM RETROGRADE AND VOIDING CYSTOURETHROGRAM\nHistory: stricture after urethroplasty.\n"
     "Contrast injected retrograde through the meatus, then the bladder was filled and voiding images taken.\n"
     "Impression: No leak.\n",
     [("74450", []), ("74455", [])]),
])
def test_urethrogram_retrograde_noun_first(sg, text, codes):
    assert _lines(sg.suggest(text)) == codes
