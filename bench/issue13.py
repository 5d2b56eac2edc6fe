"""The hostile-input release checks (issue 13) through the real CLI and a real server, with numbers.

    python bench/issue13.py

Prints one line per check: what was measured and whether the target holds. It asserts nothing
(the tests pin the behaviour; this prints the figures for the release notes). Uses
``bench/hostile.py`` for the corpus and ``suggester code`` / ``suggester serve`` in subprocesses.
"""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from hostile import PAIR, corpus  # noqa: E402

PY = sys.executable
HL7_HEAD = b"MSH|^~\\&|A|B|C|D|20240101||ORU^R01|K|P|2.5\rOBR|1||A1|^CT HEAD\r"
SP_BOMB = HL7_HEAD + b"OBX|1|FT|X||CT HEAD WO" + b"\\.sp 999999999\\" * 64 + b"||||||F"  # the 1 KB bomb
CONTROL_LINES = [b"\x00", b"\x0b", b"\x0c", b"\x1c", "\u0085".encode(), "\u2028".encode(), b"\xef\xbb\xbf"]


def code(*args: str) -> tuple[int, str, float, float]:
    """Exit code, stderr, wall seconds and CPU seconds (the CLI and its workers, start-up included)."""
    t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run([PY, "-m", "suggester.cli", "code", *args, "-q"], capture_output=True, text=True, cwd=REPO)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return run.returncode, run.stderr, time.perf_counter() - t0, cpu


def lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def say(what: str, measured: str, ok: bool) -> None:
    print(f"{'met    ' if ok else 'NOT met'}  {what}: {measured}", flush=True)


