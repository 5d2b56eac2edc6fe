"""HL7 v2: ORU^R01 in (hand-written messages with vendor quirks), DFT^P03 / ACK out."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suggester.cli import main
from suggester.integrations import format_record
from suggester.integrations.hl7 import escape, read_hl7, unescape, write_ack, write_dft
from suggester.io import detect_format, read_records

DATA = Path(__file__).parent / "data" / "hl7"
NOW = datetime(2024, 3, 12, 10, 16, 0, tzinfo=timezone.utc)


def read(name: str) -> list[dict]:
    with open(DATA / name, "rb") as fh:
        return list(read_hl7(fh))


def brief(rec: dict) -> dict:
    return {k: rec[k] for k in ("id", "text", "ordered", "error") if k in rec}


# ---------------------------------------------------------------------- reading


def test_mllp_framed_repeated_obx():
    """One OBX per report line, a blank OBX line, \\T\\ for &, OBR-4 coded in CPT (C4), a Z segment."""
    (rec,) = read("knee_mllp.hl7")
    assert brief(rec) == {
        "id": "ACC24031207",
        "text": "EXAM: XR LEFT KNEE 3 VIEWS\n\nHISTORY: Fall, pain & swelling.\n"
                "TECHNIQUE: AP, lateral and sunrise views of the left knee.\n"
                "FINDINGS: No fracture or dislocation. No joint effusion.\n"
                "IMPRESSION: No acute osseous abnormality.",
        "ordered": "73562",
    }
    ctx = rec["hl7"]
    assert (ctx["control_id"], ctx["processing_id"], ctx["observed"], ctx["ordering_provider"]) == \
        ("NRS0312101502", "P", "20240312093011", "4411^FRANKLIN^ROSA^^^^MD")
    assert ctx["pid"].startswith("PID|1||MRN0049121^^^NORTHSIDE^MR||TESTPATIENT^ALEX^J")
    assert ctx["pv1"].startswith("PV1|1|O|XR^^^NORTHSIDE")


def test_batch_file_with_lf_endings():
    """FHS/BHS wrapper, LF line ends, an ADT in the middle, formatting escapes, a deleted OBX,
    no PV1, accession only in OBR-3, unescaped ^ and &, an ED (PDF) OBX."""
    assert [brief(r) for r in read("batch_lf.hl7")] == [
        {"id": "ACC24031288",
         "text": "EXAM: CT ABDOMEN AND PELVIS WITH CONTRAST\n\n"
                 "TECHNIQUE: Axial images after 100 mL Omnipaque 350 IV.\n"
                 "FINDINGS: Normal liver. No free fluid.\n\nIMPRESSION: Negative.",
         "ordered": "CT ABD/PELVIS W CONTRAST"},
        {"id": "ADT778812",
         "error": {"type": "unsupported_message", "message": "message ADT778812: expected ORU^R01, got ADT^A08"}},
        {"id": "ACC24031301",
         "text": "EXAM: SCREENING MAMMOGRAM BILATERAL R & L\nHISTORY: Annual screening.\n"
                 "FINDINGS: Scattered fibroglandular densities^no suspicious mass.\n"
                 "IMPRESSION: BI-RADS 1 negative.",
         "ordered": "77067"},
    ]


def test_raw_newlines_repeated_report_nte_and_latin1():
    """CR segments with raw LF inside OBX-5; a report repeated under two OBRs is read once;
    a report only in NTE; MSH-18 8859/1."""
    recs = read("mixed_cr.hl7")
    assert [brief(r) for r in recs] == [
        {"id": "ACC24031410",
         "text": "EXAM: MRI LUMBAR SPINE WITHOUT CONTRAST\n"
                 "TECHNIQUE: Sagittal T1, T2 and STIR, axial T2. No contrast was given.\n"
                 "FINDINGS: Mild L4-L5 disc bulge.",
         "ordered": "MRI L-SPINE WO CONTRAST"},
        {"id": "ACC24031420",
         "text": "EXAM: CT CHEST, ABDOMEN AND PELVIS WITH CONTRAST\nIMPRESSION: No acute findings.",
         "ordered": "CT CHEST W CONTRAST\nCT ABD PELVIS W CONTRAST"},
        {"id": "WACC0001",
         "text": "EXAM: ULTRASOUND ABDOMEN LIMITED (RÉSUMÉ: right upper quadrant)\n"
                 "FINDINGS: Gallbladder without stones.",
         "ordered": "US ABDOMEN COMPLETE"},
    ]
    assert recs[1]["hl7"]["accessions"] == ["ACC24031420", "ACC24031421"]
    assert recs[1]["hl7"]["pv1"] == "PV1|1|E|ED^^^NORTHSIDE"
    assert recs[0]["hl7"]["pv1"] is None


def test_codes_for_every_message(sg_pro):
    got = {}
    for name in ("knee_mllp.hl7", "batch_lf.hl7", "mixed_cr.hl7"):
        for n, rec in enumerate(read(name), 1):
            out = sg_pro.suggest_record(rec, n)
            got[out["id"]] = [c["code"] + "".join("-" + m for m in c["modifiers"]) for c in out.get("codes", [])] \
                or out["error"]["type"]
    assert got == {
        "ACC24031207": ["73562-26-LT"],
        "ACC24031288": ["74177-26"],
        "ADT778812": "unsupported_message",
        "ACC24031301": ["77067-26"],
        "ACC24031410": ["72148-26"],
        "ACC24031420": ["74177-26", "71260-26"],
        "WACC0001": ["76705-26"],
    }


def test_ordered_code_mismatch_is_flagged(sg_pro):
    """OBR-4 orders an ankle (73610); a knee was done: coded as performed, flagged."""
    raw = (DATA / "knee_mllp.hl7").read_bytes().replace(b"73562^XR KNEE 3 VW LT", b"73610^XR ANKLE 3 VW LT")
    (rec,) = read_hl7(raw)
    out = sg_pro.suggest_record(rec)
    assert rec["ordered"] == "73610"
    assert [c["code"] for c in out["codes"]] == ["73562"]
    assert "performed_differs_from_ordered" in out["review_reasons"]


@pytest.mark.parametrize("framing", ["cr", "lf", "crlf", "mllp-lf", "bom"])
def test_framing_and_line_ends_do_not_matter(framing):
    segs = (DATA / "knee_mllp.hl7").read_bytes().strip(b"\x0b\x1c\r").split(b"\r")
    data = {"cr": b"\r".join(segs), "lf": b"\n".join(segs), "crlf": b"\r\n".join(segs) + b"\r\n",
            "mllp-lf": b"\x0b" + b"\n".join(segs) + b"\x1c\r\n", "bom": b"\xef\xbb\xbf" + b"\r".join(segs)}[framing]
    assert [brief(r) for r in read_hl7(data)] == [brief(r) for r in read("knee_mllp.hl7")]


def test_streaming_across_small_chunks():
    """Messages and segments split across read() chunks come out the same."""
    for name in ("knee_mllp.hl7", "batch_lf.hl7", "mixed_cr.hl7"):
        with open(DATA / name, "rb") as fh:
            small = list(read_hl7(fh, chunk_size=7))
        assert [brief(r) for r in small] == [brief(r) for r in read(name)]


@pytest.mark.parametrize(("data", "want"), [
    (b"junk before\rMSH|^~\\&|A|B|C|D|20240101||ORU^R01|X1|P|2.5\rOBR|1||A1|^CT HEAD\rOBX|1|TX|X||CT HEAD WO||||||F",
     [("message-1", "invalid_hl7"), ("A1", None)]),
    (b"MSH|^~\\&|A|B|C|D|20240101||ORU^R01|X2|P|2.5\rPID|1", [("X2", "invalid_hl7")]),
    (b"MSH|^~\\&|A|B|C|D|20240101||ORU^R01|X3|P|2.5\rOBR|1||A3|^CT HEAD\rOBX|1|NM|X||5||||||F",
     [("A3", "missing_text")]),
    (b"MSH|", [("message-1", "invalid_hl7")]),
    # an empty or unknown MSH-12 is read as 2.5: the fields used are where they always are
    (b"MSH|^~\\&|A|B|C|D|20240101||ORU^R01|X4|P|\rOBR|1||A4|^CT HEAD\rOBX|1|TX|X||CT HEAD WO||||||F",
     [("A4", None)]),
    (b"MSH|^~\\&|A|B|C|D|20240101||ORU^R01|X5\rOBR|1||A5|^CT HEAD\rOBX|1|TX|X||CT HEAD WO||||||F",
     [("A5", None)]),
])
def test_unreadable_messages_become_error_records(sg_pro, data, want):
    recs = list(read_hl7(data))
    assert [(r["id"], r.get("error", {}).get("type")) for r in recs] == want
    for n, rec in enumerate(recs, 1):  # and the pipeline passes each through as one output record
        out = sg_pro.suggest_record(rec, n)
        assert out["status"] == ("error" if rec.get("error") else "ok")


@pytest.mark.parametrize(("raw", "want"), [
    (r"CT HEAD\.br\FINDINGS", "CT HEAD\nFINDINGS"),
    (r"A\X0D0A\B\X0D\C", "A\r\nB\rC"),
    (r"R \T\ L, 1\S\2, a\F\b, x\R\y, back\E\slash", "R & L, 1^2, a|b, x~y, back\\slash"),
    (r"\H\IMPRESSION\N\: normal", "IMPRESSION: normal"),
    (r"one\.sp 2\two\.sp\three", "one\n\ntwo\nthree"),
    ("\\.in+4\\indented\\.ti-2\\ \\.fi\\\\.nf\\", "indented "),
    ("caf\\XC3A9\\", "café"),
    (r"50\% and \Zvendor\ end", "50\\% and  end"),
    (r"unfinished \.br", "unfinished \\.br"),
])
def test_unescape(raw, want):
    assert unescape(raw) == want


def test_unescape_with_the_message_escape_character():
    enc = {"FIELD": "|", "COMPONENT": "^", "REPETITION": "~", "ESCAPE": "#", "SUBCOMPONENT": "&"}
    assert unescape("R #T# L#.br#next \\ kept", enc) == "R & L\nnext \\ kept"


@given(st.text())
def test_escape_round_trip(text):
    assert unescape(escape(text)) == text


# ---------------------------------------------------------------------- writing


def test_dft_exact(sg_pro):
    (rec,) = read("knee_mllp.hl7")
    dft = write_dft(sg_pro.suggest_record(rec), rec, now=NOW)
    assert dft.split("\r") == [
        "MSH|^~\\&|SUGGESTER|NORTHSIDE|||20240312101600+0000||DFT^P03^DFT_P03|SGNRS0312101502|P|2.5",
        "EVN|P03|20240312101600+0000",
        "PID|1||MRN0049121^^^NORTHSIDE^MR||TESTPATIENT^ALEX^J||19640227|F|||100 MAIN ST^^SPRINGFIELD^IL^62701",
        "PV1|1|O|XR^^^NORTHSIDE||||4411^FRANKLIN^ROSA^^^^MD|||RAD||||||||OP|V0000881",
        "FT1|1|||20240312093011||CG|73562^Radiograph knee 3 views^C4|||1||||||||||9981^DOE^JOHN^^^^MD|"
        "4411^FRANKLIN^ROSA^^^^MD||ACC24031207||73562^Radiograph knee 3 views^C4|26~LT",
    ]


def test_dft_is_valid_v25_and_reads_back(sg_pro):
    from hl7apy.consts import VALIDATION_LEVEL
    from hl7apy.parser import parse_message

    (rec,) = read("knee_mllp.hl7")
    out = sg_pro.suggest_record(rec)
    msg = parse_message(write_dft(out, rec, now=NOW), validation_level=VALIDATION_LEVEL.STRICT)
    assert msg.validate()
    ft1 = msg.dft_p03_financial.ft1
    assert ft1.ft1_25.ce_1.value == "73562"
    assert [f.ce_1.value for f in ft1.ft1_26] == ["26", "LT"]


def test_dft_two_lines_for_rt_lt_payer(sg_pro):
    """A bilateral study of a unilateral code under an RT/LT payer: two FT1."""
    raw = (DATA / "knee_mllp.hl7").read_bytes().replace(b"XR LEFT KNEE 3 VIEWS", b"XR BILATERAL KNEES 3 VIEWS EACH")
    raw = raw.replace(b"views of the left knee", b"views of both knees")
    (rec,) = read_hl7(raw)
    dft = write_dft(sg_pro.suggest_record({**rec, "payer": "commercial"}), rec, now=NOW)
    ft1 = [s.split("|") for s in dft.split("\r") if s.startswith("FT1")]
    assert [(f[1], f[25].split("^")[0], f[26]) for f in ft1] == [("1", "73562", "26~RT"), ("2", "73562", "26~LT")]


def test_dft_without_hl7_source_escapes_text(sg_pro):
    out = sg_pro.suggest("CT HEAD WITHOUT CONTRAST", id="J1")
    out["codes"][0]["label"] = "CT head | brain ^ w/o & more\\"
    dft = write_dft(out, None, now=NOW, control_id="C1")
    assert dft.split("\r") == [
        "MSH|^~\\&|SUGGESTER||||20240312101600+0000||DFT^P03^DFT_P03|C1|P|2.5",
        "EVN|P03|20240312101600+0000",
        "PID|1",
        "FT1|1|||20240312101600+0000||CG|70450^CT head \\F\\ brain \\S\\ w/o \\T\\ more\\E\\^C4|||1||||||||||||||"
        "|70450^CT head \\F\\ brain \\S\\ w/o \\T\\ more\\E\\^C4|26",
    ]


def test_ack_for_an_error_record(sg_pro):
    recs = read("batch_lf.hl7")
    out = sg_pro.suggest_record(recs[1], 2)
    assert write_ack(out, recs[1], now=NOW).split("\r") == [
        "MSH|^~\\&|SUGGESTER|NORTHSIDE|||20240312101600+0000||ACK^R01^ACK|SGADT778812|P|2.5",
        "MSA|AE|ADT778812",
        "ERR|||200^Unsupported message type^HL70357|E||||"
        "unsupported_message: message ADT778812: expected ORU\\S\\R01, got ADT\\S\\A08",
    ]
    with pytest.raises(ValueError, match="error record"):
        write_dft(out, recs[1])


def test_format_record_keeps_one_output_per_message(sg_pro):
    recs = read("batch_lf.hl7")
    text = "".join(format_record(sg_pro.suggest_record(r, n), "hl7", r) for n, r in enumerate(recs, 1))
    assert [m.split("|")[8] for m in text.strip("\n").split("\n")] == ["DFT^P03^DFT_P03", "ACK^R01^ACK",
                                                                      "DFT^P03^DFT_P03"]


# ---------------------------------------------------------------------- file and CLI


def test_detected_by_extension():
    assert detect_format(str(DATA / "knee_mllp.hl7")) == "hl7"
    assert [r["id"] for r in read_records(str(DATA / "batch_lf.hl7"))] == ["ACC24031288", "ADT778812", "ACC24031301"]


def test_cli_codes_an_hl7_file(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    src = tmp_path / "messages.txt"  # no .hl7 suffix: --input-format says it
    src.write_bytes((DATA / "batch_lf.hl7").read_bytes())
    rc = main(["code", str(src), "--input-format", "hl7", "-o", str(out), "--workers", "1", "-q"])
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    assert rc == 1  # the ADT is an error record
    assert [(r["id"], r["status"]) for r in recs] == [("ACC24031288", "ok"), ("ADT778812", "error"),
                                                      ("ACC24031301", "ok")]
    assert [c["code"] for c in recs[0]["codes"]] == ["74177"]


# ---------------------------------------------------------------------- raw fields, strict DFT


def strict(msg: str):
    from hl7apy.consts import VALIDATION_LEVEL
    from hl7apy.parser import parse_message

    parsed = parse_message(msg, validation_level=VALIDATION_LEVEL.STRICT)
    assert parsed.validate()
    return parsed


def test_v251_dft_passes_strict_with_the_date_of_service_as_sent(sg_pro):
    """v2.5.1 ORU: OBR-7 with fractional seconds and a time zone reaches FT1-4 unchanged;
    OBR-31 (ICD-10 reasons) becomes FT1-19, OBR-32 (the interpreter, NDL) FT1-20."""
    (rec,) = read("v251_tz.hl7")
    assert rec["hl7"]["observed"] == "20240312093011.25-0500"
    dft = write_dft(sg_pro.suggest_record(rec), rec, now=NOW)
    (ft1,) = [s for s in dft.split("\r") if s.startswith("FT1")]
    assert ft1 == ("FT1|1|||20240312093011.25-0500||CG|70450^CT head or brain without contrast^C4|||1|||||||||"
                   "R51.9^Headache, unspecified^I10~S09.90XA^Head injury^I10|7788^PATEL^ANIKA^^^^MD^^SOUTHSIDE|"
                   "5521^NGUYEN^LINH^^^^MD||ACC24031290||70450^CT head or brain without contrast^C4|26")
    msg = strict(dft)
    assert msg.dft_p03_financial.ft1.ft1_4.to_er7() == "20240312093011.25-0500"


def test_every_dft_of_the_fixtures_passes_strict(sg_pro):
    n = 0
    for name in ("knee_mllp.hl7", "batch_lf.hl7", "mixed_cr.hl7", "v251_tz.hl7"):
        for k, rec in enumerate(read(name), 1):
            out = sg_pro.suggest_record(rec, k)
            msg = format_record(out, "hl7", rec).rstrip("\n")
            strict(msg)
            n += out["status"] == "ok"
    assert n == 7


@pytest.mark.parametrize(("obr7", "obx14", "want"), [
    ("202403120930-0500", "", "202403120930-0500"),           # v2.3 minutes and offset: kept
    ("2024-03-12 09:30", "20240312093500", "20240312093500"),  # not a DTM: OBX-14
    ("", "", "20240312101502"),                               # neither: the ORU's MSH-7
])
def test_date_of_service_fallbacks(sg_pro, obr7, obx14, want):
    raw = (DATA / "knee_mllp.hl7").read_bytes().replace(b"|20240312093011|", f"|{obr7}|".encode())
    raw = raw.replace(b"IMPRESSION: No acute osseous abnormality.||||||F",
                      f"IMPRESSION: No acute osseous abnormality.||||||F|||{obx14}".encode())
    (rec,) = read_hl7(raw)
    dft = write_dft(sg_pro.suggest_record(rec), rec, now=NOW)
    assert [s.split("|")[4] for s in dft.split("\r") if s.startswith("FT1")] == [want]
    strict(dft)


# ---------------------------------------------------------------------- report status


def _knee(obr25: str = "F", obx11: str = "F") -> bytes:
    raw = (DATA / "knee_mllp.hl7").read_bytes().replace(b"||CR|F||", f"||CR|{obr25}||".encode())
    return raw.replace(b"||||||F\r", f"||||||{obx11}\r".encode())


@pytest.mark.parametrize(("obr25", "obx11", "status", "flagged"), [
    ("F", "F", None, False),
    ("C", "C", None, False),
    ("", "", None, False),
    ("P", "F", "preliminary", True),
    ("F", "P", "preliminary", True),
    ("", "R", "preliminary", True),
    ("S", "", "partial", True),
    ("I", "", "registered", True),
])
def test_report_status_coded_or_flagged(sg_pro, obr25, obx11, status, flagged):
    (rec,) = read_hl7(_knee(obr25, obx11))
    assert rec.get("report_status") == status
    out = sg_pro.suggest_record(rec)
    assert [c["code"] for c in out["codes"]] == ["73562"]
    assert ("report_not_final" in [f["type"] for f in out["flags"]]) is flagged
    assert ("report_not_final" in out["review_reasons"]) is flagged
    if flagged:
        assert out["needs_review"] is True


@pytest.mark.parametrize(("obr25", "obx11", "message"), [
    ("X", "F", "message ACC24031207: OBR-25 result status X (cancelled): not coded"),
    ("F", "D", "message ACC24031207: every report OBX has result status D: not coded"),
    ("F", "X", "message ACC24031207: every report OBX has result status X: not coded"),
])
def test_cancelled_or_deleted_report_is_a_report_status_error(sg_pro, obr25, obx11, message):
    (rec,) = read_hl7(_knee(obr25, obx11))
    assert rec["error"] == {"type": "report_status", "message": message}
    out = sg_pro.suggest_record(rec)
    assert out["status"] == "error" and out["error"]["type"] == "report_status"
    assert write_ack(out, rec, now=NOW).split("\r")[1] == "MSA|AE|NRS0312101502"


# ---------------------------------------------------------------------- malformed messages


@pytest.mark.parametrize(("data", "want"), [
    (b"MSH", [("message-1", "invalid_hl7",
               "message 1 (byte 0): MSH-1/MSH-2 do not declare usable delimiters ('MSH')")]),
    (b"\x0bMSH\x1c\r", [("message-1", "invalid_hl7",
                         "message 1 (byte 1): MSH-1/MSH-2 do not declare usable delimiters ('MSH')")]),
    (b"MSH|", [("message-1", "invalid_hl7",
                "message 1 (byte 0): MSH-1/MSH-2 do not declare usable delimiters ('MSH|')")]),
    (b"MSHA^~\\&|X", [("message-1", "invalid_hl7",
                       "message 1 (byte 0): MSH-1/MSH-2 do not declare usable delimiters ('MSHA^~\\\\&|X')")]),
    (b"MSH|^", [("message-1", "unsupported_message", "message 1 (byte 0): expected ORU^R01, got no MSH-9")]),
    (b"MSH\rMSH|^~\\&|A|B|C|D|1||ORU^R01|K|P|2.5\rOBR|1||A9|^CT HEAD\rOBX|1|TX|X||CT HEAD WO||||||F",
     [("message-1", "invalid_hl7", "message 1 (byte 0): MSH-1/MSH-2 do not declare usable delimiters ('MSH')"),
      ("A9", None, None)]),
])
def test_malformed_messages_are_one_error_record_each(sg_pro, data, want):
    recs = list(read_hl7(data))
    assert [(r["id"], r.get("error", {}).get("type"), r.get("error", {}).get("message")) for r in recs] == want
    assert [sg_pro.suggest_record(r, n)["status"] for n, r in enumerate(recs, 1)] == \
        ["error" if w[1] else "ok" for w in want]


def test_sp_escape_is_bounded():
    assert unescape(r"a\.sp 999999999\b") == "a" + "\n" * 10 + "b"
    assert unescape("a\\.sp " + "9" * 5000 + "\\b") == "a" + "\n" * 10 + "b"  # no int() of 5000 digits
    bomb = (b"MSH|^~\\&|A|B|C|D|1||ORU^R01|K|P|2.5\rOBR|1||A9|^CT HEAD\rOBX|1|FT|X||CT HEAD WO"
            + b"\\.sp 999999999\\" * 5000 + b"END||||||F")
    (rec,) = read_hl7(bomb)
    assert rec["text"] == "CT HEAD WO" + "\n" * 50_000 + "END"
