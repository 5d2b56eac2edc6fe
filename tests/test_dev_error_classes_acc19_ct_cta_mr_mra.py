"""Error classes of the dev split in CT, CTA, MR and MRA (stop 19: reports written by hand outside the
team), fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a report of several exams whose contrast clause names no anatomy and a semicolon joins it to the
    # clause of the images it was given for ("then 80 mL Isovue 370 IV; venous phase images of the chest,
    # abdomen and pelvis"): the contrast is the series of the regions that clause names (CODING_RULES §2, §3)
    ("CT CHEST WITHOUT AND WITH CONTRAST / CT ABDOMEN AND PELVIS WITH CONTRAST\nIndication: Renal mass.\n"
     "Technique: Unenhanced images through the chest and upper abdomen. Afterwards 90 mL Isovue 370 "
     "intravenously; venous phase images of the chest, abdomen and pelvis.\nFindings: Enhancing left renal "
     "mass 3 cm.\nImpression: Left renal cell carcinoma, no metastasis.", ["71270", "74178"]),
    ("CT CHEST W/WO AND CT ABD/PELVIS W\nTechnique: Noncontrast scan of the chest and abdomen was performed. "
     "Next, 100 cc Omnipaque 300 IV; portal venous scan of the chest, abdomen and pelvis.\nImpression: No "
     "metastatic disease.", ["71270", "74178"]),
    # negative: a semicolon clause naming other anatomy keeps its own regions
    ("CT CHEST WITHOUT CONTRAST / CT ABDOMEN AND PELVIS WITH CONTRAST\nTechnique: Noncontrast images of the "
     "chest. Then 100 mL Omnipaque 350 IV; portal venous images of the abdomen and pelvis.\nImpression: "
     "Negative.", ["71250", "74177"]),
])
def test_semicolon_joins_contrast_to_its_series(sg, text, expected):
    assert sorted(codes(sg.suggest(text))) == sorted(expected)
