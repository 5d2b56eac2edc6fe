"""HTTP service: the suggester as an assist step for a RIS, a dictation system or a claim scrubber.

    suggester serve --host 127.0.0.1 --port 8000 --token-file /etc/suggester/token

Endpoints:

* ``POST /v1/suggest``: one report. The body is JSON ``{"text", "id"?, "ordered"?, "billing"?,
  "payer"?}``, an HL7 v2 ORU^R01 (``x-application/hl7-v2+er7``, or ``text/plain`` starting with
  MSH), a FHIR R4 DiagnosticReport or Bundle (``application/fhir+json``), or plain report text
  (``text/plain``). The answer is the CLI's output record, each code line with its ``x12``
  SV1-01 composite; ``Accept: x-application/hl7-v2+er7`` answers a DFT^P03 instead and
  ``Accept: application/fhir+json`` a Claim Bundle.
* ``POST /v1/suggest/batch``: up to ``max_batch`` reports (JSON ``{"records": [...]}``, a file of
  HL7 messages, or a FHIR Bundle); ``{"results": [...]}`` in input order, bad records, and
  reports over ``record_time_limit`` CPU seconds (``timeout``), as error records in place.
* ``GET /healthz`` (no auth), ``GET /version``, ``GET /openapi.json``; ``GET /docs`` (a local
  page without scripts) only when no token is set.

How it runs: the event loop (uvicorn) only reads requests, checks them and writes answers; the
pipeline, and the parsing and formatting of bodies, run in ``workers`` worker PROCESSES (one
per core by default), each with its own Suggester, behind a bounded queue: overload answers 503
at once. A request over its time limit answers 504 and its worker process is killed and
replaced, so a stuck report can stall neither the event loop (``/healthz``) nor a worker; a
worker process that dies is replaced and its request runs once more (see :func:`after_loss`).

Safe by default: binds 127.0.0.1; refuses a non-loopback address without a bearer token
(``SUGGESTER_API_TOKEN`` or a token file); on a loopback bind accepts only ``Host:`` localhost,
127.0.0.1 or [::1] with the port (DNS rebinding); limits the body, the time to send the headers
and the body, the connections (the oldest connection still waiting for its request is dropped
first, so idle or slow-header sockets cannot lock clients out), the time and the work in flight;
answers ``Cache-Control: no-store``; writes one JSON access-log line per request, never with
report text or record ids.

Errors answer ``{"status": "error", "error": {"type", "message"}}``, also those of the HTTP
layer: 400 malformed HTTP or Host, 401 auth, 408 slow client, 413 too large, 415 content type,
422 malformed or unusable input, 500 a bug, 503 overload, 504 timeout.

To add routes, include an ``APIRouter`` in the app ``create_app`` returns: ``app.state.authorize``
is the bearer-token dependency, ``await app.state.run(request, fn, *args)`` runs the module-level
function ``fn(suggester, *args)`` in a worker process (the result comes back pickled; a job whose
worker process dies runs once more on its replacement, so a job must be safe to repeat).
"""

import asyncio
import functools
import hmac
import html
import ipaddress
import json
import logging
import multiprocessing as mp
import os
import pickle
import re
import signal
import socket
import sys
import time
import traceback
import uuid
from collections import deque
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field, fields
from http import HTTPStatus
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

if TYPE_CHECKING:  # the event-loop process never imports the pipeline: the workers run it
    from .pipeline import Suggester

TOKEN_ENV = "SUGGESTER_API_TOKEN"
MIN_TOKEN_LENGTH = 16
HL7_TYPES = ("x-application/hl7-v2+er7", "application/hl7-v2", "application/hl7-v2+er7")
FHIR_TYPES = ("application/fhir+json", "application/json+fhir")
JSON_FIELDS = ("text", "id", "ordered", "billing", "payer")
MAX_JSON_DEPTH = 64  # a FHIR Bundle with contained resources is about 10 deep
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
access_log = logging.getLogger("suggester.access")
_REQUEST_ID_RX = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_SURROGATE_RX = re.compile("[\ud800-\udfff]")


def default_workers() -> int:
    """One worker process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class ServiceConfigError(ValueError):
    """The service cannot start as configured (the message says why)."""


@dataclass(frozen=True)
class ServiceConfig:
    token: str | None = None
    max_body_bytes: int = 4 * 1024 * 1024
    timeout: float = 10.0  # seconds, for reading the body and again for the work
    workers: int = field(default_factory=default_workers)  # worker processes
    max_queue: int = 32  # requests waiting for a worker beyond those running
    max_batch: int = 100
    # CPU seconds per report of a batch: past it the report becomes a ``timeout`` error record in
    # its place and the others are coded (0: none; the request's ``timeout`` still applies)
    record_time_limit: float = 4.0
    max_connections: int = 256  # open connections; past it the oldest one still idle is dropped
    header_timeout: float = 10.0  # seconds for a client to send a request's headers
    # Host header values accepted ("name" any port, "name:port" that port, "*" any host);
    # None: localhost, 127.0.0.1 and [::1] on any port (``serve`` narrows it to its own port)
    allowed_hosts: tuple[str, ...] | None = None
    billing: str = "professional"
    payer: str = "medicare"
    lexicon: str | None = None
    # the review workbench's SQLite file (suggester/workbench): when set, the worklist API and
    # the /review page are served too, under the same auth and limits
    db: str | None = None
    # release points (family, threshold) as ``suggester serve --release FAMILY=T`` gives them;
    # none: the confidence model's shipped points
    release: tuple[tuple[str, float], ...] = ()

    def __post_init__(self):
        for name in ("max_body_bytes", "workers", "max_batch", "max_connections"):
            if getattr(self, name) < 1:
                raise ServiceConfigError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.max_queue < 0:
            raise ServiceConfigError(f"max_queue must be 0 or more, got {self.max_queue}")
        for name in ("timeout", "header_timeout"):
            if not getattr(self, name) > 0:
                raise ServiceConfigError(f"{name} must be positive, got {getattr(self, name)}")
        if not self.record_time_limit >= 0:
            raise ServiceConfigError(f"record_time_limit must be 0 or more, got {self.record_time_limit}")
        if self.token is not None and len(self.token) < MIN_TOKEN_LENGTH:
            raise ServiceConfigError(f"the API token must be at least {MIN_TOKEN_LENGTH} characters")
        if self.allowed_hosts is not None:
            if isinstance(self.allowed_hosts, str) or not all(isinstance(h, str) and h for h in self.allowed_hosts):
                raise ServiceConfigError(f"allowed_hosts must be a tuple of host names, got {self.allowed_hosts!r}")
            object.__setattr__(self, "allowed_hosts", tuple(h.strip().lower() for h in self.allowed_hosts))


# ---------------------------------------------------------------------- safety checks


def load_token(token: str | None = None, token_file: str | os.PathLike | None = None,
               environ=None) -> str | None:
    """The bearer token: given, else read from ``token_file``, else ``$SUGGESTER_API_TOKEN``."""
    if token:
        return token
    if token_file:
        try:
            value = Path(token_file).read_text(encoding="utf-8").strip()
        except OSError as e:
            raise ServiceConfigError(f"cannot read the token file {token_file}: {e.strerror}") from None
        if not value:
            raise ServiceConfigError(f"the token file {token_file} is empty")
        return value
    value = (os.environ if environ is None else environ).get(TOKEN_ENV, "").strip()
    return value or None


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it could resolve to anything


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen beyond this machine without a token."""
    if not token and not is_loopback(host):
        raise ServiceConfigError(
            f"refusing to bind {host!r} without an API token: anyone who can reach it could use it. "
            f"Set {TOKEN_ENV} or pass --token-file, or bind 127.0.0.1")


