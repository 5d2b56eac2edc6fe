"""Stop 41 (rul41f): dev failures of the dy_c part (CT, CTA, MR and MRA reads).

Each case is a short report written for the pattern, with the exact lines it must code to."""

import pytest

from suggester import Suggester

CASES = [
    # plain MR sequences listed in the technique, the contrast and its series in a section of their own:
    # the plain series, then the contrast one (CODING_RULES §2)
    ("mr_plain_technique_then_contrast_section",
     "MRI PITUITARY\nTechnique: Sagittal and coronal T1, coronal T2 and axial FLAIR images were acquired.\n"
     "Contrast: 6 mL ProHance IV. Post-gadolinium dynamic coronal and sagittal T1 images.\n"
     "Findings: 4 mm hypoenhancing microadenoma.\n",
     [("70553", [])]),
    # "with no" in a finding ("with no retropulsion") names no contrast: a plain total spine stays plain
    ("with_no_in_a_finding_is_not_contrast",
     "MRI CERVICAL, THORACIC AND LUMBAR SPINE WITHOUT CONTRAST\nTechnique: Sagittal T1, T2 and STIR of the "
     "whole spine, axial T2 of the lumbar levels.\nCervical: Normal.\nThoracic: Normal cord.\n"
     "Lumbar: L1 burst fracture with no retropulsion.\nImpression: L1 burst fracture.\n",
     [("72141", []), ("72146", []), ("72148", [])]),
    # the myelogram's fluoroscopic images said reported by another physician: the CT only (CODING_RULES §6)
    ("post_myelogram_ct_myelogram_reported_separately",
     "CT CERVICAL SPINE POST MYELOGRAM\nTechnique: After cervical myelography (procedure and fluoroscopic "
     "images dictated separately by Dr. Lee), helical CT of the cervical spine was obtained with intrathecal "
     "contrast. Sagittal reformats.\nFindings: C5-6 moderate canal stenosis.\n",
     [("72126", [])]),
    ("post_myelogram_ct_fluoro_images_reported_separately",
     "CT THORACIC SPINE POST-MYELOGRAM\nTechnique: Following the myelogram (fluoroscopic images reported "
     "separately), axial CT images of the thoracic spine were obtained with intrathecal contrast.\n"
     "Findings: No cord compression.\n",
     [("72129", [])]),
    # pulmonary vein mapping in a CT of the heart's title is the heart's structure, not a second CT of the chest
    ("ct_heart_pulmonary_vein_mapping_no_chest_ct",
     "CT CARDIAC W CONTRAST - PULMONARY VEIN MAPPING PRE-CRYOABLATION\nTechnique: Gated CT of the heart after "
     "70 mL Omnipaque 350 IV.\nFindings: Four pulmonary veins, no left atrial appendage thrombus.\n",
     [("75572", [])]),
    ("mr_pulmonary_vein_mapping_stays_chest_mra",
     "MR PULMONARY VEIN MAPPING\nTechnique: 3D contrast-enhanced MRA of the pulmonary veins after 15 mL "
     "gadobutrol IV. MIP reformats.\nImpression: Four pulmonary veins.\n",
     [("71555", [])]),
]


@pytest.fixture(scope="module")
def sg():
    return Suggester(billing="global", payer="medicare")


@pytest.mark.parametrize("text, codes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rul41f_patterns(sg, text, codes):
    assert sorted((c["code"], c["modifiers"]) for c in sg.suggest(text)["codes"]) == codes
