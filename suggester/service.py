"""HTTP service: the suggester as an assist step for a RIS, a dictation system or a claim scrubber.

    suggester serve --host 127.0.0.1 --port 8000 --token-file /etc/suggester/token

Endpoints (OpenAPI at ``/docs`` and ``/openapi.json``):

* ``POST /v1/suggest``: one report. The body is JSON ``{"text", "id"?, "ordered"?, "billing"?,
  "payer"?}``, an HL7 v2 ORU^R01 (``x-application/hl7-v2+er7``, or ``text/plain`` starting with
  MSH), a FHIR R4 DiagnosticReport or Bundle (``application/fhir+json``), or plain report text
  (``text/plain``). The answer is the CLI's output record, each code line with its ``x12``
  SV1-01 composite; ``Accept: x-application/hl7-v2+er7`` answers a DFT^P03 instead and
  ``Accept: application/fhir+json`` a Claim Bundle.
* ``POST /v1/suggest/batch``: up to ``max_batch`` reports (JSON ``{"records": [...]}``, a file of
  HL7 messages, or a FHIR Bundle); ``{"results": [...]}`` in input order, bad records as error
  records in place.
* ``GET /healthz`` (no auth), ``GET /version``.

Safe by default: binds 127.0.0.1; refuses a non-loopback address without a bearer token
(``SUGGESTER_API_TOKEN`` or a token file); limits the request body, the time of a request and
the work in flight (a fixed pool of worker threads, each with its own Suggester, and a bounded
queue: overload answers 503 with Retry-After instead of queueing without end); writes one JSON
access-log line per request, never with report text or record ids.

Errors answer ``{"status": "error", "error": {"type", "message"}}``: 401 auth, 413 too large,
415 content type, 422 malformed or unusable input, 503 overload, 504 timeout.
"""

import asyncio
import gc
import hmac
import ipaddress
import json
import logging
import os
import queue
import re
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated

from .pipeline import Suggester

TOKEN_ENV = "SUGGESTER_API_TOKEN"
MIN_TOKEN_LENGTH = 16
HL7_TYPES = ("x-application/hl7-v2+er7", "application/hl7-v2", "application/hl7-v2+er7")
FHIR_TYPES = ("application/fhir+json", "application/json+fhir")
JSON_FIELDS = ("text", "id", "ordered", "billing", "payer")
access_log = logging.getLogger("suggester.access")
_REQUEST_ID_RX = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class ServiceConfigError(ValueError):
    """The service cannot start as configured (the message says why)."""


@dataclass(frozen=True)
class ServiceConfig:
    token: str | None = None
    max_body_bytes: int = 4 * 1024 * 1024
    timeout: float = 10.0  # seconds, for reading the body and again for the work
    workers: int = 2
    max_queue: int = 32  # requests waiting for a worker beyond those running
    max_batch: int = 100
    max_connections: int = 256  # uvicorn's limit_concurrency, a last resort against floods
    billing: str = "professional"
    payer: str = "medicare"
    lexicon: str | None = None
    # after start-up, move the pipelines' objects out of the garbage collector's sight: its full
    # collections otherwise walk them all and make the slowest 1% of requests 4x slower
    # (process-wide, so on by default only in ``serve``)
    freeze_gc: bool = False
    # the review workbench's SQLite file (suggester/workbench): when set, the worklist API and
    # the /review page are served too, under the same auth and limits
    db: str | None = None

    def __post_init__(self):
        for name in ("max_body_bytes", "workers", "max_batch", "max_connections"):
            if getattr(self, name) < 1:
                raise ServiceConfigError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.max_queue < 0:
            raise ServiceConfigError(f"max_queue must be 0 or more, got {self.max_queue}")
        if not self.timeout > 0:
            raise ServiceConfigError(f"timeout must be positive, got {self.timeout}")
        if self.token is not None and len(self.token) < MIN_TOKEN_LENGTH:
            raise ServiceConfigError(f"the API token must be at least {MIN_TOKEN_LENGTH} characters")


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


# ---------------------------------------------------------------------- worker pool


class Overloaded(Exception):
    pass


