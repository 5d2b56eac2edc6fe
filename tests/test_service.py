"""The HTTP service, tested against a real uvicorn server on a free loopback port (httpx client).

Most tests share servers started in a background thread (so that a slow pipeline can be
injected for the timeout and overload tests); one test runs ``suggester serve`` itself as a
subprocess. Every request goes to 127.0.0.1 only.
"""

import asyncio
import functools
import itertools
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import uvicorn

from suggester import Suggester
from suggester.cli import main
from suggester.service import (
    MAX_JSON_DEPTH,
    TOKEN_ENV,
    Overloaded,
    ProcessPool,
    ServiceConfig,
    ServiceConfigError,
    WorkerError,
    _Link,
    after_loss,
    batch_job,
    check_bind,
    create_app,
    default_allowed_hosts,
    frame,
    host_allowed,
    load_token,
    suggest_job,
    uvicorn_options,
)

DATA = Path(__file__).parent / "data"
TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HL7 = "x-application/hl7-v2+er7"
FHIR = "application/fhir+json"


class Sleepy:
    """A real Suggester that first misbehaves when the report asks (built in each worker process):
    ``SLEEP:<seconds>`` sleeps, ``SPIN:<n>`` runs a backtracking regex that holds the interpreter
    lock for ~2^n steps (what froze the old threaded service), ``STUCK IN C`` runs one C call of
    about an hour that no signal handler interrupts, ``BOOM`` raises with the text, ``DIE NOW``
    kills the worker process, ``DIE ONCE:<path>`` kills it unless the file ``path`` exists (and
    creates it: a death the report did not cause, such as the system's out-of-memory killer)."""

    def __init__(self):
        self.inner = Suggester()
        self.versions = self.inner.versions

    def suggest_record(self, rec, n=1):
        text = (rec.get("text") or "") if isinstance(rec, dict) else ""
        if m := re.search(r"SLEEP:([\d.]+)", text):
            time.sleep(float(m.group(1)))
        if m := re.search(r"SPIN:(\d+)", text):
            re.match(r"(a+)+$", "a" * int(m.group(1)) + "b")
        if "STUCK IN C" in text:
            sum(itertools.repeat(1, 10 ** 12))
        if "BOOM" in text:
            raise RuntimeError(f"failed on {text}")
        if (m := re.search(r"DIE ONCE:(\S+)", text)) and not os.path.exists(m.group(1)):
            Path(m.group(1)).touch()
            os.kill(os.getpid(), signal.SIGKILL)
        if "DIE NOW" in text:
            os.kill(os.getpid(), signal.SIGKILL)
        return self.inner.suggest_record(rec, n)


class Tiny:
    """A worker object without a pipeline, for the process pool's own tests (starts in ms)."""

    versions = {"suggester": "tiny"}


def nap(s, seconds: float):
    time.sleep(seconds)
    return os.getpid()


def die(s, code: int):
    os._exit(code)


def divide(s, a: int, b: int):
    return a / b


def payload(s, size: int) -> bytes:
    return bytes(range(256)) * (size // 256)


def measure(s, data: bytes) -> tuple[int, int]:
    return len(data), os.getpid()


class Server:
    """uvicorn in a thread, on a socket bound to a free loopback port."""

    def __init__(self, config: ServiceConfig, factory=Sleepy):
        # factory None: the service's own (a Suggester built from the config)
        self.app = create_app(config, suggester_factory=factory)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_config=None, timeout_graceful_shutdown=2,
                                                    **uvicorn_options(config)))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 120  # the workers build their pipelines first
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture(scope="module")
def srv():
    """Token, 64 KiB bodies, batches of 5, 2 workers + 4 queued, 5 s per request."""
    cfg = ServiceConfig(token=TOKEN, max_body_bytes=64 * 1024, max_batch=5, workers=2, max_queue=4, timeout=5)
    with Server(cfg) as s:
        yield s


@pytest.fixture(scope="module")
def client(srv):
    with httpx.Client(base_url=srv.url, headers=AUTH, timeout=20) as c:
        yield c


@pytest.fixture(scope="module")
def tight():
    """No token, one worker, one queued request, 5 s per request."""
    with Server(ServiceConfig(workers=1, max_queue=1, timeout=5.0)) as s:
        yield s


def access_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "suggester.access"]


# ---------------------------------------------------------------------- configuration


@pytest.mark.parametrize(("host", "ok"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("radiology.example.org", False),
])
def test_non_loopback_bind_needs_a_token(host, ok):
    check_bind(host, TOKEN)  # with a token anything goes
    if ok:
        check_bind(host, None)
    else:
        with pytest.raises(ServiceConfigError, match="refusing to bind"):
            check_bind(host, None)


def test_token_sources(tmp_path):
    f = tmp_path / "token"
    f.write_text(TOKEN + "\n")
    assert load_token(token_file=f, environ={TOKEN_ENV: "other-token-0123456789"}) == TOKEN
    assert load_token(environ={TOKEN_ENV: " env-token-0123456789 "}) == "env-token-0123456789"
    assert load_token(environ={}) is None
    (tmp_path / "empty").write_text("\n")
    with pytest.raises(ServiceConfigError, match="is empty"):
        load_token(token_file=tmp_path / "empty")
    with pytest.raises(ServiceConfigError, match="cannot read the token file"):
        load_token(token_file=tmp_path / "missing")
    with pytest.raises(ServiceConfigError, match="at least 16 characters"):
        ServiceConfig(token="short")


def test_cli_serve_refuses_public_bind_without_token(monkeypatch, capsys):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--port", "9"]) == 2
    assert "refusing to bind '0.0.0.0' without an API token" in capsys.readouterr().err


@pytest.fixture
def restore_access_log():
    """``serve`` sets up the access log for its process; undo that for the tests that follow."""
    log = logging.getLogger("suggester.access")
    saved = (list(log.handlers), log.propagate, log.level)
    yield
    log.handlers[:], log.propagate = saved[0], saved[1]
    log.setLevel(saved[2])


def test_cli_serve_configuration_error_exits_2_before_listening(capsys, restore_access_log):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["serve", "--port", str(port), "--workers", "1", "--payer", "acme"]) == 2
    assert ("a worker process could not start: SuggesterError: unknown payer 'acme'; known: "
            "['commercial', 'medicare']") in capsys.readouterr().err


def pool_run(coro_fn, workers=1, max_queue=1, loop: str = "asyncio"):
    """Run ``coro_fn(pool)`` against a started ProcessPool of Tiny workers, then close it, on
    asyncio's own event loop or on uvloop's (what uvicorn runs when it is installed)."""
    async def main():
        pool = ProcessPool(Tiny, workers, max_queue)
        await pool.start()
        try:
            return await coro_fn(pool)
        finally:
            await pool.close()

    if loop == "asyncio":
        return asyncio.run(main())
    ev = pytest.importorskip(loop).new_event_loop()
    try:
        return ev.run_until_complete(main())
    finally:
        ev.close()