def default_allowed_hosts(host: str, port: int, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The Host values to accept when serving on ``host:port``: on a loopback bind only the
    loopback names with this port (a page on another site that rebinds its name to 127.0.0.1
    sends its own name), elsewhere any (the token guards it) unless ``extra`` names some."""
    if is_loopback(host):
        return tuple(f"{name}:{port}" for name in LOOPBACK_NAMES) + tuple(extra)
    return tuple(extra) or ("*",)


def host_allowed(value: str, allowed: tuple[str, ...] | None) -> bool:
    """Whether a ``Host`` header value is in the allow-list (see :class:`ServiceConfig`)."""
    allowed = LOOPBACK_NAMES if allowed is None else allowed
    if "*" in allowed:
        return True
    value = value.strip().lower()
    m = re.fullmatch(r"(\[[0-9a-f:.]+\]|[^:\[\]]+)(?::(\d{1,5}))?", value)
    if not m:
        return False
    name = m.group(1)
    return value in allowed or name in allowed


# ---------------------------------------------------------------------- worker processes


class Overloaded(Exception):
    pass


class WorkerError(Exception):
    """A job failed in a worker process: the exception's type and place only (its message could
    quote a report), or the worker process died (``lost``, with its ``exitcode``; ``record``: the
    number of the batch record it was coding then, 0 if none or unknown; ``stopped``: that number
    when the kernel ended it at the hard CPU limit, see ``suggester.batch.hard_limit``)."""

    def __init__(self, kind: str, where: str, lost: bool = False, stopped: int = 0, *,
                 exitcode: int | None = None, record: int = 0):
        super().__init__(f"{kind} at {where}")
        self.kind, self.where, self.lost, self.stopped = kind, where, lost, stopped
        self.exitcode, self.record = exitcode, record


def _where(e: BaseException) -> str:
    tb = traceback.extract_tb(e.__traceback__)
    return f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"


# The messages between the event loop and a worker: frames of an 8-byte big-endian length and
# a pickle. The worker's end of the socket blocks; the loop's end is an asyncio transport (never
# a blocking read or write on the loop, whatever mode the loop puts the socket in: uvloop makes
# every descriptor it watches non-blocking).
_FRAME_HEADER = 8


def frame(obj) -> bytes:
    """``obj`` as one frame (raises what pickling raises)."""
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(_FRAME_HEADER, "big") + data


def _recv_exact(sock: socket.socket, n: int) -> bytearray:
    buf = bytearray(n)
    view, got = memoryview(buf), 0
    while got < n:
        k = sock.recv_into(view[got:])
        if not k:
            raise EOFError
        got += k
    return buf


def recv_frame(sock: socket.socket):
    """The next frame's object from a blocking socket (``EOFError`` when the other end closed)."""
    size = int.from_bytes(_recv_exact(sock, _FRAME_HEADER), "big")
    return pickle.loads(_recv_exact(sock, size))