class WorkerPool:
    """``workers`` threads, each with its own Suggester, behind a bounded queue.

    ``submit`` never blocks: it refuses with :class:`Overloaded` when ``workers + max_queue``
    jobs are already in flight. A job cancelled while queued frees its place at once; one that
    is running keeps it until it ends (a thread cannot be stopped), so timed-out work still
    counts against the bound.
    """

    def __init__(self, factory: Callable[[], Suggester], workers: int, max_queue: int):
        self.factory = factory
        self.workers = workers
        self._slots = threading.BoundedSemaphore(workers + max_queue)
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self.versions: dict = {}

    def start(self) -> None:
        suggesters = [self.factory() for _ in range(self.workers)]  # built one after another
        self.versions = dict(suggesters[0].versions)
        for n, s in enumerate(suggesters):
            t = threading.Thread(target=self._run, args=(s,), name=f"suggester-worker-{n}", daemon=True)
            t.start()
            self._threads.append(t)

    def close(self) -> None:
        for _ in self._threads:
            self._jobs.put(None)
        for t in self._threads:
            t.join(timeout=5)
        self._threads.clear()

    def submit(self, fn: Callable[[Suggester], object]) -> Future:
        if not self._slots.acquire(blocking=False):
            raise Overloaded
        fut: Future = Future()
        fut.add_done_callback(lambda _: self._slots.release())
        self._jobs.put((fut, fn))
        return fut

    def _run(self, s: Suggester) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            fut, fn = job
            if not fut.set_running_or_notify_cancel():
                continue  # timed out while queued
            try:
                fut.set_result(fn(s))
            except BaseException as e:  # handed to the waiting request
                fut.set_exception(e)


# ---------------------------------------------------------------------- the app