def test_process_pool_is_bounded():
    async def go(pool):
        running = asyncio.ensure_future(pool.call(nap, 2.0, timeout=10))
        queued = asyncio.ensure_future(pool.call(nap, 0, timeout=10))
        await asyncio.sleep(0.1)
        t0 = time.monotonic()
        with pytest.raises(Overloaded):
            await pool.call(nap, 0, timeout=10)
        refused_in = time.monotonic() - t0
        pids = await asyncio.gather(running, queued)
        return refused_in, pids, await pool.call(nap, 0, timeout=10), pool.stats()

    refused_in, (a, b), c, stats = pool_run(go)
    # refused at once, not after the 2 s the queue would take (slack for a loaded CI machine)
    assert refused_in < 1.0 and a == b == c != os.getpid()  # one worker process did all three
    assert stats == {"total": 1, "ready": 1, "busy": 0, "queued": 0, "restarts": 0}


def test_process_pool_timeout_kills_and_replaces_the_worker():
    async def go(pool):
        first = await pool.call(nap, 0, timeout=10)
        t0 = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await pool.call(nap, 30, timeout=0.3)
        took = time.monotonic() - t0
        # a request that timed out while QUEUED kills nothing
        running = asyncio.ensure_future(pool.call(nap, 1.0, timeout=60))
        await asyncio.sleep(0.2)
        with pytest.raises(asyncio.TimeoutError):
            await pool.call(nap, 0, timeout=0.2)
        second = await running
        return first, took, second, pool.stats()

    first, took, second, stats = pool_run(go)
    assert took < 5.0  # the 0.3 s timeout, not the 30 s nap (slack for a loaded CI machine)
    assert second != first  # a new process
    with pytest.raises(ProcessLookupError):
        os.kill(first, 0)  # and the stuck one is gone
    assert stats == {"total": 1, "ready": 1, "busy": 0, "queued": 0, "restarts": 1}


def test_process_pool_survives_a_crash_and_an_exception():
    async def go(pool):
        with pytest.raises(WorkerError) as crash:
            await pool.call(die, 3, timeout=30)
        with pytest.raises(WorkerError) as exc:
            await pool.call(divide, 1, 0, timeout=30)
        return crash.value, exc.value, await pool.call(divide, 6, 3, timeout=30), pool.stats()["restarts"]

    crash, exc, ok, restarts = pool_run(go)
    assert (crash.lost, crash.kind, crash.where) == (True, "WorkerLost", "exit code 3")
    assert (exc.lost, exc.kind) == (False, "ZeroDivisionError")
    assert re.fullmatch(r"test_service\.py:\d+", exc.where)
    assert (ok, restarts) == (2.0, 1)