def _worker_main(sock: socket.socket, factory: Callable[[], "Suggester"], progress=None, slot: int = 0,
                 record_time_limit: float | None = None) -> None:
    """A worker process: build one Suggester, then run ``fn(suggester, *args)`` jobs one at a time.
    The reports of a batch are coded under ``record_time_limit`` (``suggester.batch.limited``:
    the alarm, and the kernel's hard limit with the report's number in ``progress[slot]``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the parent stops us
    sock.setblocking(True)
    from .batch import settle_heap, watch_records, worker_gc

    if progress is not None:
        watch_records(progress, slot, record_time_limit)
    try:
        s = factory()
        versions = dict(s.versions)
    except BaseException as e:  # a configuration or model error: the parent reports it
        sock.sendall(frame(("failed", f"{type(e).__name__}: {e}")))
        return
    settle_heap()  # the pipeline's objects out of the cycle collector's sight
    worker_gc()
    sock.sendall(frame(("ready", versions)))
    while True:
        try:
            msg = recv_frame(sock)
        except (EOFError, OSError):  # the parent has gone
            return
        if msg is None:
            return
        fn, args = msg
        out: tuple  # ("ok", result) | ("err", exception type, where)
        try:
            out = ("ok", fn(s, *args))
        except Exception as e:
            out = ("err", type(e).__name__, _where(e))
        try:
            data = frame(out)
        except Exception as e:  # the result cannot be pickled: a bug in the job, not a death
            data = frame(("err", type(e).__name__, "pickling the result"))
        sock.sendall(data)


class _Link(asyncio.Protocol):
    """The event loop's end of one worker's socket. A frame is written through the transport
    (which buffers what the socket cannot take at once, so a large request never blocks the
    loop) and read as its bytes arrive: a worker that is slow to finish writing a reply (a large
    one is written in pieces, and a busy machine can stop the worker between them) is waited
    for, never taken for dead. Only the end of the stream, the worker's end closed because the
    process ended, calls ``on_lost``."""

    def __init__(self, on_message: Callable[[Any], None], on_lost: Callable[[], None]):
        self.on_message, self.on_lost = on_message, on_lost
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self._buf = bytearray()

    def connection_made(self, transport) -> None:
        self.transport = transport
        if self.closed:  # closed while it was being set up (the pool is closing)
            transport.close()

    def data_received(self, data: bytes) -> None:
        self._buf += data
        while not self.closed and len(self._buf) >= _FRAME_HEADER:
            end = _FRAME_HEADER + int.from_bytes(self._buf[:_FRAME_HEADER], "big")
            if len(self._buf) < end:
                return  # the rest of the frame is still on its way
            try:
                msg = pickle.loads(self._buf[_FRAME_HEADER:end])
            except Exception as e:  # noqa: BLE001  (a reply that cannot be read fails its job only)
                msg = ("err", type(e).__name__, "reading the result")
            del self._buf[:end]
            self.on_message(msg)

    def connection_lost(self, exc) -> None:
        if not self.closed:
            self.closed = True
            self.on_lost()

    def send(self, obj) -> None:
        """Queue ``obj`` for the worker (raises what pickling raises, ``OSError`` when closed)."""
        if self.closed or self.transport is None or self.transport.is_closing():
            raise ConnectionResetError("the worker's socket is closed")
        self.transport.write(frame(obj))

    def close(self) -> None:
        """Close our end (what is queued is still written): the worker reads the end and exits."""
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class _Job:
    __slots__ = ("fn", "args", "fut", "worker", "released")

    def __init__(self, fn, args, fut):
        self.fn, self.args, self.fut, self.worker, self.released = fn, args, fut, None, False


class _Worker:
    __slots__ = ("slot", "proc", "conn", "ready", "job", "started")

    def __init__(self, slot: int) -> None:
        self.slot = slot
        self.proc: BaseProcess | None = None  # these four are set while the worker is up
        self.conn: _Link | None = None
        self.ready = False
        self.job: _Job | None = None
        self.started: float | None = None


def _mp_context():
    # forkserver: a worker starts from a clean process that has already imported the pipeline
    # (a replacement is up in the time it takes to build a Suggester), never from a fork of the
    # threaded event-loop process; spawn where there is no forkserver
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["suggester.pipeline"])
        return ctx
    return mp.get_context("spawn")


class ProcessPool:
    """``workers`` processes, each with its own Suggester, behind a bounded queue (asyncio side).

    ``await call(fn, *args, timeout=...)`` runs the module-level function ``fn(suggester, *args)``
    in a free worker. It refuses at once with :class:`Overloaded` when ``workers + max_queue``
    jobs are in flight. At the time limit it raises ``asyncio.TimeoutError``: a queued job is
    dropped, a running one has its process killed and replaced. A job whose caller went away
    (client disconnected) runs to its end and keeps its place until then. A worker that dies
    fails its job with ``WorkerError(lost=True)`` and is replaced.
    """

    def __init__(self, factory: Callable[[], "Suggester"], workers: int, max_queue: int, *, mp_context=None,
                 record_time_limit: float | None = None):
        self.factory, self.size, self.capacity = factory, workers, workers + max_queue
        self._ctx = mp_context or _mp_context()
        self.record_time_limit = record_time_limit
        self._progress = self._ctx.Array("q", workers, lock=False)  # the report each worker is on (0: none)
        self._workers = [_Worker(n) for n in range(workers)]
        self._queue: deque[_Job] = deque()
        self._inflight = 0
        self._closing = False
        self._tasks: set = set()
        self._ready_waiters: dict[int, asyncio.Future] = {}
        # set by start(); every method but `started` runs after it
        self._loop: asyncio.AbstractEventLoop = None  # type: ignore[assignment]
        self.restarts = 0
        self.versions: dict = {}

    # -- life cycle
    @property
    def started(self) -> bool:
        return self._loop is not None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        waiters = [self._loop.create_future() for _ in self._workers]
        for w, f in zip(self._workers, waiters, strict=True):
            self._ready_waiters[w.slot] = f
        await asyncio.gather(*(self._spawn(w) for w in self._workers))
        try:
            await asyncio.gather(*waiters)
        except BaseException:
            await self.close()
            raise

    async def _spawn(self, w: _Worker) -> None:
        ours, theirs = socket.socketpair()
        self._progress[w.slot] = 0
        proc = self._ctx.Process(target=_worker_main,
                                 args=(theirs, self.factory, self._progress, w.slot, self.record_time_limit),
                                 name=f"suggester-worker-{w.slot}", daemon=True)
        try:
            # the first start also starts the fork server (it imports the pipeline): not on the loop
            await self._loop.run_in_executor(None, proc.start)
        finally:
            theirs.close()
        if self._closing:
            proc.kill()
            ours.close()
            return
        link = _Link(functools.partial(self._on_message, w), functools.partial(self._lost, w))
        w.proc, w.conn, w.ready, w.job, w.started = proc, link, False, None, time.monotonic()
        await self._loop.create_unix_connection(lambda: link, sock=ours)

    def _respawn(self, w: _Worker, delay: float = 0.0) -> None:
        if self._closing:
            return
        self.restarts += 1

        async def again():
            if delay:
                await asyncio.sleep(delay)
            await self._spawn(w)

        task = self._loop.create_task(again())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _detach(self, w: _Worker, kill: bool) -> None:
        if w.conn is not None:
            w.conn.close()
        if w.proc is not None:
            if kill:
                w.proc.kill()
            proc = w.proc
            self._loop.run_in_executor(None, proc.join, 5)  # reap it off the loop
        w.proc, w.conn, w.ready = None, None, False

    async def close(self) -> None:
        self._closing = True
        while self._queue:
            job = self._queue.popleft()
            job.fut.cancel()
            self._release(job)
        procs = []
        for w in self._workers:
            if w.conn is None:
                continue
            try:
                if w.job is None:
                    w.conn.send(None)
                elif w.proc is not None:
                    w.proc.kill()
            except OSError:
                pass
            w.conn.close()
            procs.append(w.proc)
            w.proc, w.conn, w.ready = None, None, False

        def reap():
            for p in procs:
                p.join(5)
                if p.is_alive():
                    p.kill()
                    p.join(5)

        await self._loop.run_in_executor(None, reap)

    # -- messages from the workers
    def _on_message(self, w: _Worker, msg: tuple) -> None:
        kind = msg[0]
        if kind == "ready":
            w.ready = True
            self.versions = msg[1]
            waiter = self._ready_waiters.pop(w.slot, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)
            self._dispatch()
        elif kind == "failed":
            self._detach(w, kill=True)
            waiter = self._ready_waiters.pop(w.slot, None)
            if waiter is not None:  # at start-up: the service cannot run
                if not waiter.done():
                    waiter.set_exception(ServiceConfigError(f"a worker process could not start: {msg[1]}"))
            else:  # a replacement: say so and try again later
                access_log.error(json.dumps({"event": "worker_failed", "slot": w.slot}))
                self._respawn(w, delay=5.0)
        else:
            job, w.job = w.job, None
            if job is not None:
                self._release(job)
                if not job.fut.done():
                    if kind == "ok":
                        job.fut.set_result(msg[1])
                    else:
                        job.fut.set_exception(WorkerError(msg[1], msg[2]))
            self._dispatch()

    def _lost(self, w: _Worker) -> None:
        """The worker's end of its socket closed: the process ended (killed by the system, a
        crash in native code, the hard CPU limit). Its exit code and the record it was on are
        read once the process is reaped (off the loop), then its job fails and it is replaced."""
        proc, job, w.job = w.proc, w.job, None
        w.proc, w.conn, w.ready = None, None, False
        waiter = self._ready_waiters.pop(w.slot, None)
        if waiter is not None and not waiter.done():
            waiter.set_exception(ServiceConfigError("a worker process died while starting"))
        task = self._loop.create_task(self._reap_lost(w, proc, job, starting=waiter is not None))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _reap_lost(self, w: _Worker, proc: BaseProcess | None, job: _Job | None, starting: bool) -> None:
        from .batch import HARD_LIMIT_SIGNAL

        code = None
        if proc is not None:
            def reap() -> int | None:
                proc.join(5)  # its socket closed as it exited: normally at once
                if proc.exitcode is None:  # alive with its socket closed: not a worker we can use
                    proc.kill()
                    proc.join(5)
                return proc.exitcode

            code = await self._loop.run_in_executor(None, reap)
        record = self._progress[w.slot]  # not reset until the replacement starts (below)
        stopped = record if HARD_LIMIT_SIGNAL is not None and code == -HARD_LIMIT_SIGNAL else 0
        if job is not None:
            self._release(job)
            if not job.fut.done():
                job.fut.set_exception(WorkerError("WorkerLost", f"exit code {code}", lost=True, stopped=stopped,
                                                  exitcode=code, record=record))
        access_log.error(json.dumps({"event": "worker_lost", "slot": w.slot, "exitcode": code}))
        if not starting:
            self._respawn(w)

    # -- jobs
    def _release(self, job: _Job) -> None:
        if not job.released:
            job.released = True
            self._inflight -= 1

    def _dispatch(self) -> None:
        for w in self._workers:
            if not self._queue:
                return
            if not w.ready or w.job is not None or w.conn is None:
                continue
            while self._queue:
                job = self._queue.popleft()
                if job.fut.done():  # gave up while queued
                    continue
                try:
                    w.conn.send((job.fn, job.args))
                except OSError:  # the worker died just now; its end of the stream follows
                    self._queue.appendleft(job)
                    w.ready = False
                    break
                except Exception as e:  # could not pickle the job
                    self._release(job)
                    job.fut.set_exception(WorkerError(type(e).__name__, "pickling the job"))
                    continue
                w.job, job.worker = job, w
                break

    async def call(self, fn: Callable, *args, timeout: float):
        if self._closing or self._inflight >= self.capacity:
            raise Overloaded
        job = _Job(fn, args, self._loop.create_future())
        self._inflight += 1
        self._queue.append(job)
        self._dispatch()
        try:
            return await _within(asyncio.shield(job.fut), timeout)
        except asyncio.TimeoutError:
            self._give_up(job, kill=True)
            raise
        except asyncio.CancelledError:
            self._give_up(job, kill=False)
            raise

    def _give_up(self, job: _Job, kill: bool) -> None:
        if job.fut.done():
            return
        job.fut.cancel()
        w = job.worker
        if w is None or w.job is not job:  # still queued: its place is free at once
            self._release(job)
            return
        if kill:  # stuck or slow: the only way to stop it is to end its process
            w.job = None
            self._release(job)
            self._detach(w, kill=True)
            self._respawn(w)
        # else: the caller went away; the job runs to its end and keeps its place until then

    def stats(self) -> dict:
        return {"total": self.size, "ready": sum(w.ready for w in self._workers),
                "busy": sum(w.job is not None for w in self._workers),
                "queued": sum(not j.fut.done() for j in self._queue), "restarts": self.restarts}


# ---------------------------------------------------------------------- jobs (run in the workers)


class ApiError(Exception):
    def __init__(self, status: int, kind: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.kind, self.message, self.headers = status, kind, message, headers or {}


class Reply(NamedTuple):
    """An answer built in a worker: status, media type, body bytes, extra headers, log fields."""
    status: int
    media_type: str
    body: bytes
    headers: dict = {}
    log: dict = {}


def error_body(kind: str, message: str, rid=None) -> dict:
    body = {"status": "error", "error": {"type": kind, "message": message}}
    return {"id": rid, **body} if rid is not None else body


def json_bytes(obj) -> bytes:
    """Compact UTF-8 JSON; a lone surrogate that got this far becomes '?' rather than a crash."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8", "replace")


