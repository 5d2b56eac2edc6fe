"""Batch coding (issue 6): order, one output per input, resume, kill -9, inputs, exit codes."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import children

from suggester import batch
from suggester import io as sio
from suggester.batch import BatchAborted, BatchError, code_batch, scan_output
from suggester.cli import main as cli_main

HEAD_WO = ("EXAM: CT HEAD WITHOUT CONTRAST\nHISTORY: Fall.\nTECHNIQUE: Axial images without IV contrast.\n"
           "FINDINGS: No acute hemorrhage.\nIMPRESSION: Negative.")
AP_WITH = ("CT A/P W CONT\nHX: RLQ PAIN.\nTECH: AXIAL CT ABD AND PELVIS AFTER 100 ML OMNIPAQUE 350 IV.\n"
           "FINDINGS: APPENDICITIS.\nIMP: APPENDICITIS.")
CXR = "EXAM: XR CHEST 2 VIEWS\nHISTORY: Cough.\nFINDINGS: Clear lungs.\nIMPRESSION: No acute disease."
KNEE = "EXAM: MRI LEFT KNEE WITHOUT CONTRAST\nFINDINGS: Medial meniscal tear.\nIMPRESSION: Tear."
TEXTS = [HEAD_WO, AP_WITH, CXR, KNEE]
CODES = {HEAD_WO: ["70450"], AP_WITH: ["74177"], CXR: ["71046"], KNEE: ["73721"]}
PY = sys.executable


def write_jsonl(path: Path, records: list) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write((r if isinstance(r, str) else json.dumps(r)) + "\n")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().decode("utf-8").split("\n") if line]


def codes(rec: dict) -> list[str]:
    return [c["code"] for c in rec["codes"]]


def mixed_records(n: int) -> list:
    """n input lines: mostly reports, every 50th a bad record of a rotating kind."""
    bad = ['{"id": "bad-json", "text": ', '["not", "an", "object"]', '{"id": "empty", "text": "   "}',
           '{"id": "no-text"}', '{"id": "payer", "text": "CT HEAD WO", "payer": "nobody"}']
    out = []
    for i in range(n):
        if i % 50 == 49:
            out.append(bad[(i // 50) % len(bad)])
        else:
            out.append({"id": f"r{i:05d}", "text": TEXTS[i % len(TEXTS)]})
    return out


# ---------------------------------------------------------------------- order, counts, manifest


def test_jsonl_one_output_per_input_in_order(tmp_path):
    recs = ([{"id": "a", "text": HEAD_WO}, '{"id": "b", "text": ', {"id": "c", "text": ""},
             '[1, 2]', {"id": "e", "text": AP_WITH}, "", {"text": CXR}, {"id": "g", "text": KNEE, "payer": "nobody"}])
    inp = write_jsonl(tmp_path / "in.jsonl", recs)
    res = code_batch(str(inp), str(tmp_path / "out.jsonl"), workers=2, chunk_size=2, progress=False)
    out = read_jsonl(tmp_path / "out.jsonl")
    # the blank line is not a record; every other line is exactly one output, in order
    assert [o["id"] for o in out] == ["a", "line-2", "c", "line-4", "e", "line-7", "g"]
    assert [o["status"] for o in out] == ["ok", "error", "error", "error", "ok", "ok", "error"]
    assert [o["error"]["type"] for o in out if o["status"] == "error"] == [
        "invalid_json", "empty_text", "invalid_record", "unknown_payer"]
    assert codes(out[0]) == ["70450"] and codes(out[4]) == ["74177"] and codes(out[5]) == ["71046"]
    assert (res.records, res.ok, res.errors, res.resumed_from, res.exit_code) == (7, 3, 4, 0, 1)
    m = json.loads((tmp_path / "out.jsonl.manifest.json").read_text())
    assert m["status"] == "complete"
    assert m["counts"] == {"records": 7, "ok": 3, "errors": 4, "needs_review": res.needs_review, "resumed_from": 0,
                           "error_types": {"empty_text": 1, "invalid_json": 1, "invalid_record": 1, "unknown_payer": 1}}
    assert m["input"]["sha256"] == hashlib.sha256(inp.read_bytes()).hexdigest()
    assert m["input"]["bytes"] == inp.stat().st_size
    assert m["output"]["sha256"] == hashlib.sha256((tmp_path / "out.jsonl").read_bytes()).hexdigest()
    assert m["versions"]["suggester"] and m["versions"]["lexicons"] and m["versions"]["spacy"]
    assert m["started"] <= m["finished"]
    assert m["run"]["workers"] == 2 and m["run"]["peak_rss_mb"]["worker"] > 0
    assert 0 <= m["run"]["startup_s"] <= m["run"]["elapsed_s"]  # building the pipeline (bench/run.py's scaling)
    assert set(m["run"]["cpu_s"]) == {"startup", "main", "workers"} and m["run"]["cpu_s"]["workers"] > 0


def test_worker_counts_and_chunk_sizes_give_identical_output(tmp_path):
    inp = write_jsonl(tmp_path / "in.jsonl", mixed_records(230))
    outs = []
    for w, c in ((1, 64), (2, 1), (2, 7), (3, 64)):
        out = tmp_path / f"out-{w}-{c}.jsonl"
        res = code_batch(str(inp), str(out), workers=w, chunk_size=c, progress=False)
        assert (res.records, res.errors) == (230, 4)
        outs.append(out.read_bytes())
    assert len(set(outs)) == 1
    ids = [o["id"] for o in read_jsonl(tmp_path / "out-1-64.jsonl")]
    assert ids[:3] == ["r00000", "r00001", "r00002"] and len(ids) == 230


def test_csv_reports_layout_has_one_row_per_record(tmp_path):
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": "x", "text": HEAD_WO}, {"id": "multi\nline id", "text": ""},
                                             {"id": "z", "text": KNEE}])
    res = code_batch(str(inp), str(tmp_path / "out.csv"), workers=1, progress=False, layout="reports")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"), newline="")))
    assert [r["id"] for r in rows] == ["x", "multi\nline id", "z"]
    assert [r["status"] for r in rows] == ["ok", "error", "ok"]
    assert rows[0]["codes"] == "70450" and rows[2]["modifiers"] == "73721-26-LT"
    assert rows[1]["error"] == "empty_text: text is empty"
    assert res.exit_code == 1


def test_internal_error_becomes_an_error_record(monkeypatch, tmp_path):
    from suggester.pipeline import Suggester

    real = Suggester._prepare

    def flaky(self, text, *args):
        if "BOOM" in text:
            raise RuntimeError("simulated pipeline bug")
        return real(self, text, *args)

    monkeypatch.setattr(Suggester, "_prepare", flaky)
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": "1", "text": CXR}, {"id": "2", "text": "BOOM"}, {"id": "3", "text": CXR}])
    res = code_batch(str(inp), str(tmp_path / "out.jsonl"), workers=1, progress=False)
    out = read_jsonl(tmp_path / "out.jsonl")
    assert [o["status"] for o in out] == ["ok", "error", "ok"]
    assert out[1]["error"] == {"type": "internal_error", "message": "RuntimeError: simulated pipeline bug"}
    assert res.errors == 1


def test_workers_dying_with_no_record_to_blame_abort_with_a_valid_prefix(monkeypatch, tmp_path):
    """A worker that dies between records (here: packing the chunk of records 9-12, every time)
    is replaced and the chunk tried again, record by record; the fourth such death stops the run
    (exit 3) with the output complete up to the chunk before it."""
    real = batch._pack

    def dying(outs, fmt, start, *rest, **kw):
        if start == 8:
            os._exit(7)
        return real(outs, fmt, start, *rest, **kw)

    monkeypatch.setattr(batch, "_pack", dying)  # inherited by the forked workers
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": str(i), "text": CXR} for i in range(20)])
    out = tmp_path / "out.jsonl"
    with pytest.raises(BatchAborted) as e:  # one worker under a time limit: a pool, chunks in order
        code_batch(str(inp), str(out), workers=1, chunk_size=4, time_limit=30, progress=False)
    assert str(e.value) == ("worker processes died 4 times on records 9-12 between records (last exit code 7) "
                            "before records 9-12 were coded; the output is complete up to record 8: rerun with "
                            "--resume")
    prefix = scan_output(out, "jsonl")
    assert (prefix.records, prefix.valid_bytes) == (8, prefix.file_bytes)
    assert [r["id"] for r in read_jsonl(out)] == [str(i) for i in range(8)]
    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text())
    assert (manifest["status"], manifest["run"]["workers_replaced"]) == ("aborted", 3)  # not the 4th


# ---------------------------------------------------------------------- resume


def _full_run(tmp_path, fmt="jsonl", n=120, layout="reports"):
    inp = write_jsonl(tmp_path / "in.jsonl", mixed_records(n))
    ref = tmp_path / f"ref.{fmt}"
    code_batch(str(inp), str(ref), workers=1, chunk_size=16, progress=False, layout=layout)
    return inp, ref


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_resume_after_a_partial_line_gives_the_uninterrupted_output(tmp_path, fmt):
    inp, ref = _full_run(tmp_path, fmt)
    full = ref.read_bytes()
    lines = full.split(b"\n")
    out = tmp_path / f"out.{fmt}"
    cut = len(b"\n".join(lines[:37])) + 1 + len(lines[37]) // 2  # in the middle of line 38
    out.write_bytes(full[:cut])
    res = code_batch(str(inp), str(out), workers=2, chunk_size=5, resume=True, progress=False, layout="reports")
    assert out.read_bytes() == full
    done = 37 if fmt == "jsonl" else 36  # the CSV header is line 1
    assert (res.resumed_from, res.processed, res.records) == (done, 120 - done, 120)
    m = json.loads(Path(f"{out}.manifest.json").read_text())
    ref_m = json.loads(Path(f"{ref}.manifest.json").read_text())
    assert m["counts"] == dict(ref_m["counts"], resumed_from=done)
    assert m["output"]["sha256"] == ref_m["output"]["sha256"] == hashlib.sha256(full).hexdigest()
    assert m["input"]["sha256"] == ref_m["input"]["sha256"]


def test_resume_csv_cut_inside_a_quoted_multiline_field(tmp_path):
    recs = [{"id": f"id{i}", "text": CXR} for i in range(5)] + [{"id": "two\nlines", "text": ""}] + \
           [{"id": f"id{i}", "text": CXR} for i in range(6, 10)]
    inp = write_jsonl(tmp_path / "in.jsonl", recs)
    ref = tmp_path / "ref.csv"
    code_batch(str(inp), str(ref), workers=1, progress=False, layout="reports")
    full = ref.read_bytes()
    cut = full.index(b'"two\r\n' if b'"two\r\n' in full else b'"two\n') + 6  # after the embedded newline
    out = tmp_path / "out.csv"
    out.write_bytes(full[:cut])
    assert scan_output(out, "csv-reports").records == 5
    res = code_batch(str(inp), str(out), workers=1, resume=True, progress=False, layout="reports")
    assert out.read_bytes() == full and res.resumed_from == 5


def test_resume_of_a_complete_output_codes_nothing(tmp_path):
    inp, ref = _full_run(tmp_path)
    before = ref.read_bytes()
    res = code_batch(str(inp), str(ref), workers=1, resume=True, progress=False)
    assert ref.read_bytes() == before
    assert (res.resumed_from, res.processed, res.records, res.errors) == (120, 0, 120, 2)


def test_resume_without_output_is_a_fresh_run(tmp_path):
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": "1", "text": CXR}])
    res = code_batch(str(inp), str(tmp_path / "new.jsonl"), workers=1, resume=True, progress=False)
    assert (res.records, res.resumed_from) == (1, 0)


def test_resume_refuses_other_settings_or_foreign_output(tmp_path):
    inp, ref = _full_run(tmp_path, n=10)
    with pytest.raises(BatchError, match="payer: was 'medicare', now 'commercial'"):
        code_batch(str(inp), str(ref), workers=1, resume=True, payer="commercial", progress=False)
    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text('{"id": 1}\n')
    with pytest.raises(BatchError, match="foreign.jsonl:1 is not a record written by suggester code"):
        code_batch(str(inp), str(foreign), workers=1, resume=True, progress=False)
    assert foreign.read_text() == '{"id": 1}\n'
    longer = tmp_path / "longer.jsonl"
    longer.write_bytes(ref.read_bytes() * 2)
    with pytest.raises(BatchError, match="already holds 20 records but the input has only 10"):
        code_batch(str(inp), str(longer), workers=1, resume=True, progress=False)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="kill -9 and /proc are Linux")
def test_kill_9_mid_run_then_resume_equals_an_uninterrupted_run(tmp_path):
    n = 3000
    inp = write_jsonl(tmp_path / "in.jsonl", mixed_records(n))
    ref = tmp_path / "ref.jsonl"
    code_batch(str(inp), str(ref), workers=1, chunk_size=64, progress=False)
    out = tmp_path / "out.jsonl"
    cmd = [PY, "-m", "suggester.cli", "code", str(inp), "-o", str(out), "--workers", "2", "--chunk-size", "8", "-q"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            if out.exists() and out.read_bytes().count(b"\n") >= 300:
                break
            time.sleep(0.02)
        assert proc.poll() is None, f"the run ended ({proc.returncode}) before it could be killed: {proc.stderr.read()}"
        workers = children(proc.pid)
        assert len(workers) == 2, workers
        os.kill(proc.pid, signal.SIGKILL)  # the main process only, as `kill -9 PID` does
        proc.wait(10)
        deadline = time.monotonic() + 10  # the workers die with it (no orphans)
        while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
            time.sleep(0.05)
        assert not [w for w in workers if Path(f"/proc/{w}").exists()]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    killed_at = scan_output(out, "jsonl").records
    assert 300 <= killed_at < n, (killed_at, proc.stderr.read())
    assert json.loads(Path(f"{out}.manifest.json").read_text())["status"] == "running"
    resumed = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 1, resumed.stderr  # the input has error records
    assert out.read_bytes() == ref.read_bytes()
    m = json.loads(Path(f"{out}.manifest.json").read_text())
    ref_m = json.loads(Path(f"{ref}.manifest.json").read_text())
    assert m["status"] == "complete" and m["counts"] == dict(ref_m["counts"], resumed_from=killed_at)
    assert m["input"]["sha256"] == ref_m["input"]["sha256"]


# ---------------------------------------------------------------------- inputs


def test_csv_input_with_any_columns_bom_crlf_and_latin1(tmp_path):
    raw = (codecs.BOM_UTF8 + b'Accession,Report Text,Other\r\n'
           + b'A1,"' + HEAD_WO.replace("\n", "\r\n").encode() + b'",x\r\n'
           + b"\r\n"
           + b'A2,"' + KNEE.encode("cp1252") + b' caf\xe9",y\r\n'
           + b'A3,,z\r\n'
           + b',"' + CXR.encode() + b'"\r\n')
    inp = tmp_path / "in.csv"
    inp.write_bytes(raw)
    res = code_batch(str(inp), str(tmp_path / "out.jsonl"), id_col="Accession", text_col="Report Text",
                     workers=1, progress=False)
    out = read_jsonl(tmp_path / "out.jsonl")
    assert [o["id"] for o in out] == ["A1", "A2", "A3", "line-5"]
    assert [o["status"] for o in out] == ["ok", "ok", "error", "ok"]
    assert codes(out[0]) == ["70450"] and codes(out[1]) == ["73721"] and codes(out[3]) == ["71046"]
    assert out[0]["input_warnings"] == ["CR line ends normalised to LF"]
    assert out[1]["input_warnings"] == ["decoded as Windows-1252"]
    assert out[2]["error"]["type"] == "empty_text"
    assert res.exit_code == 1


def test_csv_missing_text_column_is_a_usage_error_before_any_output(tmp_path, capsys):
    """A file-level error naming the file and the header's line (after two blank lines: 3)."""
    inp = tmp_path / "in.csv"
    inp.write_text("\n\nid,body\n1,CT HEAD\n")
    out = tmp_path / "out.jsonl"
    assert cli_main(["code", str(inp), "-o", str(out), "--workers", "1", "-q"]) == 2
    assert capsys.readouterr().err == (f"suggester: error: {inp}:3: CSV has no 'text' column "
                                       f"(columns: ['id', 'body'])\n")
    assert not out.exists()
    r = subprocess.run([PY, "-m", "suggester.cli", "code", "-", "--input-format", "csv", "-q"], input="id,body\n1,x\n",
                       capture_output=True, text=True, timeout=120)
    assert (r.returncode, r.stdout, r.stderr) == (
        2, "", "suggester: error: stdin:1: CSV has no 'text' column (columns: ['id', 'body'])\n")