def test_link_reads_frames_whole_however_the_bytes_arrive():
    """The event loop's end of a worker's socket: a frame split anywhere (in its length, in its
    pickle) is delivered once whole, two frames in one read are both delivered in order, and
    only the end of the stream, not our own close, is a lost worker."""
    got, lost = [], []
    link = _Link(got.append, lambda: lost.append(True))
    one, two = frame(("ok", "x" * 1000)), frame(("err", "ValueError", "a.py:1"))
    for piece in (one[:3], one[3:8], one[8:500]):
        link.data_received(piece)
    assert got == [] and lost == []  # a reply still being written is waited for
    link.data_received(one[500:] + two[:10])
    assert got == [("ok", "x" * 1000)]
    link.data_received(two[10:])
    assert got == [("ok", "x" * 1000), ("err", "ValueError", "a.py:1")] and lost == []
    link.data_received(frame(b"not a tuple of ours")[:-1] + b"\x00")  # a frame that does not unpickle
    assert got[-1][0] == "err" and got[-1][2] == "reading the result" and lost == []
    link.connection_lost(None)
    link.connection_lost(None)
    assert lost == [True]  # once
    closed = _Link(got.append, lambda: lost.append(True))
    closed.close()
    closed.connection_lost(None)
    assert lost == [True]  # we closed it: not a death


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_process_pool_waits_for_a_worker_that_is_slow_to_write(loop):
    """Issue 15's CI failure: under CPU contention a worker can be stopped half way through
    writing a reply. uvloop makes the descriptors it watches non-blocking, and the pool used to
    read replies with a blocking read: the half-written reply raised EAGAIN, read as a dead
    worker (500 WorkerLost, exit code None, a healthy process killed). Here the worker is
    stopped (SIGSTOP) with part of a 16 MB reply read: the job waits, nothing is lost, and the
    whole reply arrives when it runs again. A 16 MB request (more than the socket holds) goes
    through too; it used to leave the worker half-fed and never ready again."""
    size = 16 * 1024 * 1024

    async def go(pool):
        sent, pid = await pool.call(measure, b"\x01" * size, timeout=60)
        w = pool._workers[0]
        call = asyncio.ensure_future(pool.call(payload, size, timeout=60))
        while not w.conn._buf:  # part of the reply has arrived, the rest cannot have yet
            await asyncio.sleep(0)
        os.kill(pid, signal.SIGSTOP)
        try:
            await asyncio.sleep(1.0)
            waited = (call.done(), pool.stats()["restarts"], w.proc is not None and w.proc.is_alive())
        finally:
            os.kill(pid, signal.SIGCONT)
        reply = await call
        return sent, pid, waited, reply, await pool.call(measure, b"", timeout=60), pool.stats()

    sent, pid, waited, reply, after, stats = pool_run(go, loop=loop)
    assert sent == size
    assert waited == (False, 0, True)
    assert reply == bytes(range(256)) * (size // 256)
    assert after == (0, pid)  # the same worker process
    assert stats == {"total": 1, "ready": 1, "busy": 0, "queued": 0, "restarts": 0}


def test_after_loss_tries_a_lost_job_once_and_marks_a_batch_report():
    """What the service runs again after a worker is lost (see ``after_loss``)."""
    def lost(record=0, stopped=0):
        return WorkerError("WorkerLost", "exit code -9", lost=True, stopped=stopped, exitcode=-9, record=record)

    bug = WorkerError("ZeroDivisionError", "x.py:1")
    req = {"body": b"{}", "stopped": ()}
    assert after_loss(bug, batch_job, (req,), retried=False) is None  # a bug is not run again
    assert after_loss(lost(), suggest_job, (req,), retried=False) == (req,)  # once more, as it was
    assert after_loss(lost(), suggest_job, (req,), retried=True) is None
    assert after_loss(lost(record=2), batch_job, (req,), retried=False) == (req,)  # the report may not be the cause
    assert after_loss(lost(record=2), batch_job, (req,), retried=True) == ({**req, "crashed": (2,)},)
    assert after_loss(lost(record=3), batch_job, ({**req, "crashed": (2,)},), retried=True) == (
        {**req, "crashed": (2, 3)},)
    assert after_loss(lost(record=2), batch_job, ({**req, "crashed": (2,)},), retried=True) is None
    assert after_loss(lost(record=2, stopped=2), batch_job, (req,), retried=False) == ({**req, "stopped": (2,)},)
    assert after_loss(lost(record=0), batch_job, (req,), retried=True) is None  # died between reports


def test_a_worker_that_cannot_start_is_a_configuration_error():
    async def main():
        pool = ProcessPool(functools.partial(Suggester, payer="acme"), 1, 0)
        await pool.start()

    with pytest.raises(ServiceConfigError, match="a worker process could not start: .*acme"):
        asyncio.run(main())


# ---------------------------------------------------------------------- auth and the open endpoints


def test_auth(srv, client):
    body = {"text": "CT HEAD WITHOUT CONTRAST"}
    with httpx.Client(base_url=srv.url, timeout=20) as anon:
        r = anon.post("/v1/suggest", json=body)
        assert r.status_code == 401
        assert r.headers["www-authenticate"] == "Bearer"
        assert r.json() == {"status": "error", "error": {"type": "unauthorized",
                                                         "message": "missing or wrong bearer token"}}
        assert anon.post("/v1/suggest", json=body, headers={"Authorization": "Bearer wrong-token-0123456789"}).status_code == 401
        assert anon.post("/v1/suggest", json=body, headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
        assert anon.get("/version").status_code == 401
        assert anon.post("/v1/suggest/batch", json={"records": []}).status_code == 401
        health = anon.get("/healthz").json()  # liveness needs no token
        assert health == {"status": "ok", "workers": {"total": 2, "ready": 2, "busy": 0, "queued": 0,
                                                      "restarts": health["workers"]["restarts"]}}
        assert anon.get("/openapi.json").status_code == 401  # with a token, the API is not described to strangers
        assert anon.get("/docs").status_code == 404
    assert client.post("/v1/suggest", json=body).status_code == 200


def test_no_token_configured_means_no_auth(tight):
    r = httpx.post(f"{tight.url}/v1/suggest", json={"text": "CT HEAD WITHOUT CONTRAST"}, timeout=20)
    assert r.status_code == 200


def test_version_and_docs(client, sg_pro):
    v = client.get("/version").json()
    assert v == {**sg_pro.versions, "api": "v1"}
    spec = client.get("/openapi.json").json()
    assert {"/v1/suggest", "/v1/suggest/batch", "/healthz", "/version"} <= set(spec["paths"])
    content = spec["paths"]["/v1/suggest"]["post"]["requestBody"]["content"]
    assert {"application/json", HL7, FHIR, "text/plain"} <= set(content)
    assert content["application/json"]["schema"]["required"] == ["text"]
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert client.get("/docs").json()["error"] == {"type": "not_found", "message": "Not Found"}


def test_docs_page_is_local_and_without_scripts(tight):
    """Without a token, /docs is a static page: no JavaScript, nothing loaded from another site."""
    r = httpx.get(f"{tight.url}/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    page = r.text.lower()
    assert "<script" not in page and "http://" not in page and "https://" not in page and "//cdn" not in page
    assert "<code>post /v1/suggest/batch</code>" in page and "href='/openapi.json'" in page
    assert httpx.get(f"{tight.url}/openapi.json").json()["info"]["title"] == "suggester"
    assert httpx.get(f"{tight.url}/redoc").status_code == 404


# ---------------------------------------------------------------------- single reports


def test_json_report(client):
    r = client.post("/v1/suggest", json={"id": "ACC1", "text": "EXAM: XR LEFT KNEE 3 VIEWS", "ordered": "73562"})
    assert r.status_code == 200
    rec = r.json()
    assert rec["id"] == "ACC1" and rec["status"] == "ok"
    assert [(c["code"], c["modifiers"], c["x12"]) for c in rec["codes"]] == [("73562", ["26", "LT"], "HC:73562:26:LT")]
    assert set(rec) >= {"alternatives", "frames", "flags", "confidence", "needs_review", "versions"}
    tech = client.post("/v1/suggest", json={"id": 7, "text": "XR LEFT KNEE 3 VIEWS", "billing": "technical",
                                            "payer": "commercial"}).json()
    assert tech["id"] == "7" and tech["codes"][0]["x12"] == "HC:73562:TC:LT"


def test_default_id_is_the_request_id(client):
    r = client.post("/v1/suggest", json={"text": "CT HEAD WITHOUT CONTRAST"}, headers={"X-Request-ID": "rq-42"})
    assert r.headers["x-request-id"] == "rq-42" and r.json()["id"] == "rq-42"
    r = client.post("/v1/suggest", content=b"CT HEAD WITHOUT CONTRAST", headers={"Content-Type": "text/plain",
                                                                               "X-Request-ID": "bad id with spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"])
    assert r.json()["id"] == r.headers["x-request-id"]
    assert [c["code"] for c in r.json()["codes"]] == ["70450"]


@pytest.mark.parametrize(("content", "ctype", "status", "kind", "message"), [
    (b'{"text": "CT HEAD",', "application/json", 422, "invalid_json",
     "request body is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 20"),
    (b"", "application/json", 422, "invalid_json", 'request body is empty; send JSON such as {"text": "..."}'),
    (b"\xff\xfe{}", "application/json", 422, "invalid_json", "request body is not UTF-8 JSON"),
    (b'{"text": "CT\x00HEAD"}', "application/json", 422, "invalid_json",  # a raw NUL in a JSON string
     "request body is not valid JSON: Invalid control character at line 1 column 13"),
    (b"[" * 20_000 + b"]" * 20_000, "application/json", 422, "invalid_json",
     "request body is nested deeper than 64 levels"),
    (b'"CT HEAD"', "application/json", 422, "invalid_record", 'body: expected a JSON object with a "text" field, got str'),
    (b'{"txt": "CT HEAD", "ordered": 73562}', "application/json", 422, "invalid_record",
     "txt: unknown field (expected text, id, ordered, billing, payer); text: required; "
     "ordered: expected a string, got int"),
    (b'[{"text": "CT HEAD"}]', "application/json", 422, "invalid_record",
     'body: expected a JSON object with a "text" field, got list; send lists to /v1/suggest/batch'),
    (b"<report/>", "application/xml", 415, "unsupported_media_type",
     "content type 'application/xml' is not accepted; send application/json, x-application/hl7-v2+er7, "
     "application/fhir+json or text/plain"),
    # the pipeline's own error records, answered as the pipeline words them
    (b'{"text": "   "}', "application/json", 422, "empty_text", None),
    (b'{"text": "... -- ;; !!"}', "application/json", 422, "empty_text", None),
    (b'{"text": "CT HEAD", "payer": "acme"}', "application/json", 422, "unknown_payer", None),
    (b'{"text": "CT HEAD", "billing": "split"}', "application/json", 422, "invalid_billing", None),
])
def test_malformed_input(client, sg_pro, content, ctype, status, kind, message):
    r = client.post("/v1/suggest", content=content, headers={"Content-Type": ctype})
    assert r.status_code == status
    assert r.json()["status"] == "error"
    if message is None:
        message = sg_pro.suggest_record(json.loads(content))["error"]["message"]
    assert r.json()["error"] == {"type": kind, "message": message}


def test_body_size_limit(client):
    big = json.dumps({"text": "CT HEAD " + "x" * (64 * 1024)}).encode()
    r = client.post("/v1/suggest", content=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"] == {"type": "body_too_large",
                                 "message": f"request body is {len(big)} bytes; the limit is 65536"}

    def chunked():  # no Content-Length: counted while read
        for _ in range(40):
            yield b"x" * 4096

    r = client.post("/v1/suggest", content=chunked(), headers={"Content-Type": "text/plain"})
    assert r.status_code == 413
    assert r.json()["error"]["message"] == "request body is over the limit of 65536 bytes"
    assert client.get("/healthz").status_code == 200  # and the server carries on


def test_hl7_in_json_or_dft_out(client):
    body = (DATA / "hl7" / "knee_mllp.hl7").read_bytes()
    rec = client.post("/v1/suggest", content=body, headers={"Content-Type": HL7}).json()
    assert (rec["id"], [c["x12"] for c in rec["codes"]]) == ("ACC24031207", ["HC:73562:26:LT"])
    # text/plain starting with MSH is HL7 too; Accept asks for the DFT^P03
    r = client.post("/v1/suggest", content=body.strip(b"\x0b\x1c\r"),
                    headers={"Content-Type": "text/plain", "Accept": HL7})
    assert r.status_code == 200 and r.headers["content-type"].startswith(HL7)
    segs = r.text.split("\r")
    assert segs[0].split("|")[8:10] == ["DFT^P03^DFT_P03", "SGNRS0312101502"]
    assert segs[-1].endswith("|ACC24031207||73562^Radiograph knee 3 views^C4|26~LT")


def test_hl7_errors(client):
    several = (DATA / "hl7" / "batch_lf.hl7").read_bytes()
    r = client.post("/v1/suggest", content=several, headers={"Content-Type": HL7})
    assert r.status_code == 422
    assert r.json()["error"] == {"type": "not_one_report", "message": "the body holds 3 reports; send one, "
                                                                      "or post them to /v1/suggest/batch"}
    adt = b"MSH|^~\\&|ADT|H|C|H|20240101||ADT^A08|A1|P|2.5\rPID|1"
    r = client.post("/v1/suggest", content=adt, headers={"Content-Type": HL7, "Accept": HL7})
    assert r.status_code == 422  # answered with an ACK AE, as an HL7 client expects
    assert r.text.split("\r")[1] == "MSA|AE|A1"


def test_fhir_in_json_or_claim_out(client):
    body = (DATA / "fhir" / "shoulder_contained.fhir.json").read_bytes()
    rec = client.post("/v1/suggest", content=body, headers={"Content-Type": FHIR}).json()
    assert (rec["id"], [c["x12"] for c in rec["codes"]]) == ("ACC24031255", ["HC:73030:26:RT"])
    r = client.post("/v1/suggest", content=body, headers={"Content-Type": "application/json", "Accept": FHIR})
    assert r.status_code == 200 and r.headers["content-type"].startswith(FHIR)
    claim = r.json()["entry"][0]["resource"]
    assert claim["resourceType"] == "Claim" and claim["patient"] == {"reference": "Patient/pt-4471",
                                                                      "display": "Testpatient, Alex"}
    assert [i["productOrService"]["coding"][0]["code"] for i in claim["item"]] == ["73030"]
    bad = json.dumps({"resourceType": "DiagnosticReport", "status": "final", "code": {}, "foo": 1})
    r = client.post("/v1/suggest", content=bad, headers={"Content-Type": FHIR, "Accept": FHIR})
    assert r.status_code == 422 and r.json()["resourceType"] == "OperationOutcome"


# ---------------------------------------------------------------------- batches


def test_batch_keeps_input_order(client):
    records = [{"id": "a", "text": "CT HEAD WITHOUT CONTRAST"}, "XR LEFT KNEE 3 VIEWS",
               {"id": "c", "text": ""}, {"id": "d", "text": 5},
               {"id": "e", "text": "CT ABDOMEN AND PELVIS WITH CONTRAST"}]
    r = client.post("/v1/suggest/batch", json={"records": records})
    assert r.status_code == 200
    body = r.json()
    assert (body["count"], body["errors"]) == (5, 2)
    got = [(x["id"], x["status"], [c["x12"] for c in x.get("codes", [])] or x["error"]["type"]) for x in body["results"]]
    assert got == [("a", "ok", ["HC:70450:26"]), ("line-2", "ok", ["HC:73562:26:LT"]), ("c", "error", "empty_text"),
                   ("d", "error", "invalid_record"), ("e", "ok", ["HC:74177:26"])]
    assert body["results"][3]["error"]["message"] == "records[3].text: expected a string, got int"


def test_batch_limits_and_shape(client):
    r = client.post("/v1/suggest/batch", json={"records": ["CT HEAD"] * 6})
    assert r.status_code == 413
    assert r.json()["error"] == {"type": "batch_too_large", "message": "the batch has 6 reports; the limit is 5"}
    for body in ([{"text": "CT HEAD"}], {"records": "CT HEAD"}, {"records": [], "extra": 1}):
        r = client.post("/v1/suggest/batch", json=body)
        assert r.status_code == 422
        assert r.json()["error"] == {"type": "invalid_batch", "message": 'expected a JSON object {"records": [...]}'}
    assert client.post("/v1/suggest/batch", json={"records": []}).json()["error"]["type"] == "empty_batch"


def test_batch_of_hl7_messages_and_fhir_bundle(client):
    hl7 = client.post("/v1/suggest/batch", content=(DATA / "hl7" / "batch_lf.hl7").read_bytes(),
                      headers={"Content-Type": HL7}).json()
    assert [(x["id"], x["status"]) for x in hl7["results"]] == [("ACC24031288", "ok"), ("ADT778812", "error"),
                                                                ("ACC24031301", "ok")]
    bundle = (DATA / "fhir" / "searchset_bundle.fhir.json").read_bytes()
    r = client.post("/v1/suggest/batch", content=bundle, headers={"Content-Type": FHIR, "Accept": FHIR})
    assert r.headers["content-type"].startswith("application/fhir+ndjson")
    assert [json.loads(line)["resourceType"] for line in r.text.splitlines()] == ["Bundle", "Bundle", "OperationOutcome"]


# ---------------------------------------------------------------------- concurrency, overload, timeouts


def test_concurrent_clients_get_their_own_answers(srv):
    """6 clients (= workers + queue) x 5 requests each, all at once: every answer matches its request."""
    reports = {"CT HEAD WITHOUT CONTRAST": "70450", "XR LEFT KNEE 3 VIEWS": "73562",
               "CT ABDOMEN AND PELVIS WITH CONTRAST": "74177", "MRI LUMBAR SPINE WITHOUT CONTRAST": "72148",
               "US ABDOMEN COMPLETE": "76700", "SCREENING MAMMOGRAM BILATERAL": "77067"}
    texts = list(reports)

    def client_run(k: int):
        out = []
        with httpx.Client(base_url=srv.url, headers=AUTH, timeout=20) as c:
            for i in range(5):
                text = texts[(k + i) % len(texts)]
                r = c.post("/v1/suggest", json={"id": f"{k}-{i}", "text": text})
                out.append((r.status_code, r.json()["id"], r.json()["codes"][0]["code"], f"{k}-{i}", reports[text]))
        return out

    with ThreadPoolExecutor(6) as ex:
        results = [x for batch in ex.map(client_run, range(6)) for x in batch]
    assert len(results) == 30
    for status, rid, code, want_id, want_code in results:
        assert (status, rid, code) == (200, want_id, want_code)


def test_overload_answers_503_not_an_endless_queue(tight):
    """One worker and one queued place: of four simultaneous slow requests two are refused at once."""
    barrier = threading.Barrier(4)

    def run(i):
        # the client is built before the barrier: on a loaded machine building it took longer than
        # the refusal itself, and the timing below is about the server, not the client
        with httpx.Client(timeout=20) as client:
            barrier.wait()
            t0 = time.monotonic()
            r = client.post(f"{tight.url}/v1/suggest", json={"id": str(i), "text": "SLEEP:1.0 CT HEAD"})
            return r, time.monotonic() - t0

    with ThreadPoolExecutor(4) as ex:
        answers = list(ex.map(run, range(4)))
    statuses = sorted(r.status_code for r, _ in answers)
    assert statuses == [200, 200, 503, 503]
    served_in = min(took for r, took in answers if r.status_code == 200)
    for r, took in answers:
        if r.status_code == 503:
            assert r.headers["retry-after"] == "1"
            assert r.json()["error"] == {"type": "overloaded",
                                         "message": "all workers are busy and the queue is full; retry shortly"}
            assert took < min(1.0, served_in)  # refused at once, not after waiting for a worker
    assert httpx.get(f"{tight.url}/healthz").status_code == 200


def wait_ready(url: str, restarts: int, limit: float = 120) -> dict:
    deadline = time.monotonic() + limit
    while True:
        w = httpx.get(f"{url}/healthz", timeout=5).json()["workers"]
        if w["restarts"] == restarts and w["ready"] == w["total"]:
            return w
        assert time.monotonic() < deadline, w
        time.sleep(0.2)


REPORTS = [
    "EXAM: CT ABDOMEN AND PELVIS WITH CONTRAST\nINDICATION: pain.\nFINDINGS: No acute process.\nIMPRESSION: Normal.",
    "XR LEFT KNEE 3 VIEWS\nFINDINGS: No fracture. Mild medial joint space narrowing.",
    "MRI BRAIN WITHOUT AND WITH CONTRAST\nTECHNIQUE: Sagittal T1, axial FLAIR, post-contrast T1.\nIMPRESSION: Normal.",
    "US ABDOMEN COMPLETE\nFINDINGS: Liver, gallbladder, pancreas, kidneys, spleen and aorta are normal.",
    "BILATERAL SCREENING MAMMOGRAM WITH TOMOSYNTHESIS\nIMPRESSION: BI-RADS 1.",
    "CTA CHEST FOR PULMONARY EMBOLISM\nFINDINGS: No pulmonary embolus.",
    "DUPLEX RIGHT LOWER EXTREMITY VENOUS\nIMPRESSION: No deep venous thrombosis.",
    "NM MYOCARDIAL PERFUSION SPECT REST AND STRESS WITH WALL MOTION AND EJECTION FRACTION",
    "DXA BONE DENSITY AXIAL SKELETON\nIMPRESSION: Osteopenia.",
    "FLUOROSCOPY BARIUM SWALLOW\nFINDINGS: Normal esophageal motility.",
    "CT HEAD WITHOUT CONTRAST AND CT CERVICAL SPINE WITHOUT CONTRAST\nIMPRESSION: No acute findings.",
    "XR CHEST 2 VIEWS\nCOMPARISON: None.\nIMPRESSION: No acute cardiopulmonary process.",
]


def test_two_workers_answer_as_the_in_process_api_and_a_killed_worker_is_replaced(sg_pro):
    """The production worker factory on 2 processes: every answer (one report, a batch, from 6
    clients at once) equals the in-process API's record; a worker killed from outside
    (SIGKILL, as the OOM killer does) is replaced and the service keeps answering."""
    from suggester.integrations.x12 import with_x12

    want = {f"r{n}": with_x12(sg_pro.suggest_record({"id": f"r{n}", "text": t}, 1)) for n, t in enumerate(REPORTS)}
    with Server(ServiceConfig(workers=2, max_queue=16, timeout=30), factory=None) as s:
        def client_run(k: int) -> list:
            with httpx.Client(base_url=s.url, timeout=30) as c:
                return [c.post("/v1/suggest", json={"id": f"r{n}", "text": REPORTS[n]}).json()
                        for n in range(k, len(REPORTS), 3)]

        with ThreadPoolExecutor(6) as ex:
            got = [rec for recs in ex.map(client_run, [0, 1, 2, 0, 1, 2]) for rec in recs]
        assert len(got) == 2 * len(REPORTS)
        for rec in got:
            assert rec == want[rec["id"]]
        batch = httpx.post(f"{s.url}/v1/suggest/batch", timeout=30,
                           json={"records": [{"id": f"r{n}", "text": t} for n, t in enumerate(REPORTS[:5])]}).json()
        assert batch["results"] == [want[f"r{n}"] for n in range(5)]
        pool = s.app.state.pool
        pids = {w.proc.pid for w in pool._workers}
        assert len(pids) == 2 and os.getpid() not in pids
        victim = pool._workers[0].proc.pid
        os.kill(victim, signal.SIGKILL)
        health = wait_ready(s.url, restarts=1)
        assert health == {"total": 2, "ready": 2, "busy": 0, "queued": 0, "restarts": 1}
        assert victim not in {w.proc.pid for w in pool._workers}
        with httpx.Client(base_url=s.url, timeout=30) as c:
            for n in range(4):  # both workers, the new one included, answer as before
                assert c.post("/v1/suggest", json={"id": f"r{n}", "text": REPORTS[n]}).json() == want[f"r{n}"]
    for pid in pids:  # and once the server stops, no worker process is left behind
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_per_request_timeout_kills_the_stuck_worker_not_the_service():
    """A report that holds the interpreter lock for a long time (a backtracking regex, as the
    quadratic header pattern once did) answers 504 at the time limit; /healthz answers all along;
    the worker process is killed and replaced, and the next request is served."""
    with Server(ServiceConfig(workers=1, max_queue=1, timeout=1.5)) as s:
        with ThreadPoolExecutor(1) as ex:
            t0 = time.monotonic()
            stuck = ex.submit(httpx.post, f"{s.url}/v1/suggest", json={"text": "SPIN:40 CT HEAD"}, timeout=30)
            time.sleep(0.3)
            health = []
            with httpx.Client(base_url=s.url, timeout=5) as probe:
                while not stuck.done():
                    h0 = time.monotonic()
                    assert probe.get("/healthz").status_code == 200
                    health.append(time.monotonic() - h0)
                    time.sleep(0.05)
            r = stuck.result()
            took = time.monotonic() - t0
        assert r.status_code == 504 and 1.5 <= took < 3.5
        assert r.json() == {"status": "error", "error": {"type": "timeout",
                                                         "message": "the request took longer than 1.5 s"}}
        assert len(health) >= 5 and max(health) < 0.5  # the event loop never froze
        assert wait_ready(s.url, restarts=1)["busy"] == 0
        r = httpx.post(f"{s.url}/v1/suggest", json={"text": "CT HEAD WITHOUT CONTRAST"}, timeout=20)
        assert r.status_code == 200 and r.json()["codes"][0]["code"] == "70450"


def test_a_stuck_report_in_a_batch_is_a_timeout_record_in_its_place():
    """Per-report limits in /v1/suggest/batch: a report spinning in Python code stops at the
    alarm (``record_time_limit`` CPU seconds); one stuck in a C call has its worker ended by the
    kernel at the hard limit, and the batch is sent again to the replacement with that report
    marked. Either way the answer is 200 with a ``timeout`` error record in its place and every
    other report coded."""
    cfg = ServiceConfig(workers=1, max_queue=1, timeout=60, record_time_limit=0.5)
    with Server(cfg) as s:
        r = httpx.post(f"{s.url}/v1/suggest/batch", timeout=90, json={"records": [
            {"id": "a", "text": "CT HEAD WITHOUT CONTRAST"}, {"id": "stuck", "text": "STUCK IN C CT HEAD"},
            {"id": "spin", "text": "SPIN:40 CT HEAD"}, {"id": "b", "text": "XR CHEST 2 VIEWS"}]})
        assert r.status_code == 200, r.text
        got = r.json()
        assert (got["count"], got["errors"]) == (4, 2)
        res = got["results"]
        assert [x["id"] for x in res] == ["a", "stuck", "spin", "b"]
        assert [c["code"] for c in res[0]["codes"]] == ["70450"] and [c["code"] for c in res[3]["codes"]] == ["71046"]
        brief = [{k: x[k] for k in ("id", "status", "error")} for x in res[1:3]]
        assert brief[0] == {"id": "stuck", "status": "error", "error": {"type": "timeout", "message": (
            "coding took more than 1.25 s of CPU time in a step that could not be interrupted (record_time_limit "
            "0.5); the worker process was stopped and replaced and the other reports were coded")}}
        assert brief[1] == {"id": "spin", "status": "error", "error": {"type": "timeout", "message": (
            "coding took more than 0.5 s of CPU time (record_time_limit); the other reports were coded")}}
        assert wait_ready(s.url, restarts=1)["busy"] == 0


def test_a_worker_that_dies_is_replaced_and_its_request_tried_again(tmp_path):
    """A worker process that really ends (here SIGKILL, as the out-of-memory killer would) is
    replaced and the request runs once more on a worker: a death the report did not cause gives
    the right answer; a batch report that ends its worker again becomes an error record in its
    place with every other report coded; a single report that does answers 500."""
    once_batch, once_single = tmp_path / "batch", tmp_path / "single"
    with Server(ServiceConfig(workers=2, max_queue=4, timeout=60)) as s, \
            httpx.Client(base_url=s.url, timeout=90) as c:
        batch = [{"id": "a", "text": "CT HEAD WITHOUT CONTRAST"}, {"id": "x", "text": ""},
                 {"id": "b", "text": "XR CHEST 2 VIEWS"}]
        batch[1]["text"] = f"DIE ONCE:{once_batch} CT HEAD WITHOUT CONTRAST"
        r = c.post("/v1/suggest/batch", json={"records": batch})
        assert r.status_code == 200, r.text
        assert [(x["id"], x["status"], [k["code"] for k in x["codes"]]) for x in r.json()["results"]] == [
            ("a", "ok", ["70450"]), ("x", "ok", ["70450"]), ("b", "ok", ["71046"])]
        assert once_batch.exists()

        batch[1]["text"] = "DIE NOW CT HEAD WITHOUT CONTRAST"
        r = c.post("/v1/suggest/batch", json={"records": batch})
        assert r.status_code == 200, r.text
        res = r.json()
        assert (res["count"], res["errors"]) == (3, 1)
        assert [(x["id"], x["status"]) for x in res["results"]] == [("a", "ok"), ("x", "error"), ("b", "ok")]
        assert res["results"][1]["error"] == {"type": "internal_error", "message": (
            "the worker process coding this report ended (killed or crashed), also when it was tried again; "
            "it was replaced and the other reports were coded")}

        r = c.post("/v1/suggest", json={"text": f"DIE ONCE:{once_single} XR CHEST 2 VIEWS"})
        assert r.status_code == 200 and [k["code"] for k in r.json()["codes"]] == ["71046"]

        r = c.post("/v1/suggest", json={"text": "DIE NOW XR CHEST 2 VIEWS"})
        assert r.status_code == 500
        assert r.json()["error"]["type"] == "internal_error" and "(WorkerLost)" in r.json()["error"]["message"]
        assert wait_ready(s.url, restarts=1 + 2 + 1 + 2)["busy"] == 0


# ---------------------------------------------------------------------- hostile clients


def raw_exchange(port: int, data: bytes, wait: float = 10) -> bytes:
    """Send raw bytes on a new connection and read until the server closes it."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(data)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
        return out


def split_response(raw: bytes) -> tuple[int, dict, bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


def test_slow_header_connections_do_not_lock_out_clients():
    """300 half-open connections that trickle headers and never finish them: an authenticated
    client is still served at once; each of the 300 is dropped (oldest first past the connection
    limit, the rest at the header time limit) with a JSON 408."""
    cfg = ServiceConfig(token=TOKEN, workers=1, max_connections=64, header_timeout=2.0)
    with Server(cfg) as s:
        socks = []
        try:
            for _ in range(300):
                sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
                sock.sendall(b"POST /v1/suggest HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bea")
                socks.append(sock)
            t0 = time.monotonic()
            r = httpx.post(f"{s.url}/v1/suggest", json={"text": "CT HEAD WITHOUT CONTRAST"}, headers=AUTH, timeout=10)
            served_in = time.monotonic() - t0
            assert r.status_code == 200 and r.json()["codes"][0]["code"] == "70450"
            assert served_in < 2.0
            assert httpx.post(f"{s.url}/v1/suggest", json={"text": "CT HEAD"}, timeout=10).status_code == 401
            deadline = time.monotonic() + cfg.header_timeout + 5
            answers = []
            for sock in socks:
                sock.settimeout(max(0.1, deadline - time.monotonic()))
                raw = b""
                try:
                    while chunk := sock.recv(65536):  # socket.timeout if the server kept it open
                        raw += chunk
                except ConnectionResetError:  # dropped before its bytes were read: closed with a reset
                    answers.append("reset")
                    continue
                status, headers, body = split_response(raw)
                assert (status, headers["content-type"]) == (408, "application/json")
                answers.append(json.loads(body)["error"]["type"])
        finally:
            for sock in socks:
                sock.close()
    counts = {k: answers.count(k) for k in set(answers)}
    assert len(answers) == 300 and set(counts) <= {"reset", "connection_dropped", "header_timeout"}, counts
    assert 1 <= counts.get("header_timeout", 0) <= 64, counts  # the last ones, up to the limit


def test_http_layer_errors_are_json(tight):
    status, headers, body = split_response(raw_exchange(tight.port, b"NOT HTTP AT ALL\r\n\r\n"))
    assert (status, headers["content-type"]) == (400, "application/json")
    assert json.loads(body) == {"status": "error", "error": {"type": "bad_request",
                                                             "message": "Invalid HTTP request received."}}
    r = httpx.get(f"{tight.url}/nowhere")
    assert r.status_code == 404 and r.json()["error"] == {"type": "not_found", "message": "Not Found"}
    r = httpx.get(f"{tight.url}/v1/suggest")
    assert r.status_code == 405 and r.json()["error"]["type"] == "method_not_allowed"


@pytest.mark.parametrize(("allowed", "host", "ok"), [
    (None, "localhost:8000", True), (None, "127.0.0.1", True), (None, "[::1]:9", True),
    (None, "LOCALHOST:8000", True), (None, "evil.example:8000", False), (None, "127.0.0.1.evil.example", False),
    (None, "", False), (None, "localhost:8000@evil.example", False),
    (default_allowed_hosts("127.0.0.1", 8000), "127.0.0.1:8000", True),
    (default_allowed_hosts("127.0.0.1", 8000), "[::1]:8000", True),
    (default_allowed_hosts("127.0.0.1", 8000), "localhost:8001", False),
    (default_allowed_hosts("127.0.0.1", 8000), "localhost", False),
    (default_allowed_hosts("127.0.0.1", 8000, ("coder.example.org",)), "coder.example.org", True),
    (default_allowed_hosts("0.0.0.0", 8000), "anything.example", True),
    (default_allowed_hosts("0.0.0.0", 8000, ("coder.example.org",)), "anything.example", False),
])
def test_host_allow_list(allowed, host, ok):
    assert host_allowed(host, allowed) is ok


def test_host_header_is_checked_on_every_path(tight):
    """DNS rebinding: a page on evil.example that resolves its name to 127.0.0.1 sends its own Host."""
    for path in ("/healthz", "/v1/suggest"):
        r = httpx.post(f"{tight.url}{path}", json={"text": "CT HEAD"}, headers={"Host": f"evil.example:{tight.port}"})
        assert r.status_code == 400 and r.headers["cache-control"] == "no-store"
        assert r.json()["error"] == {"type": "host_not_allowed",
                                     "message": "the Host header names a host this service does not answer for"}
    for host in (f"localhost:{tight.port}", f"127.0.0.1:{tight.port}", f"[::1]:{tight.port}"):
        assert httpx.get(f"{tight.url}/healthz", headers={"Host": host}).status_code == 200


def test_every_answer_is_no_store(srv, client):
    answers = [client.post("/v1/suggest", json={"text": "CT HEAD WITHOUT CONTRAST"}),
               client.post("/v1/suggest/batch", json={"records": ["CT HEAD"]}),
               client.post("/v1/suggest", json={"text": ""}), client.get("/version"), client.get("/nowhere"),
               httpx.post(f"{srv.url}/v1/suggest", json={"text": "CT HEAD"}), client.get("/healthz")]
    assert [r.status_code for r in answers] == [200, 200, 422, 200, 404, 401, 200]
    assert {(r.headers["cache-control"], r.headers["x-content-type-options"]) for r in answers} == {
        ("no-store", "nosniff")}


DEEP = "[" * 30_000 + "]" * 30_000  # under the 64 KiB body limit, past the parser's recursion limit


@pytest.mark.parametrize(("path", "content", "ctype", "message"), [
    ("/v1/suggest", DEEP, "application/json", f"request body is nested deeper than {MAX_JSON_DEPTH} levels"),
    ("/v1/suggest", '{"text": "CT HEAD", "ordered": ' + "[" * 70 + "]" * 70 + "}", "application/json",
     f"request body is nested deeper than {MAX_JSON_DEPTH} levels"),
    ("/v1/suggest", DEEP, FHIR, f"request body is nested deeper than {MAX_JSON_DEPTH} levels"),
    ("/v1/suggest/batch", '{"records": ' + DEEP + "}", "application/json",
     f"request body is nested deeper than {MAX_JSON_DEPTH} levels"),
    ("/v1/suggest", '{"text": "CT HEAD", "id": ' + "9" * 5000 + "}", "application/json",
     "request body holds a number too long to read"),
    ("/v1/suggest/batch", '{"records": [{"text": "CT HEAD", "id": ' + "9" * 5000 + "}]}", "application/json",
     "request body holds a number too long to read"),
])
def test_deep_nesting_and_huge_numbers(client, path, content, ctype, message):
    r = client.post(path, content=content.encode(), headers={"Content-Type": ctype})
    assert r.status_code == 422
    assert r.json() == {"status": "error", "error": {"type": "invalid_json", "message": message}}


def test_lone_surrogates_in_any_field(client):
    """JSON may escape half of a surrogate pair: it becomes U+FFFD, one character for one."""
    body = b'{"id": "A\\ud800", "text": "CT HEAD WITHOUT CONTRAST \\udc00", "ordered": "\\ud83d 70450", "payer": "medicare"}'
    r = client.post("/v1/suggest", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 200
    rec = r.json()
    assert rec["id"] == "A\ufffd" and [c["code"] for c in rec["codes"]] == ["70450"]
    r = client.post("/v1/suggest", content=b'{"text": "CT HEAD", "\\udfff": 1}', headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["error"]["message"] == "\ufffd: unknown field (expected text, id, ordered, billing, payer)"
    batch = b'{"records": ["XR CHEST 2 VIEWS \\ud800", {"id": "b\\udc00", "text": 5}, {"text": "CT HEAD", "payer": "\\ud800"}]}'
    r = client.post("/v1/suggest/batch", content=batch, headers={"Content-Type": "application/json"})
    assert r.status_code == 200
    got = [(x["id"], x["status"], x.get("error", {}).get("type")) for x in r.json()["results"]]
    assert got == [("line-1", "ok", None), ("b\ufffd", "error", "invalid_record"), ("line-3", "error", "unknown_payer")]


def test_batch_item_that_breaks_the_pipeline_is_an_error_record_in_place(client, caplog):
    caplog.set_level(logging.INFO, logger="suggester.access")
    r = client.post("/v1/suggest/batch", json={"records": ["CT HEAD WITHOUT CONTRAST",
                                                           {"id": "x", "text": "BOOM ZEBRAFINCH"}, "XR LEFT KNEE 3 VIEWS"]})
    assert r.status_code == 200
    results = r.json()["results"]
    assert [(x["id"], x["status"]) for x in results] == [("line-1", "ok"), ("x", "error"), ("line-3", "ok")]
    assert results[1]["error"]["type"] == "internal_error"
    assert re.fullmatch(r"internal error \(RuntimeError at test_service\.py:\d+\) while coding this record",
                        results[1]["error"]["message"])
    r = client.post("/v1/suggest", json={"text": "BOOM ZEBRAFINCH"}, headers={"Accept": HL7})
    assert r.status_code == 422 and r.text.split("\r")[1].startswith("MSA|AE|")
    assert "ZEBRAFINCH" not in "\n".join(rec.getMessage() for rec in caplog.records) + r.text + str(results)


# ---------------------------------------------------------------------- logs


def test_access_log_is_structured_and_has_no_report_text(client, caplog):
    caplog.set_level(logging.INFO, logger="suggester.access")
    secret = "ZEBRAFINCH"
    r = client.post("/v1/suggest", json={"id": "MRN-778812", "text": f"CT HEAD WITHOUT CONTRAST {secret}"})
    client.post("/v1/suggest", json={"id": "MRN-778812", "text": secret, "payer": "acme"})  # an error record
    client.post("/v1/suggest", content=f'{{"text": "{secret}",'.encode(), headers={"Content-Type": "application/json"})
    lines = access_lines(caplog)
    assert len(lines) == 3
    first = lines[0]
    assert first["request_id"] == r.headers["x-request-id"]
    assert {k: first[k] for k in ("event", "method", "path", "status", "records", "errors", "codes", "client")} == {
        "event": "access", "method": "POST", "path": "/v1/suggest", "status": 200, "records": 1, "errors": 0,
        "codes": 1, "client": "127.0.0.1"}
    assert first["duration_ms"] > 0 and first["bytes_in"] > 0 and first["bytes_out"] > 0
    assert [(x["status"], x.get("error")) for x in lines[1:]] == [(422, "unknown_payer"), (422, "invalid_json")]
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert secret not in everything and "MRN-778812" not in everything


def descendants(pid: int) -> list[int]:
    """The processes started by ``pid``, their children and so on (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            kids = [int(c) for t in Path(f"/proc/{p}/task").iterdir() for c in (t / "children").read_text().split()]
        except OSError:
            continue
        found += kids
        todo += kids
    return found


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_serve_subprocess_end_to_end(tmp_path):
    """`suggester serve` as a user runs it: token file, auth, JSON access log on stderr."""
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    proc = subprocess.Popen([sys.executable, "-m", "suggester.cli", "serve", "--port", str(port),
                             "--token-file", str(token_file), "--workers", "1", "--allow-host", "coder.example.org"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "suggester serve did not come up"
            time.sleep(0.1)
        assert httpx.post(f"{url}/v1/suggest", json={"text": "CT HEAD"}, timeout=20).status_code == 401
        r = httpx.post(f"{url}/v1/suggest", json={"text": "CT HEAD WITHOUT CONTRAST ZEBRAFINCH"}, headers=AUTH,
                       timeout=20)
        assert r.status_code == 200 and r.json()["codes"][0]["x12"] == "HC:70450:26"
        # bound to loopback: only the loopback names with this port (DNS rebinding), plus --allow-host
        for host, status in ((f"localhost:{port}", 200), (f"[::1]:{port}", 200), ("coder.example.org", 200),
                             (f"localhost:{port + 1}", 400), (f"evil.example:{port}", 400)):
            assert httpx.get(f"{url}/healthz", headers={"Host": host}, timeout=20).status_code == status, host
        assert httpx.get(f"{url}/healthz", timeout=20).json()["workers"]["total"] == 1
        family = descendants(proc.pid)
        assert len(family) >= 2  # the fork server and the worker
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    deadline = time.monotonic() + 10  # clean shutdown: no process of the service is left
    while (left := [p for p in family if alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left == []
    log = [json.loads(line) for line in err.decode().splitlines() if line.startswith("{")]
    assert [(x["path"], x["status"]) for x in log if x["path"] != "/healthz"] == [("/v1/suggest", 401),
                                                                                ("/v1/suggest", 200)]
    assert "ZEBRAFINCH" not in err.decode()


def test_core_install_imports_without_the_extras():
    """Without fastapi/uvicorn/hl7/hl7apy/fhir.resources the package imports and names the extra to install."""
    code = """
import sys
for name in ("fastapi", "uvicorn", "starlette", "hl7", "hl7apy", "fhir", "fhir.resources"):
    sys.modules[name] = None
import suggester.cli, suggester.io, suggester.service
from suggester.integrations import MissingExtraError, hl7, fhir, x12
assert x12.sv1_composite("73070", ["26", "RT"]) == "HC:73070:26:RT"
suggester.cli.build_parser().parse_args(["serve"])
for call, extra in ((lambda: suggester.service.create_app(), "service"),
                    (lambda: list(hl7.read_hl7(b"MSH|^~\\\\&|A|B|C|D|1||ORU^R01|1|P|2.5")), "hl7"),
                    (lambda: list(fhir.read_fhir(b'{"resourceType": "Bundle"}')), "fhir")):
    try:
        call()
    except MissingExtraError as e:
        assert f"pip install 'suggester[{extra}]'" in str(e), e
    else:
        raise AssertionError(extra)
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