def error_reply(e: ApiError) -> Reply:
    return Reply(e.status, "application/json", json_bytes(error_body(e.kind, e.message)), e.headers, {"error": e.kind})


def _media(header: str) -> str:
    return header.split(";")[0].strip().lower()


def _wants(accept: str) -> str:
    accept = accept.lower()
    if any(t in accept for t in HL7_TYPES):
        return "hl7"
    if any(t in accept for t in FHIR_TYPES):
        return "fhir"
    return "json"


def _body_kind(content_type: str, body: bytes) -> str:
    ctype = _media(content_type)
    head = body.lstrip(b"\x0b\xef\xbb\xbf \t\r\n")[:3]
    if ctype in HL7_TYPES or (ctype in ("text/plain", "") and head == b"MSH"):
        return "hl7"
    if ctype in FHIR_TYPES:
        return "fhir"
    if ctype == "application/json" or ctype.endswith("+json") or ctype == "":
        return "json"
    if ctype == "text/plain":
        return "text"
    raise ApiError(415, "unsupported_media_type",
                   f"content type {ctype!r} is not accepted; send application/json, "
                   f"x-application/hl7-v2+er7, application/fhir+json or text/plain")


def _json_depth_over(obj, limit: int) -> bool:
    stack = [(obj, 1)]
    while stack:
        o, depth = stack.pop()
        children = o.values() if isinstance(o, dict) else o
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False


def parse_json(body: bytes):
    """The JSON body, or ApiError 422 ``invalid_json`` saying what is wrong with it."""
    if not body.strip():
        raise ApiError(422, "invalid_json", 'request body is empty; send JSON such as {"text": "..."}')
    try:
        obj = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ApiError(422, "invalid_json", "request body is not UTF-8 JSON") from None
    except json.JSONDecodeError as e:
        raise ApiError(422, "invalid_json",
                       f"request body is not valid JSON: {e.msg.removesuffix(' at')} at line {e.lineno} column "
                       f"{e.colno}") from None
    except RecursionError:  # nested past the parser's own limit
        obj = too_deep = None
    except ValueError:  # an integer of more than sys.get_int_max_str_digits() digits
        raise ApiError(422, "invalid_json", "request body holds a number too long to read") from None
    else:
        too_deep = isinstance(obj, (dict, list)) and _json_depth_over(obj, MAX_JSON_DEPTH)
    if too_deep is not False:
        raise ApiError(422, "invalid_json", f"request body is nested deeper than {MAX_JSON_DEPTH} levels")
    return obj


def _clean(rec: dict) -> dict:
    """A lone surrogate (JSON ``"\\ud800"``) in a string field becomes U+FFFD: one character for
    one, so evidence offsets still point into the text the client sent."""
    if not isinstance(rec, dict) or not any(isinstance(v, str) and _SURROGATE_RX.search(v) for v in rec.values()):
        return rec
    return {k: _SURROGATE_RX.sub("\ufffd", v) if isinstance(v, str) else v for k, v in rec.items()}


def json_record(obj, where: str = "") -> dict:
    """Check one JSON request record; ApiError 422 naming every bad field."""
    if not isinstance(obj, dict):
        raise ApiError(422, "invalid_record",
                       f"{where or 'body'}: expected a JSON object with a \"text\" field, got {type(obj).__name__}"
                       + ("" if where or not isinstance(obj, list) else "; send lists to /v1/suggest/batch"))
    problems = [f"{where}{k}: unknown field (expected {', '.join(JSON_FIELDS)})" for k in obj if k not in JSON_FIELDS]
    if "text" not in obj:
        problems.append(f"{where}text: required")
    for k in JSON_FIELDS:
        v = obj.get(k)
        if v is not None and not isinstance(v, str) and not (k == "id" and isinstance(v, int) and not isinstance(v, bool)):
            problems.append(f"{where}{k}: expected a string, got {type(v).__name__}")
    if problems:
        raise ApiError(422, "invalid_record", _SURROGATE_RX.sub("\ufffd", "; ".join(problems)))
    rec = {k: obj[k] for k in JSON_FIELDS if obj.get(k) is not None}
    if "id" in rec:
        rec["id"] = str(rec["id"])
    return _clean(rec)


def records_from_body(kind: str, body: bytes) -> list[dict]:
    """Input records from an HL7 or FHIR body (error records for unreadable messages)."""
    if kind == "hl7":
        from .integrations.hl7 import read_hl7

        return [_clean(r) for r in read_hl7(body)]
    from .integrations.fhir import read_fhir

    parse_json(body)  # nesting and number limits, with the same errors as JSON bodies
    return [_clean(r) for r in read_fhir(body)]


def _status_of(record: dict) -> int:
    if record.get("status") != "error":
        return 200
    return 413 if record["error"]["type"] == "text_too_large" else 422


