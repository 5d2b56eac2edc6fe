"""Error classes of dev (stop 43, part dz_a) fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # an exam of several regions titled without then with contrast: the plain series of one region, then the
    # IV contrast series of all; a negated ORAL contrast says nothing of the IV series (CODING_RULES §2, §3)
    ("CT CHEST WITH CONTRAST AND CT ABDOMEN AND PELVIS WITHOUT AND WITH CONTRAST\nHISTORY: Hematuria, renal mass on "
     "ultrasound.\nTECHNIQUE: Noncontrast images of the upper abdomen were obtained first. After intravenous "
     "injection of 90 mL Isovue 370, helical images were then obtained in the portal venous phase, and 10 minute "
     "delayed images of the kidneys. Oral contrast was not administered.\nFINDINGS: 4 cm enhancing left renal "
     "mass. Lungs clear.\nIMPRESSION: "
     "Left renal mass, likely renal cell carcinoma.", ["71260", "74178"]),
])
def test_contrast_statements_of_dz_a(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
