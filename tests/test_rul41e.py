"""rul41e: procedure reads (image guidance, arthrography, line placement), in reports of our own.

What went wrong:
- an MR arthrogram whose injection line sits right under the title (a subtitle, no "Procedure:" label) lost
  its fluoroscopic needle guidance 77002 (LABELING: guidance of a CT / MR arthrogram's injection);
- an MR arthrogram whose procedure paragraph says no arthrographic image was taken lost the arthrogram
  (the negated "arthrographic images" negated the title's arthrogram) and with it 77002;
- a venous access under ultrasound whose report says no ultrasound image was saved or stored kept 76937
  (CODING_RULES / LABELING: 76937 needs a permanently recorded image);
- a CT-guided biopsy's planning and post-procedure CT images through a region were billed as diagnostic CT
  of that region beside 77012 (the guidance includes them).
"""

from __future__ import annotations

import pytest

from suggester import Suggester


def _codes(text: str) -> list[str]:
    out = Suggester(billing="professional", payer="medicare").suggest(text)
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"] if m != "26") for c in out["codes"])


REPORTS = [
    # injection line under the title, no section label
    ("MR ARTHROGRAM LEFT WRIST\nRadiocarpal injection under fluoroscopy, 4 mL dilute gadolinium; fluoroscopy for "
     "needle placement only.\nMRI left wrist after intra-articular contrast: coronal T1 FS, PD FS, axial T1 FS.\n"
     "Findings: Full-thickness central TFCC perforation. Scapholunate ligament intact.\n"
     "Impression: Central TFCC perforation.",
     ["73222-LT", "77002"]),
    # "no arthrographic images obtained" in the procedure paragraph
    ("MRI RIGHT HIP ARTHROGRAM\nHistory: groin pain, ?labral tear.\nProcedure: Right hip injected under fluoroscopy "
     "via anterior approach, 12 mL dilute gadolinium. No arthrographic images were obtained.\n"
     "MRI: Coronal T1 FS, sagittal T1 FS, axial oblique T1 FS, coronal T2 FS.\n"
     "Findings: Anterosuperior labral tear. Cam morphology of the femoral head-neck junction.\n"
     "Impression: Anterosuperior labral tear.",
     ["73722-RT", "77002"]),
    # US access without a stored image: fluoroscopic guidance only
    ("PROCEDURE: Tunneled dialysis catheter placement, right internal jugular.\n"
     "Right IJ patent on ultrasound; venous access under real-time ultrasound guidance. No ultrasound images were "
     "stored.\nFluoroscopy was used to position the catheter, tip in the right atrium.\n"
     "Impression: Right IJ tunneled dialysis catheter, ready for use.",
     ["77001"]),
    # CT-guided biopsy: planning and post-procedure images belong to the guidance
    ("PROCEDURE: CT-guided biopsy of a left iliac bone lesion.\nTECHNIQUE: Prone. Preliminary noncontrast images "
     "through the pelvis were obtained for planning. Under CT guidance, a 13-gauge bone needle was advanced into the "
     "lesion and three cores obtained.\nPost-procedure CT images through the pelvis show no hematoma.\n"
     "IMPRESSION: Successful CT-guided biopsy of the left iliac lesion.",
     ["77012"]),
]


@pytest.mark.parametrize("text,expected", REPORTS)
def test_rul41e_reports(text: str, expected: list[str]) -> None:
    assert _codes(text) == expected


def test_rul41e_ct_guided_generic_title() -> None:
    """A generic procedure-report title; the procedure line and technique name the planning CT's region."""
    text = ("IR PROCEDURE REPORT\n\nPROCEDURE: CT-guided core biopsy of a left iliac lesion.\n\n"
            "INDICATION: Breast cancer, new lytic lesion on MRI.\n\n"
            "TECHNIQUE: Prone on the CT table. Preliminary noncontrast images through the pelvis were obtained for "
            "planning. Under intermittent CT guidance, an 11-gauge bone needle was advanced into the lesion and "
            "three cores obtained.\n\nPost-procedure CT images through the pelvis show no hematoma.\n\n"
            "IMPRESSION: Successful CT-guided biopsy of the left iliac lesion.")
    assert _codes(text) == ["77012"]


def test_rul41e_ct_arthrogram_rendering() -> None:
    """A CT arthrogram with its fluoroscopic needle guidance keeps the 3D rendering made at the console."""
    text = ("CT ARTHROGRAM RIGHT WRIST\nIndication: ulnar-sided pain, pacemaker.\n"
            "Radiocarpal joint injected under fluoroscopy, 4 mL Omnipaque 300; fluoroscopy for needle placement "
            "only. Helical CT right wrist with MPR and 3D volume rendering performed on the scanner console.\n"
            "Findings: Central TFCC perforation. Intact scapholunate ligament.\nImpression: TFCC perforation.")
    assert _codes(text) == ["73201-RT", "76376", "77002"]


@pytest.mark.parametrize("text,expected", [
    ("FL SWALLOW STUDY / ESOPHAGRAM SINGLE CONTRAST\nIndication: dysphagia to solids.\nTechnique: Thin barium, "
     "upright and prone single contrast views of the esophagus.\nFindings: Smooth distal stricture at the GE "
     "junction.\nImpression: Peptic stricture.", ["74220"]),
    ("Swallow study requested for dysphagia.\nPerformed: esophagram, double contrast with effervescent granules "
     "and high density barium.\nFindings: Small sliding hiatal hernia.\nImpression: Small hiatal hernia.",
     ["74221"]),
])
def test_rul41e_swallow_study_esophagram(text: str, expected: list[str]) -> None:
    assert _codes(text) == expected


def test_rul41e_bx_shorthand() -> None:
    """'bx' is the biopsy: an ultrasound-guided core biopsy of a node, not a diagnostic soft-tissue ultrasound."""
    text = ("US bx LN, R axilla -- Hx melanoma\n1.9cm R axillary node, thick cortex. Lido. 16G core x3 under real "
            "time US, post-fire images saved. No comps.\nIMP: US-guided core bx R axillary LN.")
    assert _codes(text) == ["76942"]