def _code_one(s: "Suggester", src, n: int) -> dict:
    """One record through the pipeline; an unexpected exception becomes its error record."""
    from .integrations.x12 import with_x12
    from .pipeline import error_record

    try:
        return with_x12(s.suggest_record(src, n))
    except Exception as e:  # a bug: typed, placed, without the message (it could quote the report)
        rid = str(src["id"]) if isinstance(src, dict) and src.get("id") not in (None, "") else f"line-{n}"
        return error_record(rid, "internal_error",
                            f"internal error ({type(e).__name__} at {_where(e)}) while coding this record")


def _format(record: dict, wants: str, source) -> str:
    from .integrations import format_record
    from .pipeline import error_record

    try:
        return format_record(record, wants, source if isinstance(source, dict) else None)
    except Exception as e:  # the record cannot be written in that format: say so in its place
        err = error_record(record.get("id") or "-", "internal_error",
                           f"internal error ({type(e).__name__} at {_where(e)}) while writing this record as {wants}")
        return format_record(err, wants, None)


def suggest_job(s: "Suggester", req: dict) -> Reply:
    """``POST /v1/suggest`` in a worker: parse the body, code the report, write the answer."""
    try:
        body = req["body"]
        kind = _body_kind(req["content_type"], body)
        src: dict | None = None
        if kind == "json":
            obj = parse_json(body)
            if isinstance(obj, dict) and "resourceType" in obj:
                kind = "fhir"
            else:
                src = json_record(obj)
                src.setdefault("id", req["request_id"])
        elif kind == "text":
            src = _clean({"id": req["request_id"], "text": body.decode("utf-8", "replace")})
        if src is None:
            found = records_from_body(kind, body)
            if len(found) != 1:
                raise ApiError(422, "not_one_report", f"the body holds {len(found)} reports; "
                               f"send one, or post them to /v1/suggest/batch")
            src = found[0]
    except ApiError as e:
        return error_reply(e)
    record = _code_one(s, src, 1)
    failed = record.get("status") == "error"
    log = {"records": 1, "errors": int(failed), "codes": len(record.get("codes", ())),
           **({"error": record["error"]["type"]} if failed else {})}
    status = _status_of(record)
    wants = _wants(req["accept"])
    if wants == "hl7":
        return Reply(status, HL7_TYPES[0], _format(record, "hl7", src).rstrip("\n").encode("utf-8", "replace"), {}, log)
    if wants == "fhir":
        return Reply(status, FHIR_TYPES[0], _format(record, "fhir", src).encode("utf-8", "replace"), {}, log)
    return Reply(status, "application/json", json_bytes(record), {}, log)


def _batch_item(x, n: int) -> dict:
    if isinstance(x, str):
        return _clean({"text": x})
    try:
        return json_record(x, f"records[{n - 1}].")
    except ApiError as e:  # one bad record does not sink the batch
        rid = x.get("id") if isinstance(x, dict) else None
        rid = str(rid) if isinstance(rid, (str, int)) and not isinstance(rid, bool) and rid != "" else f"line-{n}"
        return {"id": _SURROGATE_RX.sub("\ufffd", rid), "error": {"type": e.kind, "message": e.message}}


def batch_job(s: "Suggester", req: dict) -> Reply:
    """``POST /v1/suggest/batch`` in a worker: every input record gives one output record in place.
    Each report is coded within ``req["record_time_limit"]`` CPU seconds (a ``timeout`` error
    record past it); the reports numbered in ``req["stopped"]`` stopped an earlier try of this
    request at the hard limit, and those in ``req["crashed"]`` ended the worker otherwise (see
    :func:`after_loss`): they are not coded again but answered by their error records."""
    max_batch = req["max_batch"]

    def check(n: int) -> None:
        if n > max_batch:
            raise ApiError(413, "batch_too_large", f"the batch has {n} reports; the limit is {max_batch}")
        if n == 0:
            raise ApiError(422, "empty_batch", "the batch has no reports")

    try:
        body = req["body"]
        kind = _body_kind(req["content_type"], body)
        if kind == "text":
            raise ApiError(415, "unsupported_media_type", "a batch is JSON, HL7 or FHIR, not plain text")
        sources: list | None = None
        if kind == "json":
            obj = parse_json(body)
            if isinstance(obj, dict) and "resourceType" in obj:
                kind = "fhir"
            elif not isinstance(obj, dict) or set(obj) != {"records"} or not isinstance(obj["records"], list):
                raise ApiError(422, "invalid_batch", 'expected a JSON object {"records": [...]}')
            else:
                check(len(obj["records"]))
                sources = [_batch_item(x, n) for n, x in enumerate(obj["records"], 1)]
        if sources is None:
            sources = records_from_body(kind, body)
            check(len(sources))
    except ApiError as e:
        return error_reply(e)
    from .batch import crashed_record, limited, stopped_record

    limit, stopped, crashed = req.get("record_time_limit"), req.get("stopped") or (), req.get("crashed") or ()
    how = ("record_time_limit", "the other reports were coded")
    results = [stopped_record(src, n, limit, *how) if n in stopped
               else crashed_record(src, n, how[1]) if n in crashed
               else limited(functools.partial(_code_one, s, src, n), src, n, limit, *how)
               for n, src in enumerate(sources, 1)]
    errors = sum(r.get("status") == "error" for r in results)
    log = {"records": len(results), "errors": errors, "codes": sum(len(r.get("codes", ())) for r in results)}
    wants = _wants(req["accept"])
    if wants in ("hl7", "fhir"):
        text = "".join(_format(r, wants, src) for r, src in zip(results, sources, strict=True))
        return Reply(200, HL7_TYPES[0] if wants == "hl7" else "application/fhir+ndjson",
                     text.encode("utf-8", "replace"), {}, log)
    return Reply(200, "application/json", json_bytes({"results": results, "count": len(results), "errors": errors}),
                 {}, log)


# ---------------------------------------------------------------------- the app


def after_loss(e: WorkerError, fn: Callable, args: tuple, retried: bool) -> tuple | None:
    """The arguments to run ``fn`` with again after ``e``, or None to answer the error.

    Only a lost worker (its process ended) is tried again, on its replacement. A batch whose
    worker ended on one report (its number in ``e.record``) is sent again with that report
    marked, so that it becomes an error record in its place and the others are coded: at the
    hard CPU limit at once (``stopped``: a ``timeout`` record); any other death (killed, a crash
    in native code) after one plain retry, since the report may not be the cause (``crashed``).
    Any other job is run once more; a second loss answers the error."""
    if not e.lost:
        return None
    req = args[0] if fn is batch_job and args and isinstance(args[0], dict) else None
    if req is not None and e.record and e.record not in (*req.get("stopped", ()), *req.get("crashed", ())):
        if e.stopped:
            return ({**req, "stopped": (*req.get("stopped", ()), e.record)}, *args[1:])
        if retried:
            return ({**req, "crashed": (*req.get("crashed", ()), e.record)}, *args[1:])
    return None if retried else args


def build_suggester(lexicon: str | None, billing: str, payer: str,
                    release: tuple[tuple[str, float], ...] = ()) -> "Suggester":
    """The Suggester of a worker process, built there (the default ``suggester_factory``)."""
    from .pipeline import Suggester, release_options

    return Suggester(lexicon_path=lexicon, billing=billing, payer=payer, **release_options(release))


