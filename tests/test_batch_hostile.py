"""Batch runs under hostile use (issue 13, and issue 14's unattended-run items): a resume proves it
continues the same job, two runs cannot write one output, ``-o`` cannot destroy the input, a
slow record becomes a ``timeout`` record, a closed stdout is a normal end, cron logs get progress
lines and the manifest follows every flush."""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
from pathlib import Path

import pytest

from suggester.batch import BatchError, code_batch
from suggester.cli import main as cli_main

CXR = "EXAM: XR CHEST 2 VIEWS\nHISTORY: Cough.\nFINDINGS: Clear lungs.\nIMPRESSION: No acute disease."
HEAD = "EXAM: CT HEAD WITHOUT CONTRAST\nTECHNIQUE: Axial images without IV contrast.\nIMPRESSION: Negative."
PY = sys.executable
# ~1 MB of headers, the slowest text of tests/data/hostile/texts.jsonl: ~0.7 CPU seconds on the
# development machine (bench/hostile.py), against ~3 ms for a report
SLOW = "EXAM  " * 166_000


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def reports(n: int, prefix: str = "r") -> list[dict]:
    return [{"id": f"{prefix}{i:04d}", "text": (CXR, HEAD)[i % 2]} for i in range(n)]


def _half(path: Path, records: int) -> bytes:
    """The first ``records`` whole lines of a JSONL output plus half of the next one."""
    full = path.read_bytes()
    lines = full.split(b"\n")
    return b"\n".join(lines[:records]) + b"\n" + lines[records][: len(lines[records]) // 2]


# ---------------------------------------------------------------------- -o and the input


@pytest.mark.parametrize("how", ["same", "symlink", "manifest"])
def test_output_or_manifest_equal_to_the_input_is_refused_and_the_input_kept(tmp_path, capsys, how):
    inp = write_jsonl(tmp_path / "in.jsonl", reports(3))
    before = inp.read_bytes()
    args = ["code", str(inp), "-q"]
    if how == "same":
        args += ["-o", str(inp)]
    elif how == "symlink":
        (tmp_path / "link.jsonl").symlink_to(inp)
        args += ["-o", str(tmp_path / "link.jsonl")]
    else:
        args += ["-o", str(tmp_path / "out.jsonl"), "--manifest", str(inp)]
    assert cli_main(args) == 2
    assert "would overwrite the input" in capsys.readouterr().err
    assert inp.read_bytes() == before


def test_output_inside_an_input_folder_is_refused(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text(CXR, encoding="utf-8")
    with pytest.raises(BatchError, match="would overwrite the input"):
        code_batch(str(tmp_path / "notes"), str(tmp_path / "notes" / "out.jsonl"), workers=1, progress=False)
    assert sorted(p.name for p in (tmp_path / "notes").iterdir()) == ["a.txt"]


# ---------------------------------------------------------------------- resume proves the job


def test_resume_on_a_changed_input_exits_2_with_or_without_the_manifest(tmp_path, capsys):
    inp = write_jsonl(tmp_path / "in.jsonl", reports(16))
    out = tmp_path / "out.jsonl"
    assert cli_main(["code", str(inp), "-o", str(out), "--workers", "1", "--chunk-size", "8", "-q"]) == 0
    mpath = Path(f"{out}.manifest.json")
    manifest = mpath.read_text()
    assert json.loads(manifest)["input"]["consumed"] == {"records": 16, "bytes": inp.stat().st_size,
                                                         "sha256": json.loads(manifest)["input"]["sha256"]}
    done = out.read_bytes()

    # the same ids, another text in record 3 (and records appended): the consumed bytes differ
    write_jsonl(inp, [dict(r, text=CXR) if r["id"] == "r0003" else r for r in reports(40)])
    assert cli_main(["code", str(inp), "-o", str(out), "--workers", "1", "--resume", "-q"]) == 2
    err = capsys.readouterr().err
    assert f"cannot resume: the first {json.loads(manifest)['input']['bytes']} bytes of {inp} " \
           f"are not the ones the earlier run read" in err
    assert out.read_bytes() == done and mpath.read_text() == manifest  # nothing cut, nothing written

    # other records at the same path, no manifest: the ids of the records already written differ
    mpath.unlink()
    write_jsonl(inp, reports(40, prefix="x"))
    assert cli_main(["code", str(inp), "-o", str(out), "--workers", "1", "--resume", "-q"]) == 2
    assert "cannot resume: output record 1 has id 'r0000' but input record 1 has id 'x0000'" in \
        capsys.readouterr().err
    # a record removed: the records after it have moved
    write_jsonl(inp, [r for r in reports(40) if r["id"] != "r0011"])
    assert cli_main(["code", str(inp), "-o", str(out), "--workers", "1", "--resume", "-q"]) == 2
    assert "output record 12 has id 'r0011' but input record 12 has id 'r0012'" in capsys.readouterr().err
    assert out.read_bytes() == done

    # the same 16 records with 24 appended, the manifest back: the job continues
    write_jsonl(inp, reports(40))
    mpath.write_text(manifest)
    ref = tmp_path / "ref.jsonl"
    code_batch(str(inp), str(ref), workers=1, progress=False)
    assert cli_main(["code", str(inp), "-o", str(out), "--workers", "2", "--resume", "-q"]) == 0
    assert out.read_bytes() == ref.read_bytes()
    assert json.loads(mpath.read_text())["counts"]["resumed_from"] == 16


def test_resume_without_the_manifest_checks_settings_in_the_records(tmp_path):
    inp = write_jsonl(tmp_path / "in.jsonl", reports(12) + [{"id": "own", "text": CXR, "billing": "global"}])
    out = tmp_path / "out.jsonl"
    code_batch(str(inp), str(out), workers=1, progress=False, billing="technical")
    full = out.read_bytes()
    Path(f"{out}.manifest.json").unlink()
    out.write_bytes(_half(out, 6))
    with pytest.raises(BatchError, match=r"output record 1 was coded with other settings \(billing: was "
                                         r"'technical', now 'professional'\)"):
        code_batch(str(inp), str(out), workers=1, progress=False, resume=True)
    res = code_batch(str(inp), str(out), workers=1, progress=False, billing="technical", resume=True)
    assert out.read_bytes() == full and res.resumed_from == 6
    Path(f"{out}.manifest.json").unlink()  # the per-record billing override is expected as written
    assert code_batch(str(inp), str(out), workers=1, progress=False, billing="technical",
                      resume=True).resumed_from == 13


def test_two_runs_cannot_write_one_output(tmp_path, capsys):
    inp = write_jsonl(tmp_path / "in.jsonl", reports(10))
    out = tmp_path / "out.jsonl"
    code_batch(str(inp), str(out), workers=1, progress=False)
    before = out.read_bytes()
    with open(out, "rb") as held:  # another run holds the lock
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        for extra in ([], ["--resume"]):
            assert cli_main(["code", str(inp), "-o", str(out), "--workers", "1", "-q", *extra]) == 2
            assert "is being written by another suggester run (it is locked)" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert cli_main(["code", str(inp), "-o", str(out), "--workers", "1", "-q", "--resume"]) == 0


# ---------------------------------------------------------------------- time limit


@pytest.mark.parametrize("workers", [1, 2])
def test_a_slow_record_becomes_a_timeout_record_and_the_run_goes_on(tmp_path, workers):
    recs = [{"id": "a", "text": CXR}, {"id": "slow", "text": SLOW}, {"id": "b", "text": HEAD},
            {"id": "empty", "text": ""}]
    inp = write_jsonl(tmp_path / "in.jsonl", recs)
    out = tmp_path / "out.jsonl"
    res = code_batch(str(inp), str(out), workers=workers, chunk_size=2, time_limit=0.2, progress=False)
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == ["a", "slow", "b", "empty"]
    assert [g["status"] for g in got] == ["ok", "error", "ok", "error"]
    assert got[1]["error"] == {"type": "timeout",
                               "message": "coding took more than 0.2 s of CPU time (--time-limit); the run went on"}
    assert [c["code"] for c in got[2]["codes"]] == ["70450"]
    assert res.manifest["counts"]["error_types"] == {"empty_text": 1, "timeout": 1}
    assert res.manifest["run"]["time_limit_s"] == 0.2


# A pipeline stage stuck in one C call (``sum`` over a C iterator runs to its end before Python
# sees a signal: the time-limit alarm cannot interrupt it; ~1 hour of CPU). Patched into the
# pipeline before the workers fork, by the tests below and by the CLI wrapper.
STUCK = "STUCK IN C"
PATCH_STUCK = """
import itertools
from suggester.pipeline import Suggester

_real = Suggester._prepare_record


def _stuck(self, rec, n=1):
    if isinstance(rec, dict) and "STUCK IN C" in str(rec.get("text")):
        sum(itertools.repeat(1, 10 ** 12))
    return _real(self, rec, n)


Suggester._prepare_record = _stuck
"""


def stuck_records() -> list[dict]:
    return [{"id": "a", "text": CXR}, {"id": "b", "text": HEAD}, {"id": "stuck", "text": f"{HEAD}\n{STUCK}"},
            {"id": "c", "text": CXR}, {"id": "slow", "text": SLOW}, {"id": "d", "text": HEAD},
            {"id": "e", "text": ""}, {"id": "f", "text": CXR}]


def check_stuck_output(out: Path, limit: float) -> list[dict]:
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == [r["id"] for r in stuck_records()]
    assert [g["status"] for g in got] == ["ok", "ok", "error", "ok", "error", "ok", "error", "ok"]
    hard = limit * 1.5 + 0.5
    assert got[2]["error"] == {"type": "timeout", "message": (
        f"coding took more than {hard:g} s of CPU time in a step that could not be interrupted (--time-limit "
        f"{limit:g}); the worker process was stopped and replaced and the run went on")}
    assert got[4]["error"]["type"] == "timeout"  # the alarm's own timeout: Python code, the worker goes on
    assert [[c["code"] for c in g["codes"]] for g in got if g["status"] == "ok"] == [
        ["71046"], ["70450"], ["71046"], ["70450"], ["71046"]]
    return got


@pytest.mark.parametrize(("workers", "chunk"), [(1, 64), (2, 3)])
def test_a_record_stuck_in_c_code_stops_its_worker_not_the_run(tmp_path, workers, chunk):
    """The watchdog: the kernel ends the worker at the hard CPU limit, the parent writes the
    record's ``timeout`` record, starts a new worker and codes the rest of the chunk again."""
    namespace: dict = {}
    exec(PATCH_STUCK, namespace)  # noqa: S102  (inherited by the forked workers)
    from suggester.pipeline import Suggester

    try:
        inp = write_jsonl(tmp_path / "in.jsonl", stuck_records())
        out = tmp_path / "out.jsonl"
        res = code_batch(str(inp), str(out), workers=workers, chunk_size=chunk, time_limit=0.3, progress=False)
    finally:
        Suggester._prepare_record = namespace["_real"]
    check_stuck_output(out, 0.3)
    assert (res.records, res.errors) == (8, 3)
    assert res.manifest["status"] == "complete"
    assert res.manifest["counts"]["error_types"] == {"empty_text": 1, "timeout": 2}


def test_the_cli_run_goes_on_past_a_record_stuck_in_c_code(tmp_path):
    """The same through ``suggester code`` in a subprocess (exit 1: some records are errors)."""
    inp = write_jsonl(tmp_path / "in.jsonl", stuck_records())
    out = tmp_path / "out.jsonl"
    run = subprocess.run([PY, "-c", PATCH_STUCK + "\nfrom suggester.cli import main\nraise SystemExit(main())",
                          "code", str(inp), "-o", str(out), "--workers", "2", "--chunk-size", "2",
                          "--time-limit", "0.5", "-q"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    check_stuck_output(out, 0.5)


# ---------------------------------------------------------------------- unattended runs


def test_closed_stdout_is_a_normal_end(tmp_path):
    inp = write_jsonl(tmp_path / "big.jsonl", reports(400))
    cmd = f"{PY} -m suggester.cli code {inp} --workers 1 | head -1"
    r = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["id"] == "r0000"
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr
    r = subprocess.run(["bash", "-o", "pipefail", "-c", f"{PY} -m suggester.cli explain 'CT HEAD' | head -1"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and r.stdout.startswith("report confidence"), r.stderr
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr


def test_progress_lines_when_stderr_is_not_a_terminal(tmp_path, capsys):
    inp = write_jsonl(tmp_path / "in.jsonl", reports(6) + [{"id": "e", "text": ""}])
    code_batch(str(inp), str(tmp_path / "out.jsonl"), workers=1, chunk_size=2, progress_every=0)
    lines = capsys.readouterr().err.splitlines()
    assert [ln.split(" (")[0] for ln in lines] == [f"suggester: {n} records" for n in (2, 4, 6, 7)]
    assert lines[-1].endswith(" records/s), 1 errors")
    code_batch(str(inp), str(tmp_path / "out.jsonl"), workers=1, chunk_size=2, progress_every=0, progress=False)
    assert capsys.readouterr().err == ""


def test_the_manifest_follows_every_flush(tmp_path):
    """Read while the run goes on: counts and the consumed input of the last flush."""
    inp = write_jsonl(tmp_path / "in.jsonl", reports(600))
    out = tmp_path / "out.jsonl"
    mpath = Path(f"{out}.manifest.json")
    proc = subprocess.Popen([PY, "-m", "suggester.cli", "code", str(inp), "-o", str(out), "--workers", "1",
                             "--chunk-size", "8", "-q"], stderr=subprocess.PIPE)
    seen = set()
    try:
        while proc.poll() is None:
            try:
                m = json.loads(mpath.read_text())
            except (OSError, ValueError):
                continue
            if m["status"] == "running":
                seen.add((m["counts"]["records"], (m["input"].get("consumed") or {}).get("records")))
    finally:
        proc.wait(300)
    assert proc.returncode == 0, proc.stderr.read()
    during = sorted(r for r, _ in seen if 0 < r < 600)
    assert len(during) >= 3 and all(r % 8 == 0 for r in during)
    assert all(c == r for r, c in seen if r)  # the consumed mark is the flush's
    assert json.loads(mpath.read_text())["counts"]["records"] == 600
