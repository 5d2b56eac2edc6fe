"""X12 837P: SV1-01 composites for every code line, and 2400 loops that pyx12 accepts."""

import copy
import io
from pathlib import Path

import pytest

from suggester.cli import main
from suggester.integrations.x12 import (
    line_control_number,
    service_lines,
    sv1_composite,
    with_x12,
    x12_date,
)
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


# ---------------------------------------------------------------------- 2400 service-line loops


def test_service_lines_exact(sg_pro):
    rec = sg_pro.suggest("EXAM: XR BILATERAL KNEES 3 VIEWS EACH", payer="commercial", id="ACC*1~2")
    assert service_lines(rec, service_date="2024-03-12T09:30:11-05:00") == [
        "LX*1~", "SV1*HC:73562:26:RT*0*UN*1***1~", "DTP*472*D8*20240312~", "REF*6R*ACC-1-2-1~",
        "LX*2~", "SV1*HC:73562:26:LT*0*UN*1***1~", "DTP*472*D8*20240312~", "REF*6R*ACC-1-2-2~",
    ]
    assert service_lines(rec)[:3] == ["LX*1~", "SV1*HC:73562:26:RT*0*UN*1***1~", "REF*6R*ACC-1-2-1~"]  # no date
    with pytest.raises(ValueError, match="error record"):
        service_lines(sg_pro.suggest_record({"id": "e", "text": ""}))


@pytest.mark.parametrize(("value", "want"), [
    ("20240312093011.25-0500", "20240312"), ("2024-03-12", "20240312"), ("2024-03-12T23:59:00+14:00", "20240312"),
    ("202403", None), ("", None), (None, None),
])
def test_x12_date(value, want):
    assert x12_date(value) == want


def test_line_control_number_fits_ref02():
    assert line_control_number("A" * 80, 12) == "A" * 47 + "-12"
    assert line_control_number("x y:z", 1) == "x-y-z-1"


ENVELOPE_HEAD = [
    "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       *240312*1200*^*00501*000000001*0*T*:~",
    "GS*HC*SUBMITTER*RECEIVER*20240312*1200*1*X*005010X222A1~",
    "ST*837*0001*005010X222A1~",
    "BHT*0019*00*0001*20240312*1200*CH~",
    "NM1*41*2*SUBMITTER*****46*S1~", "PER*IC*CONTACT*TE*5555551212~",
    "NM1*40*2*RECEIVER*****46*R1~",
    "HL*1**20*1~", "NM1*85*2*BILLING PROVIDER*****XX*1234567893~", "N3*1 MAIN ST~",
    "N4*SPRINGFIELD*IL*627010000~", "REF*EI*123456789~",
    "HL*2*1*22*0~", "SBR*P*18*******MB~", "NM1*IL*1*DOE*JANE****MI*1EG4TE5MK73~", "N3*2 MAIN ST~",
    "N4*SPRINGFIELD*IL*627010000~", "DMG*D8*19640227*F~", "NM1*PR*2*MEDICARE*****PI*00000~",
]


def pyx12_check(claims: list[tuple[str, str]]) -> str:
    """The 999 acknowledgment pyx12 gives for a minimal 837P holding, per (claim id, line of
    2400 loops), a CLM with one HI diagnosis and the loops (the envelope is the test's)."""
    import pyx12.params
    import pyx12.x12n_document

    segs = list(ENVELOPE_HEAD)
    for cid, line in claims:
        segs += [f"CLM*{cid}*0***11:B:1*Y*A*Y*Y~", "HI*ABK:R51~"]
        segs += [s + "~" for s in line.strip().split("~") if s]
    body = segs + [f"SE*{len(segs) - 2 + 1}*0001~", "GE*1*1~", "IEA*1*000000001~"]
    ack = io.StringIO()
    pyx12.x12n_document.x12n_document(pyx12.params.params(), io.StringIO("\n".join(body) + "\n"), ack, None, None)
    return ack.getvalue()


def test_pyx12_rejects_a_broken_line():
    """The check can fail: a unit basis that is not UN/MJ is refused."""
    ack = pyx12_check([("C1", "LX*1~SV1*HC:73562:26*0*XX*1***1~DTP*472*D8*20240312~")])
    assert "IK5*R" in ack and "IK3*SV1" in ack


def test_cli_format_x12_passes_pyx12(tmp_path):
    out = tmp_path / "lines.x12"
    src = Path(__file__).parent / "data" / "hl7"
    inp = tmp_path / "all.hl7"
    inp.write_bytes(b"".join((src / n).read_bytes() + b"\r" for n in ("knee_mllp.hl7", "batch_lf.hl7",
                                                                       "mixed_cr.hl7", "v251_tz.hl7")))
    rc = main(["code", str(inp), "--format", "x12", "-o", str(out), "--workers", "1", "-q", "--payer", "commercial"])
    assert rc == 1  # the ADT is an error record: an empty line
    lines = out.read_text().split("\n")[:-1]
    assert len(lines) == 8 and lines[2] == ""
    assert lines[0] == "LX*1~SV1*HC:73562:26:LT*0*UN*1***1~DTP*472*D8*20240312~REF*6R*ACC24031207-1~"
    assert lines[7] == "LX*1~SV1*HC:70450:26*0*UN*1***1~DTP*472*D8*20240312~REF*6R*ACC24031290-1~"
    ack = pyx12_check([(f"C{k}", line) for k, line in enumerate(lines) if line])
    assert "IK5*A" in ack and "AK9*A*1*1*1" in ack, ack