def create_app(config: ServiceConfig | None = None, *,
               suggester_factory: Callable[[], "Suggester"] | None = None):
    """The FastAPI app. ``suggester_factory`` (picklable: a module-level callable) builds the
    Suggester of each worker process, in that process."""
    from contextlib import asynccontextmanager

    from .integrations import require

    require("fastapi", "service")
    from fastapi import APIRouter, Depends, FastAPI, Request, Security
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse, JSONResponse, Response
    from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from .__about__ import __version__

    cfg = config or ServiceConfig()
    factory = suggester_factory or functools.partial(build_suggester, cfg.lexicon, cfg.billing, cfg.payer, cfg.release)
    pool = ProcessPool(factory, cfg.workers, cfg.max_queue, record_time_limit=cfg.record_time_limit or None)

    @asynccontextmanager
    async def lifespan(app):
        if not pool.started:  # ``serve`` starts it before listening
            await pool.start()
        try:
            yield
        finally:
            await pool.close()

    class App(FastAPI):
        """The two busy routes (``POST /v1/suggest`` and ``/v1/suggest/batch``) go straight to
        :func:`hot_route` through :class:`EdgeMiddleware`; everything else through FastAPI."""

        async def __call__(self, scope, receive, send):
            if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in hot_jobs \
                    and not scope.get("root_path") and not self.root_path:
                return await hot_app(scope, receive, send)
            return await super().__call__(scope, receive, send)

    # no Swagger UI or ReDoc: they load JavaScript from a CDN; /docs is a local page (below)
    app = App(title="suggester", version=__version__, lifespan=lifespan,
                  summary="CPT code suggestions (with modifiers, confidence and evidence) for radiology reports",
                  docs_url=None, redoc_url=None, openapi_url=None)
    bearer = HTTPBearer(auto_error=False, description="the service's API token, when one is configured")

    def check_token(header: str | None) -> None:
        if cfg.token is None:
            return
        scheme, _, given = (header or "").partition(" ")
        token = given.strip().encode() if scheme.lower() == "bearer" else b""
        if not hmac.compare_digest(token, cfg.token.encode()):
            raise ApiError(401, "unauthorized", "missing or wrong bearer token",
                           headers={"WWW-Authenticate": "Bearer"})

    async def authorize(request: Request,
                        _: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]) -> None:
        """The bearer-token check as a dependency (documented in the OpenAPI description)."""
        check_token(request.headers.get("authorization"))

    async def run(request: Request, fn: Callable, *args):
        """``fn(suggester, *args)`` in a worker process, within the time limit. A batch whose
        worker was ended on one report at the hard CPU limit is sent again (to the replacement
        worker, within what is left of the time limit) with that report marked ``stopped``."""
        return await run_in_scope(request.scope, fn, *args)

    async def run_in_scope(scope: MutableMapping[str, Any], fn: Callable, *args):
        """:func:`run` for a request known by its ASGI scope."""
        deadline = time.monotonic() + cfg.timeout
        retried = False
        try:
            while True:
                try:
                    return await pool.call(fn, *args, timeout=max(0.001, deadline - time.monotonic()))
                except WorkerError as e:
                    again = after_loss(e, fn, args, retried)
                    if again is None:
                        raise
                    retried, args = True, again
        except Overloaded:
            raise ApiError(503, "overloaded", "all workers are busy and the queue is full; retry shortly",
                           headers={"Retry-After": "1"}) from None
        except asyncio.TimeoutError:
            raise ApiError(504, "timeout", f"the request took longer than {cfg.timeout:g} s") from None
        except WorkerError as e:  # a bug or a crash: logged without any message, which could quote the report
            rid = _scope_request_id(scope)
            access_log.error(json.dumps({"event": "error", "request_id": rid, "type": e.kind, "where": e.where}))
            raise ApiError(500, "internal_error", f"internal error ({e.kind}); request id {rid}") from None

    app.state.config, app.state.pool, app.state.authorize, app.state.run = cfg, pool, authorize, run

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        _log_extra(request, error=exc.kind)
        return JSONResponse(error_body(exc.kind, exc.message), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        kind = re.sub(r"\W+", "_", str(exc.detail).lower()).strip("_") or "http_error"
        return JSONResponse(error_body(kind, str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        msg = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return JSONResponse(error_body("invalid_request", msg), status_code=422)

    def unexpected(scope: MutableMapping[str, Any], exc: Exception) -> Response:
        rid = _scope_request_id(scope)
        access_log.error(json.dumps({"event": "error", "request_id": rid, "type": type(exc).__name__,
                                     "where": _where(exc)}))
        return JSONResponse(error_body("internal_error", f"internal error ({type(exc).__name__}); request id {rid}"),
                            status_code=500)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):  # in place of Starlette's plain-text 500
        return unexpected(request.scope, exc)

    async def body_from(chunks, declared: str) -> bytes:
        """The request body from an async iterator of its chunks, within the size and time limits."""
        limit = cfg.max_body_bytes
        if declared.isdigit() and int(declared) > limit:
            raise ApiError(413, "body_too_large", f"request body is {declared} bytes; the limit is {limit}")
        parts, size = [], 0

        async def collect():
            nonlocal size
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise ApiError(413, "body_too_large", f"request body is over the limit of {limit} bytes")
                parts.append(chunk)

        try:
            await _within(collect(), cfg.timeout)
        except asyncio.TimeoutError:
            raise ApiError(408, "request_timeout", f"request body not received within {cfg.timeout:g} s") from None
        return b"".join(parts)

    async def read_body(request: Request) -> bytes:
        return await body_from(request.stream(), request.headers.get("content-length", ""))

    def job_request(scope: MutableMapping[str, Any], body: bytes, content_type: str, accept: str) -> dict:
        return {"body": body, "content_type": content_type, "accept": accept, "request_id": _scope_request_id(scope),
                "max_batch": cfg.max_batch, "record_time_limit": cfg.record_time_limit or None}

    def respond(scope: MutableMapping[str, Any], reply: Reply) -> Response:
        scope.setdefault("suggester_log", {}).update(reply.log)
        return Response(reply.body, status_code=reply.status, media_type=reply.media_type, headers=reply.headers)

    async def hot_route(scope: MutableMapping[str, Any], receive, send, fn: Callable) -> None:
        """``POST /v1/suggest`` and ``/v1/suggest/batch`` as a plain ASGI handler: the checks,
        worker job, answers and errors of the routes declared below, without FastAPI's routing,
        request objects and dependency solving (about half of the event loop's CPU per request,
        which the worker processes need). The body goes to the worker as bytes, which parses
        and checks it there."""
        headers: dict[bytes, bytes] = {}
        for k, v in scope["headers"]:
            headers.setdefault(k, v)  # the first of repeated headers, as Starlette's Headers.get

        def header(name: bytes) -> str:
            return headers.get(name, b"").decode("latin-1")

        try:
            check_token(header(b"authorization") or None)
            body = await body_from(_receive_chunks(receive), header(b"content-length"))
            reply = await run_in_scope(scope, fn, job_request(scope, body, header(b"content-type"), header(b"accept")))
            response = respond(scope, reply)
        except ApiError as e:
            scope.setdefault("suggester_log", {})["error"] = e.kind
            response = JSONResponse(error_body(e.kind, e.message), status_code=e.status, headers=e.headers)
        except _ClientGone:
            return  # nobody to answer
        except Exception as e:  # noqa: BLE001  (as the app's handler of unexpected exceptions)
            response = unexpected(scope, e)
        await response(scope, receive, send)

    hot_jobs: dict[str, Callable] = {"/v1/suggest": suggest_job, "/v1/suggest/batch": batch_job}

    async def hot_dispatch(scope: MutableMapping[str, Any], receive, send) -> None:
        await hot_route(scope, receive, send, hot_jobs[scope["path"]])

    hot_app = EdgeMiddleware(hot_dispatch, allowed_hosts=cfg.allowed_hosts)

    json_schema = {
        "type": "object", "required": ["text"], "additionalProperties": False,
        "properties": {
            "text": {"type": "string", "description": "the report text"},
            "id": {"type": ["string", "integer"], "description": "echoed back (default: the request id)"},
            "ordered": {"type": "string", "description": "the ordered procedure: a CPT code or its text"},
            "billing": {"type": "string", "enum": ["professional", "technical", "global"]},
            "payer": {"type": "string", "description": "payer profile, e.g. medicare or commercial"},
        },
        "example": {"id": "ACC1001", "text": "EXAM: XR LEFT KNEE 3 VIEWS\nFINDINGS: No fracture.",
                    "ordered": "XR LEFT KNEE 3 VIEWS"},
    }
    body_doc = {"requestBody": {"required": True, "content": {
        "application/json": {"schema": json_schema},
        HL7_TYPES[0]: {"schema": {"type": "string", "description": "HL7 v2 ORU^R01 (MLLP framing optional)"}},
        FHIR_TYPES[0]: {"schema": {"type": "object", "description": "FHIR R4 DiagnosticReport or Bundle"}},
        "text/plain": {"schema": {"type": "string", "description": "report text, or an HL7 message"}},
    }}}
    produces: dict[str, Any] = {"content": {"application/json": {}, HL7_TYPES[0]: {}, FHIR_TYPES[0]: {}}}
    batch_doc = {"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"type": "object", "required": ["records"], "additionalProperties": False,
                                        "properties": {"records": {"type": "array", "items": {
                                            "oneOf": [json_schema, {"type": "string"}]}}}}},
        HL7_TYPES[0]: {"schema": {"type": "string", "description": "one or more HL7 v2 ORU^R01 messages"}},
        FHIR_TYPES[0]: {"schema": {"type": "object", "description": "a FHIR Bundle of DiagnosticReports"}},
    }}}

    async def routed(request: Request, fn: Callable) -> Response:
        check_token(request.headers.get("authorization"))
        h = request.headers
        req = job_request(request.scope, await read_body(request), h.get("content-type", ""), h.get("accept", ""))
        return respond(request.scope, await run(request, fn, req))

    api = APIRouter()

    # the two busy routes check the token inline: a FastAPI dependency costs more than the check
    secured: dict[str, Any] = {"security": [{"HTTPBearer": []}]}

    @api.post("/v1/suggest", openapi_extra={**body_doc, **secured},
              responses={200: {"description": "the output record; DFT^P03 or a Claim Bundle by Accept", **produces},
                         422: {"description": "malformed input, or an error record"}},
              summary="Suggest codes for one report")
    async def suggest(request: Request):  # served by hot_route; declared for the OpenAPI description
        return await routed(request, suggest_job)

    @api.post("/v1/suggest/batch", openapi_extra={**batch_doc, **secured},
              summary=f"Suggest codes for up to {cfg.max_batch} reports",
              responses={200: {"description": '{"results": [...]} in input order; with Accept '
                                              "x-application/hl7-v2+er7 the DFT^P03 messages, with "
                                              "application/fhir+json NDJSON of Claim Bundles"}})
    async def suggest_batch(request: Request):  # served by hot_route; declared for the OpenAPI description
        return await routed(request, batch_job)

    @api.get("/healthz", summary="Liveness (no auth), with the worker processes' state")
    async def healthz():
        return {"status": "ok", "workers": pool.stats()}

    @api.get("/version", dependencies=[Depends(authorize)], summary="Package, lexicon and model versions")
    async def version():
        return {**pool.versions, "api": "v1"}

    @api.get("/openapi.json", dependencies=[Depends(authorize)], include_in_schema=False)
    async def openapi():
        return app.openapi()

    @api.get("/docs", include_in_schema=False)
    async def docs():
        if cfg.token is not None:  # a public service shows nothing to strangers
            raise StarletteHTTPException(404, "Not Found")
        return HTMLResponse(docs_page(app.openapi()),
                            headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})

    app.include_router(api)
    if cfg.db:
        from .workbench.routes import ServiceHooks, workbench_router
        from .workbench.store import ReviewStore

        app.include_router(workbench_router(ReviewStore(cfg.db), ServiceHooks(
            cfg, authorize, read_body, run, ApiError, json_record, parse_json)))
    app.add_middleware(EdgeMiddleware, allowed_hosts=cfg.allowed_hosts)
    return app


