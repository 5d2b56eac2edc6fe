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