def test_input_that_is_not_json_lines_is_a_file_level_error(tmp_path, capsys):
    """A CSV on stdin, or a plain-text report under a name that says nothing, read as JSON
    Lines: one error naming the input and the line, no line quoted (it used to be an
    ``invalid_json`` record per line: the lines of one report counted as records, exit 1)."""
    tail = "; for CSV give --input-format csv (or a .csv file name), for one plain-text report --input-format txt\n"
    r = subprocess.run([PY, "-m", "suggester.cli", "code", "-", "-q"], input=f"id,text\n1,{CXR.splitlines()[0]}\n",
                       capture_output=True, text=True, timeout=120)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == ("suggester: error: stdin:1: not JSON Lines: the first 2 non-blank lines are not JSON (none "
                        "starts with { or [)" + tail)
    dat = tmp_path / "report.dat"
    dat.write_text("\n" + HEAD_WO + "\n")
    assert cli_main(["code", str(dat), "-o", str(tmp_path / "o.jsonl"), "-q", "--workers", "1"]) == 2
    assert capsys.readouterr().err == (f"suggester: error: {dat}:2: not JSON Lines: the first 5 non-blank lines are "
                                       f"not JSON (none starts with {{ or [)" + tail)
    one = tmp_path / "one.dat"
    one.write_text("CT HEAD WO\n")
    assert cli_main(["code", str(one), "-o", str(tmp_path / "o.jsonl"), "-q", "--workers", "1"]) == 2
    assert capsys.readouterr().err == (f"suggester: error: {one}:1: not JSON Lines: its only non-blank line is not "
                                       f"JSON (it does not start with {{ or [)" + tail)
    assert cli_main(["code", str(dat), "--input-format", "txt", "-o", str(tmp_path / "o.jsonl"), "-q"]) == 0
    # JSON Lines with broken lines are read: each bad line is its record
    for head in ('{"id": "cut", "text": "CT HE', "a title line", "[1, 2"):
        inp = write_jsonl(tmp_path / "in.jsonl", [head, {"id": "a", "text": CXR}])
        assert cli_main(["code", str(inp), "-o", str(tmp_path / "o.jsonl"), "-q", "--workers", "1"]) == 1
        got = read_jsonl(tmp_path / "o.jsonl")
        assert [(g["id"], g["status"]) for g in got] == [("line-1", "error"), ("a", "ok")]
    deep = list(sio.read_jsonl(io.BytesIO(b"[" * 100_000 + b"]" * 100_000 + b'\n{"t": tru}\n')))
    assert [d["error"]["message"] for d in deep] == ["line 1: JSON nested too deeply to read",
                                                     "line 2: Expecting value at column 7"]