def docs_page(spec: dict) -> str:
    """The API reference as one static HTML page (no scripts, nothing loaded from elsewhere)."""
    rows = []
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            types = ", ".join(op.get("requestBody", {}).get("content", {})) or "-"
            rows.append(f"<tr><td><code>{method.upper()} {html.escape(path)}</code></td>"
                        f"<td>{html.escape(op.get('summary', ''))}</td><td>{html.escape(types)}</td></tr>")
    info = spec.get("info", {})
    return ("<!doctype html><html><head><meta charset='utf-8'><title>suggester API</title>"
            "<style>body{font-family:sans-serif;margin:2em}td{padding:.3em 1em;border-bottom:1px solid #ddd}</style>"
            f"</head><body><h1>{html.escape(info.get('title', ''))} {html.escape(info.get('version', ''))}</h1>"
            f"<p>{html.escape(info.get('summary', ''))}</p><table><tr><th>endpoint</th><th>what</th>"
            f"<th>request bodies</th></tr>{''.join(rows)}</table>"
            "<p>The full description: <a href='/openapi.json'>/openapi.json</a> (OpenAPI 3).</p></body></html>")


def _request_id(request) -> str:
    return _scope_request_id(request.scope)


def _scope_request_id(scope: MutableMapping[str, Any]) -> str:
    return scope.get("suggester_log", {}).get("request_id", "-")


class _ClientGone(Exception):
    """The client disconnected before sending the whole body."""


