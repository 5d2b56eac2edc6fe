"""X12 837P SV1-01 composites for every code line."""

import copy

import pytest

from suggester.integrations.x12 import sv1_composite, with_x12
from suggester.lexicon import load_lexicon
from suggester.modifiers import BILLING, lines_for


@pytest.mark.parametrize(("code", "mods", "sep", "want"), [
    ("73070", ["26", "RT"], ":", "HC:73070:26:RT"),
    ("77067", [], ":", "HC:77067"),
    ("73562", ("TC", "LT"), ">", "HC>73562>TC>LT"),  # ISA-16 is the partner's choice
    ("G0279", ["26"], ":", "HC:G0279:26"),             # HCPCS level II also takes HC
    ("0042T", [], ":", "HC:0042T"),                    # CPT category III
    ("73565", ["26", "59", "76", "RT"], ":", "HC:73565:26:59:76:RT"),
])
def test_composite(code, mods, sep, want):
    assert sv1_composite(code, mods, separator=sep) == want


@pytest.mark.parametrize(("code", "mods", "sep", "match"), [
    ("7307", [], ":", "not a CPT or HCPCS code"),
    ("ABCDE", [], ":", "not a CPT or HCPCS code"),
    ("73070 ", [], ":", "not a CPT or HCPCS code"),
    ("73070", ["26", "59", "76", "77", "RT"], ":", "at most 4 modifiers"),
    ("73070", ["2"], ":", "not a procedure code modifier"),
    ("73070", ["rt"], ":", "not a procedure code modifier"),
    ("73070", [], "a", "one punctuation character"),
    ("73070", [], "::", "one punctuation character"),
])
def test_composite_rejects(code, mods, sep, match):
    with pytest.raises(ValueError, match=match):
        sv1_composite(code, mods, separator=sep)


def test_every_line_the_suggester_can_write_is_a_valid_sv1():
    """Invariant: every code of the table, under every billing, payer and side, fits SV1-01."""
    lex = load_lexicon()
    n = 0
    for code in lex.codes.values():
        for billing in BILLING:
            for payer in lex.payers.values():
                for side in (None, "left", "right", "bilateral"):
                    for line in lines_for(code, side, billing, payer):
                        got = sv1_composite(code.code, line.modifiers)
                        assert got == ":".join(["HC", code.code, *line.modifiers])
                        n += 1
    assert n > 1000


def test_with_x12_adds_a_composite_per_line_and_copies(sg_pro):
    rec = sg_pro.suggest("EXAM: XR BILATERAL KNEES 3 VIEWS EACH", payer="commercial", id="r1")
    before = copy.deepcopy(rec)
    out = with_x12(rec)
    assert [c["x12"] for c in out["codes"]] == ["HC:73562:26:RT", "HC:73562:26:LT"]
    assert rec == before  # the input record is not modified
    medicare = with_x12(sg_pro.suggest("EXAM: XR BILATERAL KNEES 3 VIEWS EACH", id="r1"))
    assert [c["x12"] for c in medicare["codes"]] == ["HC:73562:26:50"]


def test_with_x12_leaves_error_records_alone(sg_pro):
    err = sg_pro.suggest_record({"id": "e1", "text": ""})
    assert with_x12(err) is err
    assert with_x12(err)["error"]["type"] == "empty_text"
