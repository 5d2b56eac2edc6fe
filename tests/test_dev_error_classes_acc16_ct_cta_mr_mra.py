"""Error classes of the dev split in CT, CTA, MR and MRA (stop 16: reports written by hand outside the
team), fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a contrast the technique says was planned, then a failed IV: only the oral / rectal contrast was
    # given, which makes no study "with contrast" (CODING_RULES §2: 74176)
    ("CT ABDOMEN PELVIS WITH ORAL CONTRAST ONLY\nHistory: Flank stab wound.\nTechnique: IV contrast was planned; "
     "peripheral access could not be obtained. Helical CT of the abdomen and pelvis after oral contrast only.\n"
     "Findings: No peritoneal violation.\nImpression: Negative.", ["74176"]),
    ("CT A/P RECTAL AND ORAL CONTRAST\nTechnique: Triple contrast study was planned. IV line infiltrated before "
     "injection. Scan of the abdomen and pelvis performed with oral and rectal contrast.\nFindings: No colonic "
     "injury.\nImpression: Negative.", ["74176"]),
    # a one-line export whose title says W and whose only statement says the IV contrast was not given
    # (CODING_RULES §2, §6: the plain study was done)
    ("CT ABD/PELVIS W | ACC 55512 | ED | Abd pain | IMP: Small bowel obstruction with transition in the right "
     "lower quadrant. Oral contrast only; IV contrast not given due to renal failure.", ["74176"]),
    ("CT A/P W CONTRAST | 12/01/2026 | IMPRESSION: Uncomplicated sigmoid diverticulitis. IV not administered "
     "(allergy), oral contrast given.", ["74176"]),
    # negative: a contrast extravasation named in the impression is anatomy, not the technique
    ("CT ABD/PELVIS W | ACC 55513 | IMP: No extravasation of IV contrast. Liver laceration grade 2.", ["74177"]),
    # negative: a plan then carried out
    ("CT ABDOMEN PELVIS WITH CONTRAST\nTechnique: IV contrast was planned and 100 mL Omnipaque 350 was given "
     "IV.\nFindings: Negative.", ["74177"]),
])
def test_oral_or_rectal_contrast_only(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