async def _receive_chunks(receive):
    """The body chunks of an ASGI request (``Request.stream()`` without the Request)."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _ClientGone
        chunk = message.get("body", b"")
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


async def _within(coro, seconds: float):
    """``await coro`` within ``seconds`` (asyncio.TimeoutError past them), without the task
    ``asyncio.wait_for`` creates where ``asyncio.timeout`` exists (Python 3.11)."""
    if sys.version_info >= (3, 11):
        async with asyncio.timeout(seconds):
            return await coro
    return await asyncio.wait_for(coro, seconds)


def _log_extra(request, **fields) -> None:
    request.scope.setdefault("suggester_log", {}).update(fields)


def _raw_json_response(status: int, kind: str, message: str) -> bytes:
    """A whole HTTP/1.1 answer with a JSON error body, for the HTTP layer below the app."""
    body = json_bytes(error_body(kind, message))
    return (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n").encode() + body


class EdgeMiddleware:
    """What every answer goes through, in one ASGI layer:

    * refuses a ``Host`` outside the allow-list (400 ``host_not_allowed``, DNS rebinding);
    * marks every answer ``Cache-Control: no-store`` (they carry report data; unless the route
      set its own, as for static files) and
      ``X-Content-Type-Options: nosniff``, and echoes or makes up ``X-Request-ID``;
    * writes one JSON access-log line per request: method, path, status, timing, sizes, counts,
      never report text or record ids.
    """

    def __init__(self, app, allowed_hosts: tuple[str, ...] | None = None):
        self.app, self.allowed = app, allowed_hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        rid = given if _REQUEST_ID_RX.match(given) else uuid.uuid4().hex
        log = {"request_id": rid}
        scope["suggester_log"] = log
        status, sent = 500, 0
        extra = [(b"x-content-type-options", b"nosniff"), (b"x-request-id", rid.encode())]

        async def send_marked(message):
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                headers_out = message.get("headers", [])
                cache = [] if any(k.lower() == b"cache-control" for k, _ in headers_out) else [
                    (b"cache-control", b"no-store")]  # unless the route chose (static files)
                message = {**message, "headers": [*headers_out, *cache, *extra]}
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            if host_allowed(headers.get(b"host", b"").decode("latin-1"), self.allowed):
                await self.app(scope, receive, send_marked)
            else:
                log["error"] = "host_not_allowed"
                body = json_bytes(error_body("host_not_allowed", "the Host header names a host this service "
                                                                 "does not answer for"))
                await send_marked({"type": "http.response.start", "status": 400, "headers": [
                    (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
                await send_marked({"type": "http.response.body", "body": body})
        finally:
            if access_log.isEnabledFor(logging.INFO):
                declared = headers.get(b"content-length", b"").decode("latin-1")
                client = scope.get("client")
                entry = {"event": "access", "request_id": rid, "method": scope.get("method"),
                         "path": scope.get("path"), "status": status,
                         "duration_ms": round((time.perf_counter() - start) * 1000, 2),
                         "bytes_in": int(declared) if declared.isdigit() else None, "bytes_out": sent,
                         "client": client[0] if client else None}
                entry.update({k: v for k, v in log.items() if k != "request_id"})
                # Logger.info less its search of the call stack for the caller (file and line
                # are not in the line: a tenth of the event loop's CPU per request)
                access_log.handle(access_log.makeRecord(access_log.name, logging.INFO, __file__, 0,
                                                        json.dumps(entry), None, None))


# ---------------------------------------------------------------------- the HTTP layer (uvicorn)


def http_protocol(cfg: ServiceConfig):
    """uvicorn's httptools protocol with two guards uvicorn lacks, and JSON for its own errors.

    * A client has ``header_timeout`` seconds from connecting (or from its previous answer) to
      send a request's headers, however it trickles them; then 408 and the connection closes.
    * Past ``max_connections`` open connections, a new one drops the OLDEST connection still
      waiting for a request's headers (idle keep-alive or half-open), rather than being refused:
      sockets that never send a request cannot lock out a client that does. Only when every
      connection is busy with a request is the newcomer answered 503.
    """
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    waiting: dict = {}  # connections waiting for a request's headers, oldest first

    class GuardedHttpToolsProtocol(HttpToolsProtocol):
        _header_timer = None
        _begun = False

        def connection_made(self, transport):
            super().connection_made(transport)
            self._await_request()
            if len(self.connections) > cfg.max_connections:
                victim = next((p for p in waiting if p is not self), None)
                if victim is not None:
                    victim._close(408, "connection_dropped", "too many open connections; this one was idle")
                else:
                    self._close(503, "too_many_connections", "too many connections busy with requests; retry shortly")

        def _await_request(self):
            self._stop_timer()
            self._begun = False
            waiting[self] = None
            self._header_timer = self.loop.call_later(cfg.header_timeout, self._close, 408, "header_timeout",
                                                      f"request headers not received within {cfg.header_timeout:g} s")

        def _stop_timer(self):
            waiting.pop(self, None)
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _close(self, status: int, kind: str, message: str):
            self._stop_timer()
            if self.transport.is_closing():
                return
            if self._begun:  # a request had started: tell the client why
                self.transport.write(_raw_json_response(status, kind, message))
            self.transport.close()

        def on_message_begin(self):
            super().on_message_begin()
            self._begun = True

        def on_headers_complete(self):
            self._stop_timer()
            super().on_headers_complete()

        def on_response_complete(self):
            super().on_response_complete()
            if self.timeout_keep_alive_task is not None:  # idle until the next request
                self._await_request()

        def connection_lost(self, exc):
            self._stop_timer()
            super().connection_lost(exc)

        def send_400_response(self, msg: str):
            self._stop_timer()
            self.transport.write(_raw_json_response(400, "bad_request", msg))
            self.transport.close()

    return GuardedHttpToolsProtocol


def uvicorn_options(cfg: ServiceConfig) -> dict:
    """The uvicorn settings that go with ``cfg`` (for ``uvicorn.Config`` or ``uvicorn.run``)."""
    # proxy_headers off: uvicorn would otherwise take the client address from X-Forwarded-For
    # sent by any local process
    return {"http": http_protocol(cfg), "timeout_keep_alive": 5, "server_header": False,
            "limit_concurrency": None, "access_log": False, "proxy_headers": False}


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a line is logged (not when it was configured)."""

    _suggester = True

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def _configure_logging(level: str) -> None:
    if not any(getattr(h, "_suggester", False) for h in access_log.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_log.addHandler(handler)
    access_log.setLevel(level.upper())
    access_log.propagate = False


def serve(host: str = "127.0.0.1", port: int = 8000, token: str | None = None, *,
          token_file: str | None = None, log_level: str = "info", allow_hosts: tuple[str, ...] = (),
          **options) -> None:
    """Run the service with uvicorn until interrupted (see :class:`ServiceConfig` for options).

    ``allow_hosts`` adds Host names to the loopback ones (e.g. a reverse proxy's)."""
    from .integrations import require

    require("fastapi", "service")
    require("httptools", "service")
    uvicorn = require("uvicorn", "service")
    known = {f.name for f in fields(ServiceConfig)} - {"token"}
    unknown = set(options) - known
    if unknown:
        raise ServiceConfigError(f"unknown service options {sorted(unknown)}; known: {sorted(known)}")
    token = load_token(token, token_file)
    check_bind(host, token)
    options = {k: v for k, v in options.items() if v is not None}
    options.setdefault("allowed_hosts", default_allowed_hosts(host, port, tuple(allow_hosts)))
    cfg = ServiceConfig(token=token, **options)
    app = create_app(cfg)
    _configure_logging(log_level)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level=log_level, **uvicorn_options(cfg)))

    async def run() -> None:
        # the workers first: a configuration or model error (ServiceConfigError, exit 2 in the
        # CLI) stops here with its message, before anything listens
        await app.state.pool.start()
        # the app's long-lived objects (routes, FastAPI's and pydantic's) out of the cycle
        # collector's sight: a full collection would otherwise walk them all while answers wait
        from .batch import settle_heap

        settle_heap()
        await server.serve()

    # uvicorn's choice of event loop ("auto": uvloop where it is installed, as the service extra
    # does; it takes less CPU per request than asyncio's, CPU the worker processes can use)
    loop_factory = server.config.get_loop_factory()
    if sys.version_info >= (3, 11) and loop_factory is not None:
        with asyncio.Runner(loop_factory=loop_factory) as runner:
            runner.run(run())
    else:
        asyncio.run(run())
