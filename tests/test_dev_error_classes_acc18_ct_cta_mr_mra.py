"""Error classes of the dev split in CT, CTA, MR and MRA (stop 18: reports written by hand outside the
team), fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a title that restates its exam in a parenthesis ("CT ENTEROGRAPHY (CT ABDOMEN AND PELVIS WITH IV
    # ...)"): the part read from the oral drink alone states no plain series, so the exam is not the
    # mixed without-then-with one (CODING_RULES §2: oral contrast alone does not make "with" nor
    # "without then with")
    ("CT ENTEROGRAPHY (CT ABDOMEN AND PELVIS WITH IV AND NEUTRAL ORAL CONTRAST)\nTECHNIQUE: Neutral oral "
     "contrast was ingested. CT of the abdomen and pelvis was then performed in the enteric phase after an "
     "intravenous bolus of 100 mL iohexol 350.\nIMPRESSION: Crohn disease.", ["74177"]),
    ("CT ENTEROGRAPHY (CT ABD/PELVIS W IV AND ORAL CONTRAST)\nTECHNIQUE: Two bottles of Breeza were drunk "
     "before the scan; then CT of the abdomen and pelvis after 100 mL Omnipaque 300 IV.\nIMPRESSION: "
     "Terminal ileitis.", ["74177"]),
    # negative: a restated title with a plain series stays without then with
    ("CT UROGRAM (CT ABDOMEN AND PELVIS WITHOUT AND WITH CONTRAST)\nTECHNIQUE: Noncontrast images, then "
     "nephrographic and excretory phase images after 100 mL Omnipaque 350 IV.\nIMPRESSION: No urothelial "
     "lesion.", ["74178"]),
])
def test_oral_only_part_of_restated_title(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a one-line export whose fields are pipe-separated after an accession or patient field: the
    # administrative field ends at its delimiter, the exam fields after it are read (CODING_RULES §6)
    ("ACC# 7712093 || MRN XXXX || 04/11/2026 || CT SINUS WO || CT PARANASAL SINUSES WITHOUT CONTRAST. HX "
     "RECURRENT SINUSITIS. MUCOSAL THICKENING OF THE MAXILLARY SINUSES. IMP: CHRONIC SINUSITIS.", ["70486"]),
    ("Accession #: 7781123 | DOS 04/02/2026 | MRI LEFT KNEE WO | Medial meniscus tear. Impression: tear.",
     ["73721-LT"]),
    ("Patient: XXXX | MRN: 1234 | CT HEAD WO CONTRAST | Hx fall. No hemorrhage. IMP: negative.", ["70450"]),
    # negative: a line of labelled fields stays one administrative line (the technologist's "RT(R)" is no side)
    ("EXAM: MRI BREASTS BILATERAL WITHOUT AND WITH CONTRAST\nLocation: Inpatient | Referring: K. Obi, MD | Tech: "
     "RT(R)(MR) D.S. | Priority: Routine\nTECHNIQUE: Pre-contrast axial T1, then dynamic post-contrast axial T1 "
     "after 7 mL gadobutrol.\nFINDINGS: Right 10 o'clock mass. Left: no suspicious enhancement.\nIMPRESSION: "
     "BI-RADS 6.", ["77049"]),
])
def test_admin_field_ends_at_pipe(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a title line that names the order, then the exam performed ("X ordered; Y performed"): the
    # exam performed is the title (CODING_RULES §6)
    ("CT ABDOMEN WITHOUT CONTRAST ordered; CT ABD/PELVIS performed\nTechnique: Noncontrast helical CT from "
     "the diaphragm to the pubic symphysis per stone protocol.\nFindings: 4 mm left UVJ stone.\nImpression: "
     "Left UVJ stone.", ["74176"]),
    ("CT PELVIS WITH CONTRAST ordered, CT ABDOMEN AND PELVIS WITH CONTRAST performed\nTechnique: Portal venous "
     "phase images to the symphysis after 100 mL Omnipaque 300 IV.\nImpression: Appendicitis.", ["74177"]),
])
def test_performed_title_after_order(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an abdomen CT whose narrative (no technique header) says the scan was extended through the
    # pelvis: the combined study performed (CODING_RULES §3, §6)
    ("CT ABDOMEN WITHOUT CONTRAST\nHx: 12 yo flank pain.\nLow dose stone protocol from kidney tops to bladder "
     "base... [per protocol scan extended through pelvis].\nFindings: 4 mm left UVJ stone.\nImpression: Left "
     "UVJ stone.", ["74176"]),
    ("CT ABDOMEN W/O\nHx: flank pain.\nRenal stone protocol. Scan coverage included the pelvis to the bladder "
     "base. 3 mm right UVJ stone with mild hydronephrosis. Impression: right UVJ stone.", ["74176"]),
    # negatives: the pelvis not imaged, or named in a finding, leaves the abdomen alone
    ("CT ABDOMEN W/O\nHx: flank pain.\nRenal stone protocol. 3 mm right renal stone. Pelvis not imaged. "
     "Impression: right renal stone.", ["74150"]),
    ("CT ABDOMEN W/O\nHx: flank pain.\nRenal stone protocol. 3 mm right renal stone. The pelvic kidney is "
     "unremarkable. Impression: right renal stone.", ["74150"]),
    # a CTA title naming a vessel territory beside the abdomen, its technique covering the pelvis too
    ("CTA ABDOMEN MESENTERIC\nTechnique: CT angiography of the abdomen and pelvis after 100 mL Isovue 370 with "
     "MIP and 3D reconstructions.\nFindings: SMA stenosis.\nImpression: SMA stenosis.", ["74174"]),
    ("CTA ABDOMEN RENAL ARTERIES\nTechnique: Arterial phase CTA from the diaphragm through the pubic symphysis "
     "after 90 mL Omnipaque 350, MIP and VR images.\nFindings: Fibromuscular dysplasia of the right renal "
     "artery.\nImpression: FMD.", ["74174"]),
    ("CTA ABDOMEN MESENTERIC\nTechnique: CT angiography of the abdomen after 100 mL Isovue 370 with MIP and 3D "
     "reconstructions.\nFindings: SMA stenosis.\nImpression: SMA stenosis.", ["74175"]),
])
def test_abdomen_title_scan_through_pelvis(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "without and then following IV contrast", "without and after intravenous contrast": both series, the
    # "without" no negation of the contrast after it (CODING_RULES §2)
    ("CT HEAD W/WO CONTRAST\nTechnique: Axial images without and then following IV contrast.\nImpression: "
     "Ring enhancing lesion.", ["70470"]),
    ("CT ORBITS W/WO\nTechnique: Thin axial images of the orbits without and after intravenous contrast with "
     "coronal reformats.\nImpression: Orbital cellulitis.", ["70482"]),
    ("CT ABDOMEN\nTechnique: Images of the abdomen without and then following IV contrast (Omnipaque 350, "
     "100 mL).\nImpression: Adrenal adenoma.", ["74170"]),
])
def test_without_and_then_following_contrast(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # contrast a field says none of, a contrast allergy said as "anaphylaxis history to", or a contrast the
    # patient prefers to avoid: not given (CODING_RULES §2: a negation or an allergy does not count)
    ("CT ABDOMEN/PELVIS WITH IV CONTRAST\nHx: 9 yo fall onto bicycle handlebar.\nTechnique: CT from the "
     "diaphragm to the symphysis. Contrast: none IV - patient has anaphylaxis history to iodinated contrast; "
     "scanned without IV contrast after discussion with surgery.\nFindings: Small hemoperitoneum.\nImpression: "
     "Hemoperitoneum.", ["74176"]),
    ("CT CHEST WITH CONTRAST\nTechnique: Helical CT of the chest. Contrast: none IV (eGFR 19).\nImpression: No "
     "mass.", ["71250"]),
    ("EXAM: MRI BRAIN WITH AND WITHOUT CONTRAST\nTECHNIQUE: Axial T2, sagittal 3D FLAIR, axial DWI, axial T1 "
     "pre-contrast. Contrast was not given (stable disease; the patient prefers to avoid gadolinium).\n"
     "IMPRESSION: Stable demyelinating disease.", ["70551"]),
    ("MRI LUMBAR SPINE W/WO\nTechnique: Sagittal T1, T2, STIR and axial T2. Post-contrast imaging omitted to "
     "avoid gadolinium in pregnancy.\nImpression: L5-S1 disc herniation.", ["72148"]),
])
def test_contrast_none_allergy_or_avoided(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an export's column-header row above its data row names no exam: the data row's exam field is the
    # title, and its contrast per region decides (CODING_RULES §2, §3)
    ("ACCESSION|MRN|PROC_DESC|MOD|STATUS|REPORT_TEXT\n88229930|004018826|CT CHEST W CON + CT A/P WO/W CON "
     "[CTCH2][CTAPRM]|CT|F|CT CHEST WITH CONTRAST; CT ABDOMEN AND PELVIS WITHOUT AND WITH CONTRAST. TECHNIQUE: "
     "Unenhanced images of the abdomen, then nephrographic phase images of the abdomen and pelvis after 120 mL "
     "Omnipaque 350 IV. The chest was imaged during the nephrographic phase. IMPRESSION: Renal mass.",
     ["71260", "74178"]),
    ("ACC\tMRN\tPROC_DESC\tMOD\tREPORT_TEXT\n7710\t0042\tCT CHEST W CON + CT ABD/PEL WO/W CON\tCT\tCT CHEST WITH "
     "CONTRAST AND CT ABDOMEN/PELVIS WITHOUT AND WITH CONTRAST. TECHNIQUE: Noncontrast images of the abdomen, "
     "followed by arterial and portal venous images of the abdomen and pelvis after 100 mL Omnipaque 350 IV. "
     "The chest was scanned in the portal venous phase. IMPRESSION: Adrenal adenoma.", ["71260", "74178"]),
    ("ACC|MRN|EXAM_DESC|MODALITY|REPORT\n5512093|000123|CT HEAD WO CONTRAST|CT|CT HEAD WITHOUT CONTRAST. "
     "HISTORY: Fall. FINDINGS: No hemorrhage. IMPRESSION: Negative.", ["70450"]),
])
def test_export_column_row_is_no_title(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a chest/abdomen/pelvis CT whose technique sentence gives each part its series (the chest plain, the
    # abdomen and pelvis after contrast), the rest of the report remarking on the IV line: each part is
    # billed with its own contrast (CODING_RULES §2, §3); "the arm IV infiltrated" is the line, not contrast
    ("CT CHEST/ABDOMEN/PELVIS\nTECHNIQUE: CT of the chest without contrast, followed by CT of the abdomen and "
     "pelvis with intravenous contrast (100 mL Omnipaque 350). The chest was scanned before injection because "
     "the first IV infiltrated; contrast was given through a new IV.\nIMPRESSION: Stable metastases.",
     ["71250", "74177"]),
    ("CT CAP\nTECHNIQUE: Noncontrast CT of the chest, then CT of the abdomen and pelvis after 100 mL Isovue 300 "
     "IV. The contrast injection was delayed until after the chest scan because the IV had to be replaced.\n"
     "IMPRESSION: No new disease.", ["71250", "74177"]),
    # negatives: another sentence stating a contrast series of the chest keeps both series there
    ("CT CAP\nTECHNIQUE: Noncontrast CT of the chest, then CT of the abdomen and pelvis after 100 mL Isovue 300 "
     "IV. Post-contrast images of the chest were also obtained.\nIMPRESSION: No new disease.", ["71270", "74177"]),
])
def test_part_contrast_decided_by_its_sentence(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an MRI whose technique lists a TOF MRA sequence among its MRI sequences (source images for a nerve's
    # vascular contact): one sequence of the MRI read with it, no MR angiogram instead of the MRI (§6)
    ("MRI BRAIN WITH AND WITHOUT CONTRAST\nTechnique: Axial 3D FIESTA through the posterior fossa, axial and "
     "coronal T2, FLAIR, DWI, axial 3D TOF MRA of the posterior fossa source images, precontrast and "
     "postcontrast 3D T1.\nImpression: Neurovascular contact.", ["70553"]),
    ("MRI BRAIN WITHOUT CONTRAST\nTechnique: Sagittal T1, axial T2, FLAIR, DWI and 3D time-of-flight MRA source "
     "images of the circle of Willis for vascular loop assessment.\nImpression: No mass.", ["70551"]),
    # negative: an MRA the technique describes as the study (its own MIP reconstructions)
    ("MRI BRAIN WITHOUT CONTRAST\nTechnique: 3D time-of-flight MRA of the circle of Willis with MIP "
     "reconstructions.\nImpression: No aneurysm.", ["70544"]),
])
def test_mra_sequence_listed_in_mri(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a CT angiogram titled by an abdominal organ (kidneys of a living donor, the liver before transplant):
    # the CTA of the abdomen (CODING_RULES §2, §7: codes by region), not a plain-CT code of the abdomen
    ("CT ANGIOGRAPHY RENAL (ABDOMEN)\nTechnique: Noncontrast, arterial and nephrographic phases of the abdomen. "
     "MIP and VR reconstructions of the renal arteries.\nImpression: Single renal arteries.", ["74175"]),
    ("CTA KIDNEYS - LIVING DONOR\nTechnique: Arterial phase CT angiography of the abdomen after 100 mL "
     "Omnipaque 350 IV with MIP and VR reconstructions.\nImpression: Single renal arteries bilaterally.",
     ["74175"]),
    ("CTA LIVER - TRANSPLANT EVALUATION\nTechnique: Multiphase CT angiography of the abdomen after 120 mL "
     "Isovue 370 IV with MIP and 3D volume rendering of the hepatic arteries.\nImpression: Conventional "
     "hepatic arterial anatomy.", ["74175"]),
    # negative: the plain CT of the kidneys stays the CT of the abdomen
    ("CT KIDNEYS WITH AND WITHOUT CONTRAST\nTechnique: Noncontrast, nephrographic and excretory phase images of "
     "the abdomen after 100 mL Omnipaque 350 IV.\nImpression: Renal cyst.", ["74170"]),
])
def test_cta_titled_by_abdominal_organ(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # exams a title joins with "+", each with its own "without": the "without" of the first is no negation of
    # the exam after the "+" (CODING_RULES §3: each exam billed)
    ("study: ct head without + ct facial bones without\nhistory: fall, facial abrasions\nfindings: head: no "
     "hemorrhage. face: nasal bone fractures.\nimpression: nasal bone fractures.", ["70450", "70486"]),
    ("CT HEAD WITHOUT + CT CERVICAL SPINE WITHOUT\nFindings: No hemorrhage. No fracture.", ["70450", "72125"]),
    ("MRI BRAIN WITHOUT + MRA HEAD WITHOUT\nFindings: No infarct. No aneurysm.", ["70544", "70551"]),
])
def test_plus_joined_exams_not_negated(sg, text, expected):
    assert codes(sg.suggest(text)) == expected