def test_directory_of_txt_files(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    (d / "b.txt").write_text(HEAD_WO)
    (d / "a.txt").write_bytes(codecs.BOM_UTF16_LE + KNEE.encode("utf-16-le"))
    (d / "c.TXT").write_bytes(CXR.encode("cp1252") + b"\x00 \xe9")
    (d / "d.txt").write_text("")
    (d / "notes.md").write_text(HEAD_WO)
    (d / "sub.txt").mkdir()
    res = code_batch(str(d), str(tmp_path / "out.jsonl"), workers=2, chunk_size=1, progress=False)
    out = read_jsonl(tmp_path / "out.jsonl")
    assert [o["id"] for o in out] == ["a", "b", "c", "d"]
    assert [o["status"] for o in out] == ["ok", "ok", "ok", "error"]
    assert codes(out[0]) == ["73721"] and codes(out[1]) == ["70450"] and codes(out[2]) == ["71046"]
    assert out[0]["input_warnings"] == ["transcoded from UTF-16"]
    assert out[2]["input_warnings"] == ["NUL bytes replaced by spaces", "decoded as Windows-1252"]
    assert res.manifest["input"]["format"] == "dir"
    h = hashlib.sha256()
    for name in ("a.txt", "b.txt", "c.TXT", "d.txt"):
        h.update(name.encode() + b"\x00" + (d / name).read_bytes())
    assert res.manifest["input"]["sha256"] == h.hexdigest()


def test_stdin_to_stdout_through_the_cli():
    data = "".join(json.dumps({"id": f"s{i}", "text": t}) + "\n" for i, t in enumerate(TEXTS)).encode()
    proc = subprocess.run([PY, "-m", "suggester.cli", "code", "-", "--workers", "2", "--chunk-size", "1"],
                          input=data, capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == ["s0", "s1", "s2", "s3"]
    assert [codes(o) for o in out] == [CODES[t] for t in TEXTS]
    err = proc.stderr.decode()
    summary = [line for line in err.splitlines() if line.startswith("suggester: ")]
    assert len(summary) == 1 and summary[0].startswith("suggester: 4 records: 4 ok (") and "0 errors" in summary[0]
    assert "\r" not in err and "coding:" not in err  # stderr is not a terminal: no progress bar


def test_huge_line_is_one_error_record(tmp_path):
    inp = tmp_path / "in.jsonl"
    with open(inp, "wb") as fh:
        fh.write(json.dumps({"id": "1", "text": CXR}).encode() + b"\n")
        fh.write(b'{"id": "2", "text": "' + b"A" * (sio.MAX_LINE_BYTES + 10) + b'"}\n')
        fh.write(json.dumps({"id": "3", "text": "B" * 1_000_001}).encode() + b"\n")
        fh.write(json.dumps({"id": "4", "text": CXR}).encode() + b"\n")
    res = code_batch(str(inp), str(tmp_path / "out.jsonl"), workers=1, progress=False)
    out = read_jsonl(tmp_path / "out.jsonl")
    assert [o["id"] for o in out] == ["1", "line-2", "3", "4"]
    assert [o.get("error", {}).get("type") for o in out] == [None, "line_too_long", "text_too_large", None]
    assert res.manifest["input"]["bytes"] == inp.stat().st_size


# ---------------------------------------------------------------------- readers, exactly


def test_jsonl_reader_repairs():
    data = (codecs.BOM_UTF8 + b'{"id": "a", "text": "CT\\r\\nHEAD"}\r\n'
            + b'{"id": "b", "text": "caf\xe9 \x93x\x94"}\n'
            + b'{"id": "c", "text": "NUL\x00here", "error": "user field"}\n'
            + b'{"id": "d", "text": "raw\ttab"}\n'
            + b"[" * 50_000 + b"\n"
            + b'{"id": 7, "text": "x", "n": 1' + b"0" * 5000 + b"}\n"
            + b"   \n"
            + b'{"id": null, "text": "t"}')
    recs = list(sio.read_jsonl(io.BytesIO(data)))
    assert recs[0] == {"id": "a", "text": "CT\nHEAD", sio.WARNINGS_KEY: ["CR line ends normalised to LF"]}
    assert recs[1] == {"id": "b", "text": "café “x”", sio.WARNINGS_KEY: ["decoded as Windows-1252"]}
    assert recs[2] == {"id": "c", "text": "NUL here", sio.WARNINGS_KEY: ["NUL bytes replaced by spaces"]}
    assert recs[3] == {"id": "d", "text": "raw\ttab"}
    assert recs[4]["id"] == "line-5" and recs[4]["error"]["type"] == "invalid_json"
    assert recs[5]["id"] == "line-6" and recs[5]["error"]["type"] == "invalid_json"
    assert recs[6] == {"id": "line-8", "text": "t"}
    assert len(recs) == 7


def test_jsonl_lines_parse_as_json_loads_lenient_does():
    """The reader's shared decoder gives json.loads(line, strict=False)'s objects and errors."""
    lines = ['{"id": "a", "text": "raw\ttab"}', '\ufeff{"id": "b"}', '{"id": ', '[1, 2]', '"x"', ' {"a": 1} ',
             '{"a": 1} {"b": 2}', '{"a": 1e400}', "[" * 50_000, "", "  "]
    kinds = set()
    for line in lines:
        try:
            want = ("ok", json.loads(line, strict=False))
        except (ValueError, RecursionError) as e:
            want = (type(e).__name__, str(e))
        try:
            got = ("ok", sio._loads_lenient(line))
        except (ValueError, RecursionError) as e:
            got = (type(e).__name__, str(e))
        assert got == want, line[:40]
        kinds.add(want[0])
    assert kinds == {"ok", "JSONDecodeError", "RecursionError"}


def test_jsonl_reader_utf16_and_huge_line(monkeypatch):
    monkeypatch.setattr(sio, "MAX_LINE_BYTES", 100)
    text = '{"id": "1", "text": "ok"}\n{"id": "2", "text": "' + "é" * 200 + '"}\n{"id": "3", "text": "ok"}\n'
    recs = list(sio.read_jsonl(io.BytesIO(text.encode("utf-16"))))
    assert [r["id"] for r in recs] == ["1", "line-2", "3"]
    assert recs[1]["error"]["type"] == "line_too_long"
    assert recs[0][sio.WARNINGS_KEY] == ["transcoded from UTF-16"]


def test_csv_reader_rows_and_errors(monkeypatch):
    data = b'id,text\n1,"a\nb"\n2,"x' + b"y" * 300 + b'"\n3,ok\n4,"never closed\n'
    monkeypatch.setattr(sio, "MAX_LINE_BYTES", 100)
    recs = list(sio.read_csv(io.BytesIO(data)))
    assert [r["id"] for r in recs] == ["1", "line-3", "3", "4"]
    assert recs[0]["text"] == "a\nb" and recs[1]["error"]["type"] == "line_too_long"
    assert recs[3]["text"] == "never closed\n"


def test_a_too_long_line_inside_a_quoted_csv_field_loses_no_other_row(monkeypatch):
    """A multi-line quoted field whose long line is skipped unread: the quote it closed (or
    opened) still counts, so the rows after it stay rows; the row keeps its id unless the id was
    on the line not read. (It used to leave the field open: the next report was cut in two, one
    half lost and the other coded as a record with text for its id.)"""
    long = "w" * 300
    data = (f'id,text\ng1,"XR CHEST\nok"\nbig,"EXAM: CT HEAD\n{long}"\ng2,"XR KNEE\nIMPRESSION: ok"\n'
            f'big2,"{long}\nmore text"\nbig3,{long}\ng3,"XR HAND\n""quoted"" ok"\n').encode()
    monkeypatch.setattr(sio, "MAX_LINE_BYTES", 100)
    recs = list(sio.read_csv(io.BytesIO(data)))
    assert [(r["id"], r.get("text"), (r.get("error") or {}).get("type")) for r in recs] == [
        ("g1", "XR CHEST\nok", None), ("big", None, "line_too_long"), ("g2", "XR KNEE\nIMPRESSION: ok", None),
        ("line-5", None, "line_too_long"), ("line-6", None, "line_too_long"), ("g3", 'XR HAND\n"quoted" ok', None)]


def test_read_records_hashes_the_whole_input_even_when_a_reader_stops(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(b"a,b\n" + b"1,2\n" * 100_000)
    tap = hashlib.sha256()
    recs = list(sio.read_records(str(p), tap=tap))
    assert [r["error"]["type"] for r in recs] == ["missing_column"]
    assert tap.hexdigest() == hashlib.sha256(p.read_bytes()).hexdigest()


# ---------------------------------------------------------------------- CLI: exit codes, progress


def test_cli_exit_codes(tmp_path, capsys):
    ok = write_jsonl(tmp_path / "ok.jsonl", [{"id": "1", "text": CXR}])
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"id": "1", "text": CXR}, {"id": "2", "text": ""}])
    out = str(tmp_path / "o.jsonl")
    assert cli_main(["code", str(ok), "-o", out, "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "suggester: 1 records: 1 ok (" in err and "manifest: " in err
    assert cli_main(["code", str(bad), "-o", out, "--workers", "1", "-q"]) == 1
    assert capsys.readouterr().err == ""
    assert cli_main(["code", str(tmp_path / "missing.jsonl"), "-o", out]) == 2
    assert cli_main(["code", str(ok), "-o", out, "--payer", "nobody"]) == 2
    assert cli_main(["code", str(ok), "--resume"]) == 2
    assert cli_main(["code", str(ok), "-o", out, "--workers", "0"]) == 2
    assert cli_main(["code", str(ok), "-o", str(tmp_path / "no" / "dir.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "--resume needs an output file" in err and "cannot write" in err
    if os.path.exists("/dev/full"):  # disk full mid-run: exit 3, rerun with --resume
        assert cli_main(["code", str(ok), "-o", "/dev/full", "--manifest", str(tmp_path / "m.json"), "-q"]) == 3
        assert "No space left on device" in capsys.readouterr().err
        assert json.loads((tmp_path / "m.json").read_text())["status"] == "aborted"


def test_progress_bar_when_asked(tmp_path, capsys):
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": str(i), "text": CXR} for i in range(5)])
    code_batch(str(inp), str(tmp_path / "o.jsonl"), workers=1, progress=True)
    err = capsys.readouterr().err
    assert "coding:" in err and "5/5" in err and "rec/s" in err


def _fee_table(tmp_path) -> Path:
    from suggester.billing import COLUMNS

    row = "73070,{mod},A,0.16,{pe},,{pe},{na},{mp},{tot},{tot},1,XXX,0,3,09,99,32.3465,2025,RVU25D"
    rows = [row.format(mod="", pe="0.70", na="NA", mp="0.02", tot="0.88"),
            row.format(mod="26", pe="0.07", na="", mp="0.01", tot="0.24")]
    p = tmp_path / "pfs.csv"
    p.write_text(",".join(COLUMNS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p


def test_fee_schedule_totals_survive_workers_and_resume(tmp_path):
    elbow = "XR ELBOW 2 VIEWS RIGHT"
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": f"e{i}", "text": elbow if i % 5 else ""} for i in range(30)])
    fees = str(_fee_table(tmp_path))
    ref = tmp_path / "ref.jsonl"
    res = code_batch(str(inp), str(ref), workers=2, chunk_size=4, fee_schedule=fees, progress=False)
    recs = read_jsonl(ref)
    assert [r["codes"][0]["payment"]["non_facility"] for r in recs if r["status"] == "ok"] == [7.76] * 24
    pay = res.manifest["payment"]
    assert (pay["records"], pay["lines_priced"], pay["non_facility"]) == (24, 24, 186.24)
    assert "payment totals (estimate: 2025 Medicare PFS" in batch.format_summary(res)
    full = ref.read_bytes()
    out = tmp_path / "out.jsonl"
    out.write_bytes(full[:full.index(b'"id": "e17"') - 1])  # 17 whole records
    res2 = code_batch(str(inp), str(out), workers=1, fee_schedule=fees, resume=True, progress=False)
    assert out.read_bytes() == full and res2.resumed_from == 17
    assert res2.manifest["payment"] == pay
    with pytest.raises(BatchError, match="fee_schedule: was '.*pfs.csv', now None"):
        code_batch(str(inp), str(out), workers=1, resume=True, progress=False)


# ---------------------------------------------------------------------- Spark entry point


def test_spark_rows_one_per_input_with_nulls():
    from suggester.spark import OUTPUT_COLUMNS, code_rows

    rows = list(code_rows([("a", HEAD_WO), (7, KNEE.replace("\n", "\r\n")), (None, CXR), ("n", float("nan")),
                           ("e", ""), ("s", "\ud800" + CXR)]))
    assert len(rows) == 6 and all(len(r) == len(OUTPUT_COLUMNS) for r in rows)
    got = [dict(zip(OUTPUT_COLUMNS, r, strict=True)) for r in rows]
    assert [g["id"] for g in got] == ["a", "7", "line-3", "n", "e", "s"]
    assert [g["status"] for g in got] == ["ok", "ok", "ok", "error", "error", "ok"]
    assert [g["codes"] for g in got] == ["70450", "73721", "71046", "", "", "71046"]
    assert got[3]["error"] == "missing_text: record has no text" and got[0]["error"] is None
    assert json.loads(got[1]["record"])["input_warnings"] == ["CR line ends normalised to LF"]
    assert json.loads(got[5]["record"])["input_warnings"] == ["lone surrogates replaced by U+FFFD"]
    assert isinstance(got[0]["confidence"], float) and got[3]["confidence"] is None


@pytest.mark.slow
def test_spark_local_mode(tmp_path):
    """Spark local mode end to end (skipped unless pyspark, pandas and pyarrow are installed)."""
    pytest.importorskip("pyspark")
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    from pyspark.sql import SparkSession

    from suggester.spark import suggest_dataframe

    spark = SparkSession.builder.master("local[2]").appName("suggester-test").getOrCreate()
    try:
        data = [(f"r{i}", TEXTS[i % 4]) for i in range(40)] + [("empty", ""), ("null", None)]
        df = spark.createDataFrame(data, "acc string, body string").repartition(3)
        with pytest.raises(ValueError, match="unknown payer"):
            suggest_dataframe(df, id_col="acc", text_col="body", payer="nobody")
        rows = {r["id"]: r for r in suggest_dataframe(df, id_col="acc", text_col="body").collect()}
    finally:
        spark.stop()
    assert len(rows) == 42
    assert [rows[f"r{i}"]["codes"] for i in range(4)] == ["70450", "74177", "71046", "73721"]
    assert rows["empty"]["status"] == rows["null"]["status"] == "error"
    assert rows["null"]["error"] == "missing_text: record has no text"


def test_release_points_from_the_command_line_decide_needs_review_and_bind_the_resume(tmp_path, capsys):
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps({"id": "h1", "text": "EXAM: CT HEAD WITHOUT CONTRAST\nFINDINGS: Normal."}) + "\n"
                   + json.dumps({"id": "k1", "text": "EXAM: XR RIGHT KNEE 2 VIEWS\nFINDINGS: Normal."}) + "\n")

    def run(*extra: str) -> dict:
        out = tmp_path / f"out{len(list(tmp_path.iterdir()))}.jsonl"
        assert cli_main(["code", str(inp), "-o", str(out), "--workers", "1", "-q", *extra]) == 0
        return {r["id"]: r["needs_review"] for r in map(json.loads, out.read_text().splitlines())}

    # all=1.01 overrides the packaged model's points (models/confidence/meta.json): nothing released
    assert run("--release", "all=1.01") == {"h1": True, "k1": True}
    assert run("--release", "all=1.01", "--release", "ct=0") == {"h1": False, "k1": True}
    assert run("--release", "all=0", "--release", "xr=1.01") == {"h1": False, "k1": True}
    with pytest.raises(SystemExit) as e:
        cli_main(["code", str(inp), "--release", "ct"])
    assert e.value.code == 2
    assert "expected FAMILY=THRESHOLD" in capsys.readouterr().err
    # a resumed run must use the same release points: they decide needs_review
    out = tmp_path / "resumed.jsonl"
    assert cli_main(["code", str(inp), "-o", str(out), "--workers", "1", "-q", "--release", "ct=0"]) == 0
    assert cli_main(["code", str(inp), "-o", str(out), "--workers", "1", "-q", "--resume"]) == 2