def cli_checks(d: Path) -> None:
    texts = {e["name"]: e["text"] for e in corpus() if e["name"] in PAIR}
    pair = d / "pair.jsonl"
    pair.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in texts.items()), encoding="utf-8")
    rc, err, wall, cpu = code(str(pair), "-o", str(d / "pair.out.jsonl"), "--workers", "1")
    m = json.loads((d / "pair.out.jsonl.manifest.json").read_text())
    say("'CT HEAD' + 100,000 spaces and a 600 KB record through `suggester code` <= 10 s",
        f"{cpu:.2f} CPU s with start-up ({wall:.2f} s wall on this machine), run {m['run']['elapsed_s']:.2f} s "
        f"after start-up, exit {rc}, {m['counts']['ok']} ok", cpu <= 10 and rc == 0)

    bomb = d / "bomb.hl7"
    bomb.write_bytes(SP_BOMB)
    rc, err, wall, cpu = code(str(bomb), "-o", str(d / "bomb.out.jsonl"), "--workers", "1")
    m = json.loads((d / "bomb.out.jsonl.manifest.json").read_text())
    rss = max(m["run"]["peak_rss_mb"].values())
    say("HL7 \\.sp\\ bomb through `suggester code` < 10 s under 600 MB RSS",
        f"{cpu:.2f} CPU s with start-up ({wall:.2f} s wall), run {m['run']['elapsed_s']:.2f} s after start-up, "
        f"peak RSS {rss:.0f} MB (main {m['run']['peak_rss_mb']['main']:.0f}, worker "
        f"{m['run']['peak_rss_mb']['worker']:.0f}), exit {rc}", cpu < 10 and rss < 600 and rc == 0)

    bare = d / "bare.hl7"
    bare.write_bytes(b"MSH")
    rc, err, *_ = code(str(bare), "-o", str(d / "bare.out.jsonl"), "--input-format", "hl7")
    out = lines(d / "bare.out.jsonl")
    say("a bare MSH gives one error record and no traceback",
        f"{len(out)} record(s), {[o.get('error', {}).get('type') for o in out]}, exit {rc}, "
        f"traceback {'Traceback' in err}", len(out) == 1 and out[0]["status"] == "error" and "Traceback" not in err)

    inp = d / "in.jsonl"
    inp.write_text("".join(json.dumps({"id": f"r{i}", "text": "CT HEAD WITHOUT CONTRAST"}) + "\n" for i in range(50)))
    before = inp.read_bytes()
    rc, err, *_ = code(str(inp), "-o", str(inp))
    say("-o equal to the input exits 2 with the input intact", f"exit {rc}, input unchanged {inp.read_bytes() == before}",
        rc == 2 and inp.read_bytes() == before)

    out = d / "resume.out.jsonl"
    code(str(inp), "-o", str(out), "--workers", "1", "--chunk-size", "8")
    out.write_bytes(b"".join(out.read_bytes().splitlines(keepends=True)[:20]))  # as if stopped at 20
    inp.write_text(inp.read_text().replace('"r3"', '"changed"'))
    rc_m, err_m, *_ = code(str(inp), "-o", str(out), "--workers", "1", "--resume")
    (d / "resume.out.jsonl.manifest.json").unlink()
    rc_n, err_n, *_ = code(str(inp), "-o", str(out), "--workers", "1", "--resume")
    say("--resume on a changed input exits 2", f"exit {rc_m} with the manifest, {rc_n} without",
        rc_m == 2 and rc_n == 2)

    ctrl = d / "ctrl.jsonl"
    good = b'{"id": "ok", "text": "CT HEAD"}'
    ctrl.write_bytes(b"\n".join([good, *CONTROL_LINES, good]) + b"\n")
    rc, err, *_ = code(str(ctrl), "-o", str(d / "ctrl.out.jsonl"))
    out = lines(d / "ctrl.out.jsonl")
    say("control-byte JSONL lines each give a record",
        f"{len(CONTROL_LINES) + 2} lines in ({len(CONTROL_LINES)} of only NUL/VT/FF/0x1c/U+0085/U+2028/BOM), "
        f"{len(out)} records out", len(out) == len(CONTROL_LINES) + 2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port: int, body: bytes, token: str, content_type: bytes = b"application/json") -> tuple[int, float]:
    t0 = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(b"POST /v1/suggest HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n"
                  b"Content-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                  % (port, token.encode(), content_type, len(body), body))
        raw = b""
        while chunk := s.recv(65536):
            raw += chunk
    return int(raw.split(b" ", 2)[1]), time.perf_counter() - t0


def service_checks(d: Path) -> None:
    token = "issue13-release-check-token"
    (d / "token").write_text(token)
    port = free_port()
    srv = subprocess.Popen([PY, "-m", "suggester.cli", "serve", "--port", str(port), "--token-file", str(d / "token"),
                            "--workers", "1", "--max-connections", "64", "--header-timeout", "5",
                            "--log-level", "error"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or srv.poll() is not None:
                    say("service started", "it did not", False)
                    return
                time.sleep(0.5)
        body = json.dumps({"text": "CT HEAD WITHOUT CONTRAST"}).encode()
        post(port, body, token)  # the worker's first request
        socks = []
        for _ in range(300):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(b"POST /v1/suggest HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bea")
            socks.append(s)
        status, took = post(port, body, token)
        for s in socks:
            s.close()
        say("300 slow-header connections do not stop an authenticated client",
            f"served {status} in {took:.3f} s with 300 half-open connections open (limit 64)",
            status == 200 and took < 2)
        rss = _tree_rss_mb(srv.pid)
        status, took = post(port, SP_BOMB, token, b"x-application/hl7-v2+er7")
        after = _tree_rss_mb(srv.pid)
        say("HL7 \\.sp\\ bomb through the service < 10 s under 600 MB RSS",
            f"{status} in {took:.2f} s; largest process RSS {rss:.0f} MB before, {after:.0f} "
            f"MB after", took < 10 and after < 600)
    finally:
        srv.terminate()
        srv.wait(30)


def _tree_rss_mb(pid: int) -> float:
    """The largest RSS among a process and its descendants (Linux /proc), in MB."""
    largest, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            largest = max(largest, int(next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1]))
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except (OSError, StopIteration):
            continue
        todo += [int(c) for c in children]
    return largest / 1024


def main() -> int:
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as d:
        cli_checks(Path(d))
        service_checks(Path(d))
    return 0


if __name__ == "__main__":
    sys.exit(main())