class ApiError(Exception):
    def __init__(self, status: int, kind: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.kind, self.message, self.headers = status, kind, message, headers or {}


def error_body(kind: str, message: str, rid=None) -> dict:
    body = {"status": "error", "error": {"type": kind, "message": message}}
    return {"id": rid, **body} if rid is not None else body


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


def _parse_json(body: bytes):
    if not body.strip():
        raise ApiError(422, "invalid_json", 'request body is empty; send JSON such as {"text": "..."}')
    try:
        return json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ApiError(422, "invalid_json", "request body is not UTF-8 JSON") from None
    except json.JSONDecodeError as e:
        raise ApiError(422, "invalid_json",
                       f"request body is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}") from None


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
        raise ApiError(422, "invalid_record", "; ".join(problems))
    rec = {k: obj[k] for k in JSON_FIELDS if obj.get(k) is not None}
    if "id" in rec:
        rec["id"] = str(rec["id"])
    return rec


def records_from_body(kind: str, body: bytes) -> list[dict]:
    """Input records from an HL7 or FHIR body (error records for unreadable messages)."""
    if kind == "hl7":
        from .integrations.hl7 import read_hl7

        return list(read_hl7(body))
    from .integrations.fhir import read_fhir

    return list(read_fhir(body))


def _status_of(record: dict) -> int:
    if record.get("status") != "error":
        return 200
    return 413 if record["error"]["type"] == "text_too_large" else 422


def create_app(config: ServiceConfig | None = None, *,
               suggester_factory: Callable[[], Suggester] | None = None):
    """The FastAPI app. ``suggester_factory`` builds one Suggester per worker thread."""
    from contextlib import asynccontextmanager

    from .integrations import require

    require("fastapi", "service")
    from fastapi import Depends, FastAPI, Request, Security
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse, Response
    from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from .__about__ import __version__
    from .integrations import format_record
    from .integrations.x12 import with_x12

    cfg = config or ServiceConfig()
    factory = suggester_factory or (lambda: Suggester(lexicon_path=cfg.lexicon, billing=cfg.billing, payer=cfg.payer))
    pool = WorkerPool(factory, cfg.workers, cfg.max_queue)

    @asynccontextmanager
    async def lifespan(app):
        await asyncio.get_running_loop().run_in_executor(None, pool.start)
        if cfg.freeze_gc:
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(
        title="suggester",
        version=__version__,
        summary="CPT code suggestions (with modifiers, confidence and evidence) for radiology reports",
        lifespan=lifespan,
    )
    bearer = HTTPBearer(auto_error=False, description="the service's API token, when one is configured")

    async def authorize(creds: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]) -> None:
        if cfg.token is None:
            return
        given = creds.credentials.encode() if creds else b""
        if not hmac.compare_digest(given, cfg.token.encode()):
            raise ApiError(401, "unauthorized", "missing or wrong bearer token",
                           headers={"WWW-Authenticate": "Bearer"})

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

    async def read_body(request: Request) -> bytes:
        limit = cfg.max_body_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ApiError(413, "body_too_large", f"request body is {declared} bytes; the limit is {limit}")
        chunks, size = [], 0

        async def collect():
            nonlocal size
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise ApiError(413, "body_too_large", f"request body is over the limit of {limit} bytes")
                chunks.append(chunk)

        try:
            await asyncio.wait_for(collect(), cfg.timeout)
        except asyncio.TimeoutError:
            raise ApiError(408, "request_timeout", f"request body not received within {cfg.timeout:g} s") from None
        return b"".join(chunks)

    async def run(request: Request, job: Callable[[Suggester], object]):
        try:
            fut = pool.submit(job)
        except Overloaded:
            raise ApiError(503, "overloaded", "all workers are busy and the queue is full; retry shortly",
                           headers={"Retry-After": "1"}) from None
        try:
            return await asyncio.wait_for(asyncio.wrap_future(fut), cfg.timeout)
        except asyncio.TimeoutError:
            raise ApiError(504, "timeout", f"the request took longer than {cfg.timeout:g} s") from None
        except ApiError:
            raise
        except Exception as e:  # a bug: logged without the message, which could quote the report
            tb = traceback.extract_tb(e.__traceback__)
            where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"
            access_log.error(json.dumps({"event": "error", "request_id": _request_id(request),
                                         "type": type(e).__name__, "where": where}))
            raise ApiError(500, "internal_error",
                           f"internal error ({type(e).__name__}); request id {_request_id(request)}") from None

    def respond(request: Request, record: dict, source: dict | None):
        record = with_x12(record)
        failed = record.get("status") == "error"
        _log_extra(request, records=1, errors=int(failed), codes=len(record.get("codes", ())),
                   **({"error": record["error"]["type"]} if failed else {}))
        status = _status_of(record)
        wants = _wants(request.headers.get("accept", ""))
        if wants == "hl7":
            return Response(format_record(record, "hl7", source).rstrip("\n"), status_code=status,
                            media_type=HL7_TYPES[0])
        if wants == "fhir":
            return Response(format_record(record, "fhir", source), status_code=status, media_type=FHIR_TYPES[0])
        return JSONResponse(record, status_code=status)

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
                    "ordered": "73562"},
    }
    body_doc = {"requestBody": {"required": True, "content": {
        "application/json": {"schema": json_schema},
        HL7_TYPES[0]: {"schema": {"type": "string", "description": "HL7 v2 ORU^R01 (MLLP framing optional)"}},
        FHIR_TYPES[0]: {"schema": {"type": "object", "description": "FHIR R4 DiagnosticReport or Bundle"}},
        "text/plain": {"schema": {"type": "string", "description": "report text, or an HL7 message"}},
    }}}
    produces = {"content": {"application/json": {}, HL7_TYPES[0]: {}, FHIR_TYPES[0]: {}}}

    @app.post("/v1/suggest", dependencies=[Depends(authorize)], openapi_extra=body_doc,
              responses={200: {"description": "the output record; DFT^P03 or a Claim Bundle by Accept", **produces},
                         422: {"description": "malformed input, or an error record"}},
              summary="Suggest codes for one report")
    async def suggest(request: Request):
        body = await read_body(request)
        kind = _body_kind(request.headers.get("content-type", ""), body)
        rec: dict | None = None
        if kind == "json":
            obj = _parse_json(body)
            if isinstance(obj, dict) and "resourceType" in obj:
                kind = "fhir"
            else:
                rec = json_record(obj)
                rec.setdefault("id", _request_id(request))
        if kind == "text":
            rec = {"id": _request_id(request), "text": body.decode("utf-8", "replace")}

        def job(s: Suggester):
            src = rec
            if src is None:
                found = records_from_body(kind, body)
                if len(found) != 1:
                    raise ApiError(422, "not_one_report", f"the body holds {len(found)} reports; "
                                   f"send one, or post them to /v1/suggest/batch")
                src = found[0]
            return s.suggest_record(src, 1), src

        record, source = await run(request, job)
        return respond(request, record, source)

    batch_doc = {"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"type": "object", "required": ["records"], "additionalProperties": False,
                                        "properties": {"records": {"type": "array", "items": {
                                            "oneOf": [json_schema, {"type": "string"}]}}}}},
        HL7_TYPES[0]: {"schema": {"type": "string", "description": "one or more HL7 v2 ORU^R01 messages"}},
        FHIR_TYPES[0]: {"schema": {"type": "object", "description": "a FHIR Bundle of DiagnosticReports"}},
    }}}

    @app.post("/v1/suggest/batch", dependencies=[Depends(authorize)], openapi_extra=batch_doc,
              summary=f"Suggest codes for up to {cfg.max_batch} reports",
              responses={200: {"description": '{"results": [...]} in input order; with Accept '
                                              "x-application/hl7-v2+er7 the DFT^P03 messages, with "
                                              "application/fhir+json NDJSON of Claim Bundles"}})
    async def suggest_batch(request: Request):
        body = await read_body(request)
        kind = _body_kind(request.headers.get("content-type", ""), body)
        items: list | None = None
        if kind == "text":
            raise ApiError(415, "unsupported_media_type", "a batch is JSON, HL7 or FHIR, not plain text")
        if kind == "json":
            obj = _parse_json(body)
            if isinstance(obj, dict) and "resourceType" in obj:
                kind = "fhir"
            elif not isinstance(obj, dict) or set(obj) != {"records"} or not isinstance(obj["records"], list):
                raise ApiError(422, "invalid_batch", 'expected a JSON object {"records": [...]}')
            else:
                items = obj["records"]
                _check_batch(len(items))

        def job(s: Suggester):
            if items is None:
                sources = records_from_body(kind, body)
                _check_batch(len(sources))
            else:
                sources = [_batch_item(x, n) for n, x in enumerate(items, 1)]
            return [s.suggest_record(src, n) for n, src in enumerate(sources, 1)], sources

        results, sources = await run(request, job)
        results = [with_x12(r) for r in results]
        errors = sum(r["status"] == "error" for r in results)
        _log_extra(request, records=len(results), errors=errors, codes=sum(len(r.get("codes", ())) for r in results))
        wants = _wants(request.headers.get("accept", ""))
        if wants in ("hl7", "fhir"):
            text = "".join(format_record(r, wants, src) for r, src in zip(results, sources, strict=True))
            return Response(text, media_type=HL7_TYPES[0] if wants == "hl7" else "application/fhir+ndjson")
        return JSONResponse({"results": results, "count": len(results), "errors": errors})

    def _check_batch(n: int) -> None:
        if n > cfg.max_batch:
            raise ApiError(413, "batch_too_large", f"the batch has {n} reports; the limit is {cfg.max_batch}")
        if n == 0:
            raise ApiError(422, "empty_batch", "the batch has no reports")

    def _batch_item(x, n: int) -> dict:
        if isinstance(x, str):
            return {"text": x}
        try:
            return json_record(x, f"records[{n - 1}].")
        except ApiError as e:  # one bad record does not sink the batch
            return {"id": str(x["id"]) if isinstance(x, dict) and x.get("id") not in (None, "") else f"line-{n}",
                    "error": {"type": e.kind, "message": e.message}}

    @app.get("/healthz", summary="Liveness (no auth)")
    async def healthz():
        return {"status": "ok"}

    @app.get("/version", dependencies=[Depends(authorize)], summary="Package, lexicon and model versions")
    async def version():
        return {**pool.versions, "api": "v1"}

    if cfg.db:
        from .workbench.routes import ServiceHooks, workbench_router
        from .workbench.store import ReviewStore

        app.include_router(workbench_router(ReviewStore(cfg.db), ServiceHooks(
            cfg, authorize, read_body, run, ApiError, json_record, _parse_json)))

    app.add_middleware(AccessLogMiddleware)
    return app


