"""Stop 37, helper fam37a: general causes of wrong codes in the US, duplex, NM, fluoroscopy, guidance
and DXA families on full reports. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # "FL" followed by a measurement is the fetal femur length of a biometry line, not fluoroscopy: the
    # obstetric title decides the exam
    ("DETAILED FETAL ANATOMIC SURVEY\nSingleton, vertex. BPD 4.8, HC 18.0, AC 15.1, FL 3.3 cm. EFW 340 g.\n"
     "Heart: four-chamber view and outflow tracts normal. Spine intact.\nIMPRESSION: Normal detailed anatomy.",
     ["76811"]),
    ("DETAILED FETAL ANATOMY (MFM)\nBiometry: BPD 5.1 cm, FL: 36 mm, AC 16 cm.\nFace, heart and spine normal.",
     ["76811"]),
])
def test_femur_length_is_no_fluoroscopy(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a title component (the vertebral fracture assessment) that an unheaded body sentence says was not
    # acquired is not billed: the axial study alone (CODING_RULES §3, §6)
    ("DXA BONE DENSITY WITH VFA\nSites: lumbar spine L1-L4 and left hip. The lateral VFA was scheduled but not "
     "acquired because of a software fault.\nResults: L1-L4 T -1.2; left femoral neck T -1.6.\nImpression: Osteopenia.",
     ["77080"]),
    ("DXA BONE DENSITY WITH VFA\nAP lumbar spine and left hip. Vertebral fracture assessment was not performed "
     "(patient could not lie on her side).\nResults: L1-L4 T -1.2.\nImpression: Osteopenia.", ["77080"]),
    # ... and one the body says was done stays
    ("DXA BONE DENSITY WITH VFA\nAP lumbar spine and left hip with lateral vertebral fracture assessment T4-L4.\n"
     "Results: L1-L4 T -1.2; no vertebral fracture.\nImpression: Osteopenia.", ["77085"]),
])
def test_title_component_said_not_done_in_body(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an ERCP whose technique says both ducts were opacified is the combined ductal study; one that says
    # the pancreatic duct was not, or names it only in a finding, stays biliary
    ("EXAM: ERCP FLUOROSCOPY\nTECHNIQUE: Fluoroscopic images obtained during ERCP by gastroenterology. The common bile "
     "duct and the pancreatic duct were both cannulated and opacified.\nFINDINGS: Distal CBD stricture.\n"
     "IMPRESSION: Double duct sign.", ["74330"]),
    ("EXAM: ERCP FLUOROSCOPY\nTECHNIQUE: Fluoroscopic images obtained during ERCP. The common bile duct was cannulated "
     "and opacified. The pancreatic duct was not opacified.\nIMPRESSION: CBD stones.", ["74328"]),
    ("EXAM: ERCP FLUOROSCOPY\nTECHNIQUE: Fluoroscopic images obtained during ERCP. The common bile duct was cannulated "
     "and opacified.\nFINDINGS: Dilated CBD. Pancreatic duct stent removed last year.\nIMPRESSION: CBD stones.",
     ["74328"]),
])
def test_ercp_pancreatic_duct_opacified(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # spectral Doppler of one of the paired organs (one ovary, one testis) is the limited organ duplex
    ("PELVIC US COMPLETE TA/TV WITH SPECTRAL DOPPLER\nTA and TV. Uterus normal. L ovary holds a 4 cm cyst. "
     "L ovarian arterial and venous spectral waveforms present. R ovary normal.\nIMP: No torsion.",
     ["76830", "76856", "93976"]),
    ("US SCROTUM WITH DOPPLER\nFINDINGS: Left testis with normal arterial and venous spectral waveforms. "
     "Right testis normal in size and echotexture. Epididymides normal.\nIMPRESSION: No torsion.",
     ["76870", "93976"]),
    # ... both analysed, one without flow (a torsion), is complete
    ("US SCROTUM WITH DOPPLER\nFINDINGS: Right testis: normal arterial and venous spectral waveforms.\n"
     "Left testis: no arterial or venous waveform could be obtained on spectral Doppler.\nIMPRESSION: Left torsion.",
     ["76870", "93975"]),
    ("US PELVIS WITH DOPPLER\nTECHNIQUE: Transabdominal grayscale with color and spectral Doppler of both ovaries.\n"
     "FINDINGS: Left ovary with arterial and venous waveforms. Uterus normal.\nIMPRESSION: No torsion.",
     ["76856", "93975"]),
])
def test_paired_organ_duplex_of_one_side_is_limited(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a transcranial Doppler that says the anterior or posterior cerebral arteries were not insonated is limited
    ("TCD\nIndication: Vasospasm check.\nBoth MCAs and the basilar artery insonated; velocities normal.\n"
     "Technique: Transtemporal and suboccipital windows. Anterior and posterior cerebral arteries not insonated.\n"
     "Impression: No vasospasm.", ["93888"]),
    ("TRANSCRANIAL DOPPLER\nTechnique: Temporal and suboccipital windows.\nFindings: MCA, ACA, PCA, vertebral and "
     "basilar velocities normal bilaterally.\nImpression: Normal study.", ["93886"]),
])
def test_transcranial_doppler_cerebral_arteries_not_insonated(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a screening slot whose report says the exam was performed as a one-sided diagnostic one, listing what
    # it left out after it ("no tomo, no L views"): the diagnostic exam of that breast (CODING_RULES §5, §6)
    ("MG MAMMO SCREENING\nHx: Called back for right calcifications.\nPerformed as DIAGNOSTIC R: CC and ML "
     "magnification views of the calcifications, no tomo, no L views.\nIMP: BI-RADS 4A right.", ["77065-RT"]),
    ("SCREENING MAMMOGRAM BILATERAL\nThe exam was converted to a left diagnostic exam for a palpable lump.\n"
     "IMP: BI-RADS 2.", ["77065-LT"]),
    # ... a conversion said only as a possibility is none
    ("MAMMO SCREENING BILAT\nIf a palpable finding is reported the exam would be converted to diagnostic.\n"
     "IMP: BI-RADS 1.", ["77067"]),
])
def test_screening_performed_as_diagnostic(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # labeled red cells named beside the organ study they are the tracer of (a liver blood pool study, a
    # MUGA) are no GI bleeding study of their own; liver SPECT/CT is the localization SPECT/CT code
    # (the liver's own codes are planar)
    ("NM MUGA (TAGGED RBC)\nGated blood pool imaging at rest. LVEF 58%.", ["78472"]),
    ("NM LIVER SPECT/CT WITH TAGGED RBC (HEMANGIOMA PROTOCOL)\nTechnique: In vitro labeled red cells. Delayed "
     "SPECT/CT of the liver at 2 hours; no planar images.\nFindings: Blood pool activity in the segment 7 lesion.\n"
     "Impression: Hepatic hemangioma.", ["78830"]),
    # ... a tagged red cell study of its own is the bleeding study
    ("NM TAGGED RBC SCAN\nDynamic images of the abdomen for 90 minutes. Active bleeding in the cecum.", ["78278"]),
])
def test_labeled_red_cells_are_the_tracer_of_the_organ_study(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a bone density title naming no skeleton site is coded by the sites its report documents measured
    ("DXA - FOLLOW-UP\nComparison 11/2024 on the same scanner.\nLumbar spine L1-L4: T -1.4.\nLeft femoral neck: T -2.0.\n"
     "Forearm (33% radius, non-dominant): T -2.2.\nImpression: Osteopenia.", ["77080", "77081"]),
    ("Bone density, 12/01/2026.\nThe spine and hip scans could not be acquired (table weight limit). The right forearm "
     "was measured in their place: the one-third radius T-score is -1.8.\nImpression: Osteopenia at the forearm.",
     ["77081"]),
    # ... a forearm said not measured adds nothing
    ("DXA - FOLLOW-UP\nLumbar spine L1-L4: T -1.4.\nLeft femoral neck: T -2.0.\nDistal radius not performed.\n"
     "Impression: Osteopenia.", ["77080"]),
])
def test_bone_density_title_without_site_codes_the_measured_sites(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a pharyngoesophagram whose technique images the full esophagus is the esophagram (which includes the
    # pharynx); one that leaves the thoracic esophagus out stays the pharynx study
    ("PROCEDURE: PHARYNGOESOPHAGRAM (PEDIATRIC)\nTechnique: Thin barium by bottle, lateral and AP fluoroscopy of the "
     "pharynx and full esophagus.\nFindings: Posterior indentation at the aortic arch.\nImpression: Vascular ring?",
     ["74220"]),
    ("EXAM: PHARYNGOESOPHAGRAM\nTECHNIQUE: Lateral and frontal images of the pharynx and cervical esophagus; the "
     "thoracic esophagus was not imaged.\nFINDINGS: Zenker diverticulum.", ["74210"]),
])
def test_pharyngoesophagram_of_the_full_esophagus(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a loopogram named beside a contrast enema is the colon's distal loop, no urinary conduit study; alone it is
    # the conduit's
    ("CONTRAST ENEMA (LOOPOGRAM - DISTAL)\nFoley in the distal mucous fistula; water-soluble contrast instilled with "
     "lateral images.\nIMPRESSION: Rectourethral fistula.", ["74270"]),
    ("LOOPOGRAM\nContrast injected into the ileal conduit stoma. Reflux into both ureters.", ["74425"]),
])
def test_loopogram_beside_a_colon_study(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
