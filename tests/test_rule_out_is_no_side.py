""""R/O" (rule out) and "R/T" (related to) in a title or history name no side: their "R" is not the right side."""

import pytest

from suggester import Suggester


@pytest.fixture(scope="module")
def sg():
    return Suggester(billing="global")


@pytest.mark.parametrize("text, codes, flags", [
    ("XR KNEE 3 VIEWS R/O FX", [("73562", [])], ["laterality_missing"]),
    # a side the title names stays the only side (the "R" of R/O made it bilateral)
    ("XR LEFT KNEE 3 VIEWS R/O FX", [("73562", ["LT"])], []),
    ("MRI SHOULDER WO CONTRAST r/o rotator cuff tear", [("73221", [])], ["laterality_missing"]),
    ("XR KNEE 3V R/T FALL", [("73562", [])], ["laterality_missing"]),
    ("XR WRIST LEFT 3V\nINDICATION: fall, r/o fracture\nFINDINGS: No fracture.", [("73110", ["LT"])], []),
])
def test_rule_out_names_no_side(sg, text, codes, flags):
    out = sg.suggest(text)
    assert [(c["code"], c["modifiers"]) for c in out["codes"]] == codes
    assert [f["type"] for f in out["flags"]] == flags


@pytest.mark.parametrize("text, codes", [
    ("XR KNEE R 3 VIEWS", [("73562", ["RT"])]),  # a bare R is still the right side
    ("XR R/L KNEES 2 VIEWS", [("73560", ["50"])]),  # and R/L both sides
])
def test_side_letters_elsewhere_stay_sides(sg, text, codes):
    assert [(c["code"], c["modifiers"]) for c in sg.suggest(text)["codes"]] == codes