def _request_id(request) -> str:
    return request.scope.get("suggester_log", {}).get("request_id", "-")


def _log_extra(request, **fields) -> None:
    request.scope.setdefault("suggester_log", {}).update(fields)


class AccessLogMiddleware:
    """One JSON log line per request: method, path, status, timing, sizes, counts; no report text."""

    def __init__(self, app):
        self.app = app

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

        async def send_logged(message):
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", rid.encode())]}
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        finally:
            declared = headers.get(b"content-length", b"").decode("latin-1")
            client = scope.get("client")
            entry = {"event": "access", "request_id": rid, "method": scope.get("method"), "path": scope.get("path"),
                     "status": status, "duration_ms": round((time.perf_counter() - start) * 1000, 2),
                     "bytes_in": int(declared) if declared.isdigit() else None, "bytes_out": sent,
                     "client": client[0] if client else None}
            entry.update({k: v for k, v in log.items() if k != "request_id"})
            access_log.info(json.dumps(entry))


def _configure_logging(level: str) -> None:
    if not any(getattr(h, "_suggester", False) for h in access_log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler._suggester = True
        access_log.addHandler(handler)
    access_log.setLevel(level.upper())
    access_log.propagate = False


def serve(host: str = "127.0.0.1", port: int = 8000, token: str | None = None, *,
          token_file: str | None = None, log_level: str = "info", **options) -> None:
    """Run the service with uvicorn until interrupted (see :class:`ServiceConfig` for options)."""
    from .integrations import require

    require("fastapi", "service")
    uvicorn = require("uvicorn", "service")
    known = {f.name for f in fields(ServiceConfig)} - {"token"}
    unknown = set(options) - known
    if unknown:
        raise ServiceConfigError(f"unknown service options {sorted(unknown)}; known: {sorted(known)}")
    token = load_token(token, token_file)
    check_bind(host, token)
    cfg = ServiceConfig(token=token, **{"freeze_gc": True, **options})
    app = create_app(cfg)
    _configure_logging(log_level)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level=log_level, server_header=False,
                limit_concurrency=cfg.max_connections, timeout_keep_alive=5)
