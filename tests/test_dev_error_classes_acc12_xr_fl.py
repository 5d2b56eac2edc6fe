"""Error classes of the enlarged dev split (issue 12, acc12: the retired parts cal_be..cal_bl) in
radiographs, fluoroscopy and guidance, fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a central venous device whose vein was accessed under ultrasound and whose catheter was placed under
    # fluoroscopy: both guidances are billed (76937 + 77001), whichever the title names
    ("PROCEDURE: Tunneled right IJ hemodialysis catheter placement\nThe right internal jugular vein was patent on "
     "ultrasound and was accessed under real-time ultrasound guidance; an image was stored. The catheter tip was "
     "positioned under fluoroscopy in the right atrium.\nIMPRESSION: Successful placement.", ["76937", "77001"]),
    ("LEFT ARM PICC PLACEMENT\nIndication: IV antibiotics.\nThe left basilic vein was patent and compressible and "
     "was accessed under ultrasound guidance, permanent image recorded. Under fluoroscopy the catheter was "
     "advanced and the tip positioned at the cavoatrial junction.\nImpression: 5 Fr double lumen PICC.",
     ["76937", "77001"]),
    ("IR PORT PLACEMENT\nUS: right IJ patent and compressible, image saved; real-time US guided micropuncture "
     "access. Fluoroscopy used to position the catheter tip at the cavoatrial junction; final spot image saved.",
     ["76937", "77001"]),
    ("FL GUIDANCE CVC\nThe right IJ vein was patent and was entered under direct ultrasound visualization, image "
     "stored. Tunneled catheter placed; fluoroscopy used to position the tip at the cavoatrial junction.",
     ["76937", "77001"]),
    # one guidance documented, or the other said not used: that guidance alone
    ("Chest port placement. The right IJ was accessed using anatomic landmarks. Fluoroscopy was used to position "
     "the catheter tip at the cavoatrial junction.", ["77001"]),
    ("PICC PLACEMENT RIGHT ARM\nThe right brachial vein was patent and accessed under real-time ultrasound "
     "guidance; image saved. Tip position confirmed by ECG tip confirmation technology. No fluoroscopy was used.",
     ["76937"]),
    ("PROCEDURE: EXCHANGE OF TUNNELED DIALYSIS CATHETER\nORDER: HD CATH EXCHANGE WITH US AND FLUORO GUIDANCE\n"
     "Technique: A wire was advanced through the old catheter into the IVC under fluoroscopy. No new venous access "
     "was needed, so ultrasound was not used. New catheter tip in the right atrium on the final spot image.",
     ["77001"]),
])
def test_venous_access_with_both_guidances(sg, text, expected):
    assert codes(sg.suggest(text)) == expected

