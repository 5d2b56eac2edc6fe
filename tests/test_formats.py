"""Inputs told by their content, outputs a coder or a billing system reads: CSV lines, HL7 DFT
files, report status in JSONL, `explain PATH`, and a closed stdout."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from suggester import io as sio
from suggester.batch import BatchError, code_batch, scan_output
from suggester.cli import main

HL7 = Path(__file__).parent / "data" / "hl7"
FHIR = Path(__file__).parent / "data" / "fhir"
HEAD_WO = "EXAM: CT HEAD WITHOUT CONTRAST\nTECHNIQUE: Axial images without IV contrast."
KNEES = "EXAM: XR BILATERAL KNEES 3 VIEWS EACH"
PY = sys.executable


def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


# ---------------------------------------------------------------------- CSV layouts


def test_csv_lines_layout_is_the_default(tmp_path):
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": HEAD_WO}, {"id": "b", "text": ""},
                                              {"id": "c", "text": KNEES, "payer": "commercial"},
                                              {"id": "d", "text": "no exam here"}])
    out = tmp_path / "out.csv"
    code_batch(str(inp), str(out), workers=1, progress=False)
    got = rows(out)
    assert list(got[0]) == ["record", "id", "status", "code", "modifiers", "units", "label", "confidence",
                            "needs_review", "review_reasons", "flags", "error"]
    assert [(r["record"], r["id"], r["status"], r["code"], r["modifiers"], r["units"]) for r in got] == [
        ("1", "a", "ok", "70450", "26", "1"),
        ("2", "b", "error", "", "", ""),
        ("3", "c", "ok", "73562", "26 RT", "1"),
        ("3", "c", "ok", "73562", "26 LT", "1"),
        ("4", "d", "ok", "", "", ""),
    ]
    assert got[0]["label"] == "CT head or brain without contrast"
    assert got[1]["error"] == "empty_text: text is empty" and got[1]["needs_review"] == "true"
    assert got[4]["review_reasons"] == "no billable exam recognised"
    assert float(got[2]["confidence"]) > 0


def test_csv_lines_resume_redoes_the_last_record(tmp_path):
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": f"r{i}", "text": KNEES if i % 3 else HEAD_WO,
                                               "payer": "commercial"} for i in range(30)])
    ref = tmp_path / "ref.csv"
    code_batch(str(inp), str(ref), workers=1, chunk_size=4, progress=False)
    full = ref.read_bytes()
    # cut between the two rows of record 5 (the RT row written, the LT row lost)
    cut = full.index(b"\r\n5,r4,") + 2
    cut = full.index(b"\r\n", cut) + 2
    out = tmp_path / "out.csv"
    out.write_bytes(full[:cut])
    p = scan_output(out, "csv")
    assert (p.records, p.valid_bytes) == (4, full.index(b"\r\n5,r4,") + 2)
    res = code_batch(str(inp), str(out), workers=1, resume=True, progress=False)
    assert out.read_bytes() == full and res.resumed_from == 4


def test_layout_change_on_resume_is_refused(tmp_path):
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": HEAD_WO}])
    out = tmp_path / "out.csv"
    code_batch(str(inp), str(out), workers=1, progress=False)
    with pytest.raises(BatchError, match="output_format: was 'csv', now 'csv-reports'"):
        code_batch(str(inp), str(out), workers=1, resume=True, progress=False, layout="reports")


# ---------------------------------------------------------------------- HL7 / FHIR / X12 files


def test_format_hl7_file_is_one_message_a_line_and_resumes(tmp_path):
    from hl7apy.consts import VALIDATION_LEVEL
    from hl7apy.parser import parse_message

    inp = tmp_path / "feed.hl7"
    inp.write_bytes(b"".join((HL7 / n).read_bytes() + b"\r" for n in ("knee_mllp.hl7", "batch_lf.hl7",
                                                                      "mixed_cr.hl7", "v251_tz.hl7")))
    ref = tmp_path / "ref.hl7"  # the suffix chooses the format
    assert main(["code", str(inp), "-o", str(ref), "--workers", "1", "-q"]) == 1
    msgs = ref.read_bytes().decode("utf-8").split("\n")[:-1]
    assert [m.split("|")[8] for m in msgs] == ["DFT^P03^DFT_P03", "DFT^P03^DFT_P03", "ACK^R01^ACK"] + \
        ["DFT^P03^DFT_P03"] * 5
    for m in msgs:
        assert parse_message(m, validation_level=VALIDATION_LEVEL.STRICT).validate()
    manifest = json.loads(Path(f"{ref}.manifest.json").read_text())
    assert manifest["counts"]["error_types"] == {"unsupported_message": 1}
    # kill it after three messages: --resume writes the same file
    full = ref.read_bytes()
    out = tmp_path / "out.hl7"
    out.write_bytes(full[:len("\n".join(msgs[:3])) + 1 + 40])
    assert (scan_output(out, "hl7").records, scan_output(out, "hl7").errors) == (3, 1)
    assert main(["code", str(inp), "-o", str(out), "--workers", "1", "-q", "--resume"]) == 1
    stamp = re.compile(rb"\d{14}\+0000")  # MSH-7 / EVN-2: when the DFT was written
    assert stamp.sub(b"T", out.read_bytes()) == stamp.sub(b"T", full)


# ---------------------------------------------------------------------- report status in JSONL


def test_report_status_field_in_jsonl(tmp_path):
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": "p", "text": HEAD_WO, "report_status": "preliminary"},
                                              {"id": "x", "text": HEAD_WO, "report_status": "entered-in-error"},
                                              {"id": "f", "text": HEAD_WO, "report_status": "final"}])
    out = tmp_path / "out.jsonl"
    code_batch(str(inp), str(out), workers=1, progress=False)
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    assert [f["type"] for f in recs[0]["flags"]] == ["report_not_final"] and recs[0]["needs_review"] is True
    assert recs[1]["error"] == {"type": "report_status", "message": "report status 'entered-in-error': not coded"}
    assert recs[2]["flags"] == [] and recs[2]["status"] == "ok"


# ---------------------------------------------------------------------- content decides


def test_content_decides_the_input_format(tmp_path):
    hl7 = tmp_path / "results.txt"
    hl7.write_bytes((HL7 / "knee_mllp.hl7").read_bytes())
    fhir = tmp_path / "export.json"
    fhir.write_bytes((FHIR / "searchset_bundle.fhir.json").read_bytes())
    ndjson = tmp_path / "bulk.jsonl"
    ndjson.write_text(json.dumps({"resourceType": "DiagnosticReport", "status": "final", "code": {"text": "x"},
                                  "conclusion": "CT HEAD"}) + "\n")
    plain = tmp_path / "plain.jsonl"
    plain.write_text(json.dumps({"id": "a", "text": "resourceType"}) + "\n")
    assert [sio.detect_format(str(p)) for p in (hl7, fhir, ndjson, plain)] == ["hl7", "fhir", "fhir", "jsonl"]
    out = tmp_path / "out.jsonl"
    assert main(["code", str(fhir), "-o", str(out), "--workers", "1", "-q"]) == 1
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["rpt-2001", "ACC24031377", "rpt-2003"]


@pytest.mark.parametrize(("make", "message"), [
    ("xlsx", "book.xlsx is a ZIP archive (an .xlsx or .docx file?): save the sheet as CSV (UTF-8) first"),
    ("gz", "book.xlsx is gzip-compressed: decompress it first (zcat FILE | suggester code -)"),
    ("pdf", "book.xlsx is a PDF: extract the report text first"),
])
def test_spreadsheets_archives_and_pdfs_are_refused(tmp_path, capsys, make, message):
    path = tmp_path / "book.xlsx"
    if make == "xlsx":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
    else:
        path.write_bytes({"gz": b"\x1f\x8b\x08\x00rest", "pdf": b"%PDF-1.4\n"}[make])
    out = tmp_path / "out.jsonl"
    for extra in ([], ["--input-format", "csv"]):  # also when the user names a format
        assert main(["code", str(path), "-o", str(out), "-q", "--workers", "1", *extra]) == 2
        assert capsys.readouterr().err.strip() == f"suggester: error: {message}"
    assert not out.exists() or out.read_bytes() == b""


def test_jsonl_without_the_text_key_stops_at_once(tmp_path, capsys):
    inp = write_jsonl(tmp_path / "in.jsonl", [{"acc": str(i), "report": HEAD_WO, "mrn": "1"} for i in range(50)])
    out = tmp_path / "out.jsonl"
    assert main(["code", str(inp), "-o", str(out), "-q", "--workers", "1"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"suggester: error: {inp}:1: no 'text' key in the first 5 JSON records (keys seen: acc, report, mrn); "
        "name the report text key with --text-col KEY")
    assert not out.exists() or out.read_bytes() == b""
    assert main(["code", str(inp), "-o", str(out), "-q", "--workers", "1", "--text-col", "report",
                 "--id-col", "acc"]) == 0
    assert len(out.read_text().splitlines()) == 50


def test_one_record_without_text_among_good_ones_is_an_error_record(tmp_path):
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "report": "x"}, {"id": "b", "text": HEAD_WO}])
    out = tmp_path / "out.jsonl"
    assert main(["code", str(inp), "-o", str(out), "-q", "--workers", "1"]) == 1
    assert [json.loads(line)["status"] for line in out.read_text().splitlines()] == ["error", "ok"]


@pytest.mark.parametrize("junk", [b"\x00", b"\x0b", b"\x0c", b"\x1c", "\u0085".encode(), "\u2028".encode(),
                                  b"\xef\xbb\xbf", b"\x00\x0b \x0c"])
def test_control_character_lines_each_give_a_record(junk):
    data = b'{"id": "a", "text": "CT HEAD"}\n' + junk + b'\n{"id": "b", "text": "CT HEAD"}\n'
    recs = list(sio.read_jsonl(io.BytesIO(data)))
    assert [r["id"] for r in recs] == ["a", "line-2", "b"]
    assert recs[1]["error"]["type"] == "invalid_json"
    assert recs[1]["error"]["message"].startswith("line 2: ")


# ---------------------------------------------------------------------- explain


def test_explain_reads_a_path(tmp_path, capsys):
    report = tmp_path / "report.txt"
    report.write_text(HEAD_WO)
    assert main(["explain", str(report), "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert [c["code"] for c in rec["codes"]] == ["70450"]
    assert main(["explain", str(HL7 / "batch_lf.hl7")]) == 0
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("== ")] == \
        ["== ACC24031288 ==", "== ADT778812 ==", "== ACC24031301 =="]
    assert "error unsupported_message: message ADT778812: expected ORU^R01, got ADT^A08" in out
    assert main(["explain", "no/such/file.txt", "--json"]) == 0  # not a path: the text itself
    assert json.loads(capsys.readouterr().out)["codes"] == []


@pytest.mark.slow
def test_explain_into_a_closed_pipe_exits_0(tmp_path):
    """`suggester explain FILE | head -1` with far more output than a pipe holds (closing stdout
    for `code` is batch's: tests/test_batch.py)."""
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": str(i), "text": HEAD_WO} for i in range(200)])
    proc = subprocess.Popen([PY, "-m", "suggester.cli", "explain", str(inp), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "BrokenPipeError" not in err
