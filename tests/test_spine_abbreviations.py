""""TL spine" (thoracolumbar) is the thoracic and lumbar spine, as "T/L spine" is: not the whole spine."""

import pytest

from suggester import Suggester


@pytest.mark.parametrize("text, codes", [
    ("MRI TL SPINE WO", ["72146", "72148"]),  # was 72146 + 72141 + 72148 (a cervical study never named)
    ("XR TL SPINE 2V", ["72080"]),  # the thoracolumbar radiograph, not the entire spine (72082)
    ("CT TL-SPINE WO", ["72128", "72131"]),
])
def test_tl_spine_is_thoracic_and_lumbar(text, codes):
    assert sorted(c["code"] for c in Suggester(billing="global").suggest(text)["codes"]) == codes
