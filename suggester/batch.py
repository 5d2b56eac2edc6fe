"""Batch coding: stream records through the pipeline on several processes, in order, resumably.

    >>> result = code_batch("reports.jsonl", "codes.jsonl", workers=2)   # doctest: +SKIP
    >>> result.exit_code                                                  # doctest: +SKIP
    0

What a run guarantees:

- **one output record per input record, in input order**, error records included (a record the
  pipeline cannot code, or an unexpected exception, becomes an ``error`` record; it never stops
  the run);
- **constant memory**: the input is read as a stream; at most ``4 x workers`` chunks are in
  flight;
- **a valid prefix at any moment**: each chunk is written as whole lines and flushed, so a crash
  or ``kill -9`` leaves complete records followed by at most one partial line; ``resume=True``
  counts the complete records, cuts the partial line and skips that many input records;
- **an audit trail**: ``OUTPUT.manifest.json`` (counts, input and output sha256, settings,
  versions, times), written as ``running`` at the start, updated at every flush and ``complete``
  at the end;
- **a resume that continues the same job**: the records already in the output must carry the
  ids (and, in JSONL, the billing, payer and versions) of the input records at the same place,
  and the input prefix they came from must hash as the manifest recorded; the output is locked
  (``flock``) so two runs cannot write it at once; ``-o`` equal to the input is refused;
- **no stalls**: a record that takes more than ``time_limit`` CPU seconds becomes a ``timeout``
  error record and the run goes on; one stuck in a C call the alarm cannot interrupt has its
  worker process ended by the kernel at the hard limit (:func:`hard_limit`), and the parent
  writes the ``timeout`` record, starts a new worker and goes on;
- **no record lost when a worker dies**: a worker killed from outside, by the out-of-memory
  killer or by a crash in native code is replaced and its chunk coded again record by record;
  a record that a second worker dies on becomes an ``internal_error`` record (:class:`_Pool`).

The CLI (``suggester code``) is a thin layer over :func:`code_batch`; ``suggester.spark`` reuses
:func:`code_record` per Spark executor.
"""

from __future__ import annotations

import csv
import datetime as _dt
import gc
import hashlib
import io as _io
import json
import multiprocessing as mp
import os
import platform
import signal
import stat
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .io import (
    CSV_LAYOUTS,
    WARNINGS_KEY,
    csv_line_rows,
    csv_row,
    detect_format,
    list_dir,
    read_records,
)

if TYPE_CHECKING:
    from .billing import PaymentTotals

try:
    import resource
except ImportError:  # Windows: no peak-RSS figures
    resource = None  # type: ignore[assignment]  # the callers test for None
try:
    import fcntl
except ImportError:  # Windows: no output lock
    fcntl = None  # type: ignore[assignment]  # the callers test for None

MANIFEST_SCHEMA = "suggester-batch-manifest/1"
DEFAULT_CHUNK = 64
DEFAULT_TIME_LIMIT = 60.0  # CPU seconds per record; every record up to 1 MB codes in well under 2 s
WARM_UP = "EXAM: XR CHEST 2 VIEWS\nTECHNIQUE: PA and lateral views.\nIMPRESSION: Normal."
PROGRESS_EVERY = 10.0  # seconds between progress lines when stderr is not a terminal
INFLIGHT_PER_WORKER = 4
# the cycle collector in a worker process: a young collection every 20,000 net allocations
# rather than 700 (the pipeline's short-lived containers die by reference count; the default
# spent ~2% of a worker's time walking them)
WORKER_GC_THRESHOLD = (20000, 20, 100)
# the fields of an input record the pipeline reads; the rest is not sent to the workers
# (the hl7/fhir context, accession and service date feed the --format hl7|fhir|x12 writers)
RECORD_KEYS = ("id", "text", "ordered", "billing", "payer", "error", "report_status", "service_date",
               "accession", "hl7", "fhir", WARNINGS_KEY)


def csv_header(fmt: str) -> str:
    return ",".join(CSV_LAYOUTS[fmt]) + "\r\n"


CSV_HEADER = csv_header("csv-reports")

# the readers' error records that stand for the whole input (the run stops before any output, exit 2)
FILE_ERRORS = ("missing_column", "not_json_lines")

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_ABORTED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class BatchError(ValueError):
    """The run cannot start (bad options, or an output that --resume cannot continue)."""


class BatchAborted(RuntimeError):
    """The run stopped before the end; the output is a valid prefix that --resume continues."""


@dataclass(frozen=True)
class Settings:
    """What decides the codes; a resumed run must use the same."""

    billing: str = "professional"
    payer: str = "medicare"
    lexicon: str | None = None
    confidence: str | None = None  # None: the packaged model; "rules": the rule score; or a folder
    release: tuple[tuple[str, float], ...] = ()  # --release FAMILY=T points (none: the model's)


# ---------------------------------------------------------------------- one record


def code_record(s, rec, n: int) -> dict:
    """``Suggester.suggest_record`` that never raises.

    An unexpected exception (a pipeline bug) becomes an ``internal_error`` record so that a long
    run keeps its one-output-per-input promise. Repairs made by the reader (encoding, line ends)
    are kept as ``input_warnings``.
    """
    try:
        out = s.suggest_record(rec, n)
    except Exception as e:  # noqa: BLE001  (any bug in one record must not stop the run)
        from .pipeline import error_record, record_id

        out = error_record(record_id(rec, n), "internal_error", f"{type(e).__name__}: {e}"[:500])
    return _with_warnings(out, rec)


def code_records(s, records: list, start: int, time_limit: float | None = None,
                 stopped: frozenset = frozenset(), crashed: frozenset = frozenset()) -> list[dict]:
    """:func:`code_record_limited` for a chunk (records ``start + 1`` ...), with the confidence
    model called once for the chunk (``Suggester.suggest_many``'s batching); the same outputs.
    Each record is prepared under its own time limit; when one raises, the chunk is coded again
    record by record so that only that one becomes an ``internal_error`` record. The records
    numbered in ``stopped`` (their worker was ended at the hard limit) and in ``crashed`` (they
    ended a worker twice, see :class:`_Pool`) are not coded again: each becomes its ``timeout``
    or ``internal_error`` record."""
    def prepare(rec, n: int):
        if n in stopped:
            return stopped_record(rec, n, time_limit)
        if n in crashed:
            return crashed_record(rec, n)
        return limited(lambda: s._prepare_record(rec, n), rec, n, time_limit)

    try:
        jobs = [prepare(rec, n) for n, rec in enumerate(records, start + 1)]
        outs = list(s._finish_many(jobs))
    except Exception:  # noqa: BLE001
        return [code_one_record(s, rec, n, time_limit, stopped, crashed) for n, rec in enumerate(records, start + 1)]
    return [out if n in crashed or (out.get("error") or {}).get("type") == "timeout" else _with_warnings(out, rec)
            for n, (out, rec) in enumerate(zip(outs, records, strict=True), start + 1)]


def code_one_record(s, rec, n: int, time_limit: float | None, stopped: frozenset = frozenset(),
                    crashed: frozenset = frozenset()) -> dict:
    """One record of a chunk on its own: its ``timeout`` or ``internal_error`` record when it is
    in ``stopped`` or ``crashed``, else :func:`code_record_limited`."""
    if n in stopped:
        return stopped_record(rec, n, time_limit)
    if n in crashed:
        return crashed_record(rec, n)
    return code_record_limited(s, rec, n, time_limit)


def hard_limit(time_limit: float) -> float:
    """CPU seconds after which a worker still on one record is ended by the kernel: the alarm at
    ``time_limit`` cannot interrupt a single long C call, this can."""
    return time_limit * 1.5 + 0.5


def stopped_record(rec, n: int, time_limit: float | None, limit_name: str = "--time-limit",
                   went_on: str = "the run went on") -> dict:
    """The ``timeout`` error record of a record whose worker process was ended at the hard limit."""
    from .pipeline import error_record, record_id

    return error_record(record_id(rec, n), "timeout",
                        f"coding took more than {hard_limit(time_limit or 0):g} s of CPU time in a step that could "
                        f"not be interrupted ({limit_name} {time_limit or 0:g}); the worker process was stopped and "
                        f"replaced and {went_on}")


def crashed_record(rec, n: int, went_on: str = "the run went on") -> dict:
    """The ``internal_error`` record of a record whose worker process ended (killed, crashed in
    native code, out of memory) while coding it, also when it was tried again on a new worker.
    Names no report text: the record's id and what happened."""
    from .pipeline import error_record, record_id

    return error_record(record_id(rec, n), "internal_error",
                        f"the worker process coding this report ended (killed or crashed), also when it was tried "
                        f"again; it was replaced and {went_on}")


def _with_warnings(out: dict, rec) -> dict:
    warnings = rec.get(WARNINGS_KEY) if isinstance(rec, dict) else None
    if isinstance(warnings, (list, tuple)) and warnings:  # set by our readers; ignore anything else
        out["input_warnings"] = [str(w) for w in warnings]
    return out


class RecordTimeout(BaseException):
    """Raised by the per-record alarm (a BaseException, so no ``except Exception`` in the
    pipeline can swallow it)."""


_ALARM: dict[str, Any] = {"armed": False}  # the alarm state, and the watchdog's (watch_records)


def _on_alarm(signum, frame) -> None:
    if _ALARM["armed"]:
        _ALARM["armed"] = False
        raise RecordTimeout


# the hard limit's signal (POSIX); where it does not exist (Windows) there is no hard limit
HARD_LIMIT_SIGNAL: int | None = getattr(signal, "SIGVTALRM", None)


def _alarm_usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def code_record_limited(s, rec, n: int, time_limit: float | None) -> dict:
    """:func:`code_record` within ``time_limit`` seconds of CPU time (``ITIMER_PROF``, so a
    machine busy with other jobs does not turn slow records into timeouts; the caller has
    installed :func:`_on_alarm` for SIGPROF): a record that takes longer becomes a ``timeout``
    error record. The alarm interrupts Python code; a single C call (one regular-expression
    search) finishes first, which every text pass of the pipeline keeps short (linear time,
    bounded sections)."""
    return limited(lambda: code_record(s, rec, n), rec, n, time_limit)


def watch_records(progress, slot: int, time_limit: float | None) -> None:
    """In a worker process: from now on :func:`limited` writes the number of the record being
    coded to ``progress[slot]`` (shared memory the parent reads when the worker dies; 0 between
    records) and arms the hard limit: at :func:`hard_limit` CPU seconds on one record the kernel
    ends the process (``SIGVTALRM``, default action). Never in the process that runs the batch."""
    if HARD_LIMIT_SIGNAL is not None:
        signal.signal(HARD_LIMIT_SIGNAL, signal.SIG_DFL)
    if time_limit and _alarm_usable():
        signal.signal(signal.SIGPROF, _on_alarm)
    hard = hard_limit(time_limit) if time_limit and HARD_LIMIT_SIGNAL is not None else 0.0
    _ALARM.update(progress=progress, slot=slot, hard=hard)


@contextmanager
def on_record(n: int) -> Iterator[None]:
    """In a worker process (:func:`watch_records`): ``progress[slot]`` is ``n`` inside the block
    (the record the parent blames if the process dies now), then what it was before (nested
    blocks restore the outer record; 0 between records). Elsewhere: nothing."""
    progress = _ALARM.get("progress")
    if progress is None:
        yield
        return
    slot = _ALARM["slot"]
    before = progress[slot]
    progress[slot] = n
    try:
        yield
    finally:
        progress[slot] = before


def limited(fn, rec, n: int, time_limit: float | None, limit_name: str = "--time-limit",
             went_on: str = "the run went on"):
    """``fn()`` within ``time_limit`` CPU seconds, else the ``timeout`` error record of ``rec``
    (in a worker process, under :func:`on_record` ``n`` also without a limit)."""
    if not time_limit or not hasattr(signal, "setitimer"):
        with on_record(n):  # no limit, or no CPU timers on this platform (Windows)
            return fn()
    hard = _ALARM.get("hard")
    try:
        _ALARM["armed"] = True
        with on_record(n):
            if hard:
                signal.setitimer(signal.ITIMER_VIRTUAL, hard)
            signal.setitimer(signal.ITIMER_PROF, time_limit)
            try:
                return fn()
            finally:
                _ALARM["armed"] = False
                signal.setitimer(signal.ITIMER_PROF, 0)
                if hard:
                    signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    except RecordTimeout:
        from .pipeline import error_record, record_id

        return error_record(record_id(rec, n), "timeout",
                            f"coding took more than {time_limit:g} s of CPU time ({limit_name}); {went_on}")


def _slim(rec) -> dict:
    if not isinstance(rec, dict):
        return rec
    return {k: rec[k] for k in RECORD_KEYS if k in rec}


class Chunk(NamedTuple):
    start: int  # records before this chunk
    count: int  # type: ignore[assignment]  # the chunk's record count (shadows tuple.count)
    ok: int
    errors: int
    needs_review: int
    error_types: dict
    payload: bytes  # whole lines, UTF-8
    maxrss_kb: int
    versions: dict
    payment: PaymentTotals | None = None  # of the chunk, with a fee schedule


def encode_records(outs: list[dict], fmt: str, sources: list | None = None, start: int = 0) -> bytes:
    """Output records as whole lines of ``fmt`` (UTF-8; a lone surrogate as ``\\udXXX``): JSONL,
    CSV rows (``start``: the records before these, for the record column), or one line per
    record of the integration formats (``sources``: the input records, whose HL7/FHIR context
    the writers copy)."""
    if fmt in CSV_LAYOUTS:
        buf = _io.StringIO()
        w = csv.writer(buf)
        fields = CSV_LAYOUTS[fmt]
        for n, o in enumerate(outs, start + 1):
            for row in (csv_line_rows(o, n) if fmt == "csv" else [csv_row(o)]):
                w.writerow([row[k] for k in fields])
        text = buf.getvalue()
    elif fmt in ("hl7", "fhir", "x12"):
        from .integrations import format_record

        srcs = sources if sources is not None else [None] * len(outs)
        text = "".join(format_record(o, fmt, src) for o, src in zip(outs, srcs, strict=True))
    else:
        text = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in outs)
    return text.encode("utf-8", "backslashreplace")


def _pack(outs: list[dict], fmt: str, start: int, fees=None, sources: list | None = None,
          payload: bytes | None = None) -> Chunk:
    """The chunk of ``outs``: priced (``fees``), counted and encoded (``payload``: the records
    already priced and encoded, by :func:`_code_careful`)."""
    payment = None
    if fees is not None:
        from .billing import PaymentTotals, price_record

        payment = PaymentTotals(fees.label)
        for o in outs:
            if payload is None:
                price_record(o, fees)
            payment.add_record(o)
    ok = errors = review = 0
    types: Counter = Counter()
    versions: dict = {}
    for o in outs:
        if o.get("status") == "ok":
            ok += 1
            review += bool(o.get("needs_review"))
            versions = o.get("versions") or versions
        else:
            errors += 1
            types[(o.get("error") or {}).get("type", "unknown")] += 1
    if payload is None:
        payload = encode_records(outs, fmt, sources, start)
    return Chunk(start, len(outs), ok, errors, review, dict(types), payload, _maxrss_kb(), versions, payment)


# ---------------------------------------------------------------------- worker processes

_WORKER: dict = {"settings": None, "suggester": None, "fmt": "jsonl", "fee_path": None, "fees": None,
                 "time_limit": None}


def settle_heap() -> None:
    """Once the pipeline is built: move its ~100,000 long-lived objects out of the cycle
    collector's sight (``gc.freeze``). Full collections otherwise walk them all (~80 ms every
    thousand reports, the slowest 1% of records several times slower), and in a worker forked
    from this process each walk writes to, and so copies, the memory pages it shares with it."""
    gc.collect()
    gc.freeze()


def worker_gc() -> None:
    """In a worker process that codes reports and nothing else: :data:`WORKER_GC_THRESHOLD`."""
    gc.set_threshold(*WORKER_GC_THRESHOLD)


def _suggester_for(settings: Settings):
    if _WORKER["suggester"] is None or _WORKER["settings"] != settings:
        from .pipeline import Suggester, release_options

        _WORKER["suggester"] = Suggester(lexicon_path=settings.lexicon, billing=settings.billing,
                                         payer=settings.payer, confidence_model=settings.confidence,
                                         **release_options(settings.release))
        _WORKER["suggester"].suggest(WARM_UP)  # first-use costs (compiled patterns, caches) paid here,
        _WORKER["settings"] = settings         # not by the first record's time limit (and inherited by fork)
    return _WORKER["suggester"]


def _fees_for(path: str | None):
    """The fee schedule of ``--fee-schedule`` (suggester.billing), loaded once per process."""
    if path is None:
        return None
    if _WORKER["fee_path"] != path:
        from .billing import load_fee_schedule

        _WORKER["fees"] = load_fee_schedule(path)
        _WORKER["fee_path"] = path
    return _WORKER["fees"]


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills a worker when the main process dies, even by ``kill -9``, so no
    orphan keeps its memory (PR_SET_PDEATHSIG)."""
    if sys.platform != "linux":
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _worker_main(conn, slot: int, progress, settings: Settings, fmt: str, parent: int,
                 fee_path: str | None, time_limit: float | None) -> None:
    """A worker process: build (or inherit) the pipeline, then code the chunks sent over
    ``conn`` one at a time and send each back packed; ``None`` ends it."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    watch_records(progress, slot, time_limit)
    _WORKER["time_limit"] = time_limit
    _WORKER["fmt"] = fmt
    _suggester_for(settings)  # built once per worker (inherited as is under fork)
    _WORKER["use_fees"] = _fees_for(fee_path)
    if _context().get_start_method() != "fork":
        settle_heap()  # built here (spawn); a forked worker inherits the parent's frozen heap
    worker_gc()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the parent has gone
            return
        if task is None:
            return
        conn.send(_code_chunk(task))


def _code_chunk(task: tuple) -> Chunk:
    """A task ``(start, records[, stopped, crashed, careful])``: the chunk coded and packed, the
    whole chunk at once, or record by record when ``careful`` (after a worker died on it) or when
    packing the whole chunk raised."""
    start, records, *rest = task
    defaults: tuple = (frozenset(), frozenset(), False)
    stopped, crashed, careful = (*rest, *defaults[len(rest):])
    if not careful:
        try:
            outs = code_records(_WORKER["suggester"], records, start, _WORKER.get("time_limit"), stopped, crashed)
            return _pack(outs, _WORKER["fmt"], start, _WORKER.get("use_fees"), records)
        except Exception:  # noqa: BLE001  (a bug in packing one record: find it record by record)
            pass
    return _code_careful(start, records, stopped, crashed)


def _code_careful(start: int, records: list, stopped: frozenset, crashed: frozenset) -> Chunk:
    """A chunk coded, priced and encoded one record at a time, each step of a record under
    :func:`on_record` (a worker that dies is blamed on the record it was on, not on the chunk);
    a record that cannot be priced or encoded becomes its ``internal_error`` record."""
    from .pipeline import error_record, record_id

    s, fmt, fees = _WORKER["suggester"], _WORKER["fmt"], _WORKER.get("use_fees")
    outs, parts = [], []
    for n, rec in enumerate(records, start + 1):
        with on_record(n):
            out = code_one_record(s, rec, n, _WORKER.get("time_limit"), stopped, crashed)
            try:
                if fees is not None:
                    from .billing import price_record

                    price_record(out, fees)
                part = encode_records([out], fmt, [rec], n - 1)
            except Exception as e:  # noqa: BLE001  (a bug: this record's error record in its place)
                out = error_record(record_id(rec, n), "internal_error",
                                   f"internal error ({type(e).__name__}) while writing this record as {fmt}")
                part = encode_records([out], fmt, [None], n - 1)
        outs.append(out)
        parts.append(part)
    return _pack(outs, fmt, start, fees, records, payload=b"".join(parts))


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _context():
    # fork: the workers inherit the parent's Suggester (no second build); elsewhere spawn
    if sys.platform == "linux" and "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    return mp.get_context("spawn")


# ---------------------------------------------------------------------- resume


@dataclass
class Prefix:
    """The complete records already in an output file."""

    records: int = 0
    ok: int = 0
    errors: int = 0
    needs_review: int = 0
    error_types: Counter = field(default_factory=Counter)
    valid_bytes: int = 0
    file_bytes: int = 0
    payment: PaymentTotals | None = None  # of the prefix (JSONL output with a fee schedule)


def scan_output(path: str | Path, fmt: str, fees=None, check=None) -> Prefix:
    """Count the complete records of an output file and where its valid prefix ends.

    A last line without its newline (or a CSV row cut inside a quoted field) is not part of the
    prefix. Anything else that is not a record written by ``suggester code`` is an error.
    ``check(id, record)`` is called for each complete record (``record`` is None for CSV).
    """
    path = Path(path)
    p = Prefix(file_bytes=path.stat().st_size)
    if fees is not None and fmt not in CSV_LAYOUTS:
        from .billing import PaymentTotals

        p.payment = PaymentTotals(fees.label)
    with open(path, "rb") as fh:
        if fmt in CSV_LAYOUTS:
            _scan_csv(fh, p, path, fmt, check)
        else:
            _scan_jsonl(fh, p, path, fmt, check)
    return p


def _count(p: Prefix, status: str, review: bool, etype: str | None) -> None:
    p.records += 1
    if status == "ok":
        p.ok += 1
        p.needs_review += review
    else:
        p.errors += 1
        p.error_types[etype or "unknown"] += 1


def _scan_jsonl(fh, p: Prefix, path: Path, fmt: str = "jsonl", check=None) -> None:
    """One record a line: JSONL, and the hl7 / fhir / x12 formats (integrations.line_status)."""
    from .integrations import line_status

    for lineno, line in enumerate(iter(fh.readline, b""), 1):
        if not line.endswith(b"\n"):
            return  # the partial line of an interrupted write
        try:
            rec = json.loads(line) if fmt == "jsonl" else line_status(line, fmt)
            status = rec["status"]
        except (ValueError, KeyError, TypeError):
            raise BatchError(f"{path}:{lineno} is not a record written by suggester code; "
                             f"cannot resume (run without --resume to start again)") from None
        _count(p, status, bool(rec.get("needs_review")), (rec.get("error") or {}).get("type"))
        if check is not None:  # the hl7 / fhir / x12 lines carry no id: counted, checked by the bytes
            check(rec.get("id"), rec) if fmt == "jsonl" else check(None, None)
        if p.payment is not None:
            p.payment.add_record(rec)
        p.valid_bytes += len(line)


def _scan_csv(fh, p: Prefix, path: Path, fmt: str = "csv-reports", check=None) -> None:
    header = csv_header(fmt).encode()
    head = fh.readline()
    if len(head) < len(header) and header.startswith(head):
        return  # nothing but (part of) the header: start again
    if head != header:
        raise BatchError(f"{path}: first line is not the header written by suggester code "
                         f"({header.decode().strip()}); cannot resume")
    pos = {"end": len(head)}

    def lines() -> Iterator[str]:
        for line in iter(fh.readline, b""):
            if not line.endswith(b"\n"):
                return
            pos["end"] += len(line)
            yield line.decode("utf-8", "surrogateescape")

    p.valid_bytes = len(head)
    reader = csv.reader(lines(), strict=True)
    fields = CSV_LAYOUTS[fmt]
    i = fields.index
    row_no = 1
    # --layout lines: a record is the run of rows with its record number; the last record in
    # the file may have lost rows to the interruption, so the prefix ends before it
    last = None  # (record number, start offset, status, review, error type) of the open record
    last_id = None
    while True:
        start = pos["end"]
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            break  # the file ends inside a quoted field: a partial row
        row_no += 1
        if len(row) != len(fields) or row[i("status")] not in ("ok", "error"):
            raise BatchError(f"{path}: row {row_no} is not a row written by suggester code; cannot resume")
        etype = row[i("error")].split(":", 1)[0] if row[i("error")] else None
        if fmt == "csv-reports":
            _count(p, row[i("status")], row[i("needs_review")] == "true", etype)
            if check is not None:
                check(row[i("id")], None)
            p.valid_bytes = pos["end"]
        elif last is None or row[i("record")] != last[0]:
            if last is not None:
                _count(p, *last[2:])
                if check is not None:
                    check(last_id, None)
            p.valid_bytes = start
            last = (row[i("record")], start, row[i("status")], row[i("needs_review")] == "true", etype)
            last_id = row[i("id")]


_END = object()


def _same_id(a, b) -> bool:
    """Ids compared as written (a lone surrogate is ``\\udXXX`` in a CSV output)."""
    enc = lambda x: str(x).encode("utf-8", "backslashreplace")  # noqa: E731
    return enc(a) == enc(b)


class _PrefixCheck:
    """Proves that the records already in an output come from this input and these settings.

    Called with each complete output record while the output is scanned, it reads the input
    record at the same place (so the input is read once: after the scan, ``records`` continues
    with the first record to code) and compares: the id, for JSONL ``ok`` records the billing,
    payer and versions, and, for a folder, at the record count the manifest recorded, the size
    and sha256 of what was read so far (a file's consumed bytes are checked before the scan, by
    :func:`_check_input_prefix`). Works without a manifest (ids and settings in the records).
    """

    def __init__(self, records: Iterator, tap: _InputTap, s, mark: dict | None, what: str) -> None:
        self.records, self.tap, self.s, self.mark, self.what = records, tap, s, mark, what
        self.read = 0
        self.exhausted = False
        self.mark_checked = mark is None

    def __call__(self, out_id, out: dict | None) -> None:
        if self.exhausted:
            return
        try:
            rec = next(self.records, _END)
        except OSError as e:
            raise BatchError(f"cannot read {self.what}: {e.strerror or e}") from None
        if rec is _END:
            self.exhausted = True
            return
        self.read += 1
        n = self.read
        from .pipeline import record_id

        want = record_id(rec, n)
        if out_id is not None and not _same_id(want, out_id):
            raise BatchError(f"cannot resume: output record {n} has id {out_id!r} but input record {n} has id "
                             f"{want!r}; the input changed since the output was written, or the output belongs "
                             f"to another input (run without --resume to start again)")
        if out is not None and out.get("status") == "ok":
            self._settings(n, rec, out)
        if self.mark is not None and n == self.mark.get("records"):
            got: dict[str, Any] = {"bytes": self.tap.bytes, "sha256": self.tap.sha.copy().hexdigest()}
            if got != {"bytes": self.mark.get("bytes"), "sha256": self.mark.get("sha256")}:
                raise BatchError(f"cannot resume: the first {n} input files are not the bytes the manifest "
                                 f"recorded (sha256 {str(self.mark.get('sha256'))[:12]}, {self.mark.get('bytes')} "
                                 f"bytes; now {got['sha256'][:12]}, {got['bytes']} bytes): the input changed "
                                 f"(run without --resume to start again)")
            self.mark_checked = True

    def _settings(self, n: int, rec, out: dict) -> None:
        own = rec if isinstance(rec, dict) else {}
        want = {"billing": str(own.get("billing") or self.s.billing),
                "payer": str(own.get("payer") or self.s.payer.name)}
        want.update({f"versions.{k}": v for k, v in self.s.versions.items()})
        got = {"billing": out.get("billing"), "payer": out.get("payer")}
        got.update({f"versions.{k}": (out.get("versions") or {}).get(k) for k in self.s.versions})
        diff = {k: (got[k], v) for k, v in want.items() if got[k] != v}
        if diff:
            detail = "; ".join(f"{k}: was {a!r}, now {b!r}" for k, (a, b) in diff.items())
            raise BatchError(f"cannot resume: output record {n} was coded with other settings ({detail}); "
                             f"run without --resume to start again")


def _sha256_prefix(path: Path, size: int) -> hashlib._Hash:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        left = size
        while left:
            block = fh.read(min(left, 1 << 20))
            if not block:
                break
            h.update(block)
            left -= len(block)
    return h


# ---------------------------------------------------------------------- manifest


def manifest_path_for(output: str) -> str | None:
    return None if output == "-" else f"{output}.manifest.json"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _write_json_atomic(path: str, obj: dict) -> None:
    tmp = f"{path}.tmp"
    text = json.dumps(obj, indent=2, ensure_ascii=False) + "\n"  # one write (json.dump writes each piece)
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _environment() -> dict:
    import spacy

    return {"python": platform.python_version(), "spacy": spacy.__version__,
            "platform": platform.platform(terse=True)}


# ---------------------------------------------------------------------- the run


class _InputTap:
    """Hashes every input byte and counts them (for the progress estimate)."""

    def __init__(self) -> None:
        self.sha = hashlib.sha256()
        self.bytes = 0

    def update(self, data: bytes) -> None:
        self.sha.update(data)
        self.bytes += len(data)


@dataclass
class BatchResult:
    records: int
    ok: int
    errors: int
    needs_review: int
    resumed_from: int
    elapsed_s: float
    workers: int
    output: str
    manifest: dict
    manifest_path: str | None = None
    payment: PaymentTotals | None = None  # with a fee schedule
    output_closed: bool = False  # stdout was closed by its reader (``| head``): a normal end
    workers_replaced: int = 0  # worker processes that died (killed, crashed, the hard CPU limit) and were replaced

    @property
    def processed(self) -> int:
        """Records coded by this run (the rest were already in the output)."""
        return self.records - self.resumed_from

    @property
    def records_per_s(self) -> float:
        return self.processed / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def exit_code(self) -> int:
        return EXIT_ERRORS if self.errors else EXIT_OK


def format_summary(r: BatchResult) -> str:
    s = (f"suggester: {r.records} records: {r.ok} ok ({r.needs_review} need review), {r.errors} errors; "
         f"coded {r.processed} in {r.elapsed_s:.1f} s ({r.records_per_s:.0f} records/s, {r.workers} "
         f"worker{'s' if r.workers != 1 else ''})")
    if r.resumed_from:
        s += f"; resumed after {r.resumed_from} records already in the output"
    if r.workers_replaced:
        s += (f"; {r.workers_replaced} worker process{'es' if r.workers_replaced != 1 else ''} died and "
              f"{'were' if r.workers_replaced != 1 else 'was'} replaced")
    kinds = r.manifest.get("counts", {}).get("error_types") or {}
    if kinds:
        s += "\nerrors by type: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    if r.payment is not None:
        s += "\n" + r.payment.summary()
    if r.manifest_path:
        s += f"\nmanifest: {r.manifest_path}"
    return s


def _output_format(output: str, output_format: str | None, layout: str = "lines") -> str:
    if layout not in ("lines", "reports"):
        raise BatchError(f"--layout must be lines or reports, got {layout!r}")
    fmt = output_format
    if not fmt:
        name = output.lower()
        fmt = next((f for suffix, f in ((".csv", "csv"), (".hl7", "hl7"), (".x12", "x12"), (".837", "x12"))
                    if name.endswith(suffix)), "jsonl")
    if fmt not in ("jsonl", "csv", "hl7", "fhir", "x12"):
        raise BatchError(f"output format must be one of jsonl, csv, hl7, fhir, x12; got {output_format!r}")
    return "csv-reports" if fmt == "csv" and layout == "reports" else fmt


def code_batch(input: str, output: str = "-", *, output_format: str | None = None,
               input_format: str | None = None, id_col: str = "id", text_col: str = "text",
               billing: str = "professional", payer: str = "medicare", lexicon: str | None = None,
               workers: int | None = None, chunk_size: int = DEFAULT_CHUNK, resume: bool = False,
               progress: bool | None = None, manifest: str | None = None,
               fee_schedule: str | None = None, layout: str = "lines", confidence: str | None = None,
               release: tuple[tuple[str, float], ...] = (), time_limit: float | None = DEFAULT_TIME_LIMIT,
               progress_every: float = PROGRESS_EVERY) -> BatchResult:
    """Code every record of ``input`` into ``output`` (``-`` is stdin / stdout).

    ``progress=None`` shows a bar on stderr when it is a terminal and a line every
    ``progress_every`` seconds when it is not; ``False`` shows nothing. ``fee_schedule`` (a PFS
    RVU table, see ``suggester.billing``) adds payment estimates to every record of the JSONL
    output and run totals to the result and the manifest. ``confidence`` chooses the confidence
    model (``"rules"``: the rule score). ``time_limit`` (seconds, None or 0: none) turns a
    record that takes longer into a ``timeout`` error record. Raises :class:`BatchError`
    before writing anything when the options are wrong or ``resume`` cannot prove it continues
    the same job, :class:`BatchAborted` when the run stops part way (a worker died, the input
    became unreadable), ``KeyboardInterrupt`` on Ctrl-C; in the last two cases the output is a
    valid prefix for ``resume=True``. A closed stdout (``| head``) ends the run normally.
    """
    started, t0, cpu0 = _now(), time.perf_counter(), _cpu_s()
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise BatchError(f"--workers must be at least 1, got {workers}")
    if chunk_size < 1:
        raise BatchError(f"--chunk-size must be at least 1, got {chunk_size}")
    if time_limit is not None and time_limit < 0:
        raise BatchError(f"--time-limit must be positive (0: none), got {time_limit}")
    fmt_out = _output_format(output, output_format, layout)
    if input != "-" and not os.path.exists(input):
        raise FileNotFoundError(f"input not found: {input}")
    fmt_in = input_format or detect_format(input)
    if fmt_in == "dir" and not os.path.isdir(input):
        raise BatchError(f"--input-format dir needs a folder, got {input}")
    if resume and output == "-":
        raise BatchError("--resume needs an output file (-o), not stdout")
    mpath = manifest or manifest_path_for(output)
    _refuse_overwriting_input(input, output, mpath)
    lexicon = str(Path(lexicon).resolve()) if lexicon else None
    settings = Settings(billing=billing, payer=payer, lexicon=lexicon, confidence=confidence,
                        release=tuple(release))
    s = _suggester_for(settings)  # bad payer / lexicon / model fail here, before any output
    fee_path = str(Path(fee_schedule).resolve()) if fee_schedule else None
    fees = _fees_for(fee_path)  # a bad table fails here too (file:line)
    startup, startup_cpu = time.perf_counter() - t0, _cpu_s()  # building the pipeline: the fixed cost of a run
    run_keys: dict[str, Any] = {"input": "-" if input == "-" else str(Path(input).resolve()), "input_format": fmt_in,
                "output_format": fmt_out, "id_col": id_col, "text_col": text_col,
                "billing": billing, "payer": payer, "lexicon": lexicon, "fee_schedule": fee_path}
    if confidence is not None:
        run_keys["confidence"] = confidence
    if release:
        run_keys["release"] = [[f, t] for f, t in release]

    # ---- input
    tap = _InputTap()
    records = read_records(input, fmt_in, id_col, text_col, tap=tap)
    try:
        first = next(records, None)
    except OSError as e:
        raise BatchError(f"cannot read {input}: {e.strerror or e}") from None
    if isinstance(first, dict) and (first.get("error") or {}).get("type") in FILE_ERRORS:
        line = str(first.get("id", "line-1")).removeprefix("line-")  # the line of the header or first object
        raise BatchError(f"{'stdin' if input == '-' else input}:{line}: {first['error']['message']}")
    records = _chain(first, records)

    # ---- output: locked, then what is already done (checked against the input), then cut
    if output == "-":
        out, close_out = sys.stdout.buffer, False
    else:
        out, close_out = _open_locked(output), True
    state: dict[str, Any] = {"read": 0, "error": None, "marks": {}}
    try:
        prefix = Prefix()
        if resume and os.path.getsize(output):
            old = _check_resume(mpath, run_keys) if mpath and os.path.exists(mpath) else None
            mark = ((old or {}).get("input") or {}).get("consumed") if input != "-" else None
            mark = mark if isinstance(mark, dict) else None
            if mark is not None and fmt_in != "dir":
                _check_input_prefix(input, mark)
                mark = None
            check = _PrefixCheck(records, tap, s, mark, input)  # a folder: checked at the marked record
            prefix = scan_output(output, fmt_out, fees, check)
            if check.read < prefix.records:
                raise BatchError(f"the output already holds {prefix.records} records but the input has only "
                                 f"{check.read}: it is not the output of this input")
            if not check.mark_checked:
                raise BatchError(f"cannot resume: the manifest {mpath} records {(mark or {}).get('records')} records "
                                 f"written but the output holds {prefix.records} (run without --resume to start "
                                 f"again, or remove the manifest to continue from what the output holds)")
            state["read"] = prefix.records
        if _is_file(out):
            out.truncate(prefix.valid_bytes)
            out.seek(prefix.valid_bytes)
            os.fsync(out.fileno())
    except BaseException:
        if close_out:
            out.close()
        raise
    out_sha = _sha256_prefix(Path(output), prefix.valid_bytes) if prefix.valid_bytes else hashlib.sha256()
    counts = {"records": prefix.records, "ok": prefix.ok, "errors": prefix.errors,
              "needs_review": prefix.needs_review}
    error_types = Counter(prefix.error_types)
    payment = None
    if fees is not None:
        from .billing import PaymentTotals

        payment = PaymentTotals(fees.label)
        if prefix.payment is not None:
            payment.merge(prefix.payment)
    env = _environment()
    manifest_obj: dict[str, Any] = {"schema": MANIFEST_SCHEMA, "status": "running", "started": started, "finished": None,
                    "settings": run_keys, "input": {"path": run_keys["input"], "format": fmt_in},
                    "output": {"path": output, "format": fmt_out},
                    "counts": dict(counts, resumed_from=prefix.records),
                    "versions": dict(s.versions, **env),
                    "run": {"workers": workers, "chunk_size": chunk_size, "time_limit_s": time_limit or None}}
    if prefix.records and input != "-":
        manifest_obj["input"]["consumed"] = {"records": prefix.records, "bytes": tap.bytes,
                                             "sha256": tap.sha.copy().hexdigest()}
    if mpath:
        _write_json_atomic(mpath, manifest_obj)
    bar = _progress_bar(progress, input, fmt_in, prefix.records)
    log = _ProgressLog(progress_every, counts, prefix.records) if progress is None and bar is None else None
    status = "aborted"
    peak_worker_kb = 0
    pool_stats = {"workers_replaced": 0}
    try:
        if fmt_out in CSV_LAYOUTS and not prefix.valid_bytes:
            head = csv_header(fmt_out).encode()
            out.write(head)
            out.flush()
            out_sha.update(head)
        tasks = _tasks(records, prefix.records, chunk_size, state, tap)
        with closing(_run(tasks, workers, settings, fmt_out, fee_path, time_limit, pool_stats)) as chunks:
            for chunk in chunks:
                _write_chunk(out, chunk, out_sha, counts, error_types, close_out)
                if payment is not None and chunk.payment is not None:
                    payment.merge(chunk.payment)
                peak_worker_kb = max(peak_worker_kb, chunk.maxrss_kb)
                if chunk.versions:
                    manifest_obj["versions"].update(chunk.versions)
                mark = state["marks"].pop(chunk.start + chunk.count, None)
                if mpath:
                    if mark is not None and input != "-":
                        manifest_obj["input"]["consumed"] = mark
                    manifest_obj["counts"] = _manifest_counts(counts, prefix.records, error_types)
                    _write_json_atomic(mpath, manifest_obj)
                if bar is not None:
                    _advance(bar, chunk.count, state, tap, input, fmt_in)
                if log is not None:
                    log.tick()
        if state["error"] is not None:
            raise BatchAborted(f"reading the input failed after {state['read']} records: {state['error']}")
        status = "complete"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    except BrokenPipeError:
        if close_out:
            raise BatchAborted(f"writing {output} failed after {counts['records']} records: broken pipe; "
                               f"rerun with --resume") from None
        _stdout_closed()  # `suggester code in.jsonl | head`: the reader has what it wants
        status = "output_closed"
    except OSError as e:  # disk full, output gone: what was written is still a valid prefix
        raise BatchAborted(f"writing {output} failed after {counts['records']} records: {e.strerror or e}; "
                           f"free the space and rerun with --resume") from None
    finally:
        if bar is not None:
            bar.close()
        if close_out:
            try:
                out.close()  # also releases the lock
            except OSError:  # the buffered rest of a failed write; the error is being raised
                if status == "complete":
                    raise
        elapsed = time.perf_counter() - t0
        manifest_obj.update(status=status, finished=_now())
        manifest_obj["counts"] = _manifest_counts(counts, prefix.records, error_types)
        if payment is not None:
            manifest_obj["payment"] = dict(payment.to_dict(), records=payment.records)
            if prefix.records and prefix.payment is None:
                manifest_obj["payment"]["note"] = (f"covers the {counts['records'] - prefix.records} records coded by "
                                                   f"this run (CSV output carries no payments to resume from)")
        if status == "complete":
            manifest_obj["input"].update(sha256=tap.sha.hexdigest(), bytes=tap.bytes)
            manifest_obj["output"].update(sha256=out_sha.hexdigest())
        processed = counts["records"] - prefix.records
        manifest_obj["run"].update(elapsed_s=round(elapsed, 3), startup_s=round(startup, 3),
                                   workers_replaced=pool_stats["workers_replaced"],
                                   records_per_s=round(processed / elapsed, 1) if elapsed > 0 else None,
                                   peak_rss_mb={"main": round(_maxrss_kb() / 1024, 1),
                                                "worker": round(peak_worker_kb / 1024, 1)},
                                   # CPU seconds of this run's main process after start-up and of
                                   # its worker processes (what an idle machine's speed follows from)
                                   cpu_s={"startup": round(startup_cpu[0] - cpu0[0], 3),
                                          "main": round(_cpu_s()[0] - startup_cpu[0], 3),
                                          "workers": round(_cpu_s()[1] - cpu0[1], 3)})
        if mpath:
            try:
                _write_json_atomic(mpath, manifest_obj)
            except OSError:
                if status == "complete":
                    raise
    return BatchResult(records=counts["records"], ok=counts["ok"], errors=counts["errors"],
                       needs_review=counts["needs_review"], resumed_from=prefix.records,
                       elapsed_s=elapsed, workers=workers, output=output, manifest=manifest_obj,
                       manifest_path=mpath, payment=payment, output_closed=status == "output_closed",
                       workers_replaced=pool_stats["workers_replaced"])


def _manifest_counts(counts: dict, resumed_from: int, error_types: Counter) -> dict:
    return dict(counts, resumed_from=resumed_from, error_types=dict(sorted(error_types.items())))


def _check_input_prefix(input: str, mark: dict) -> None:
    """The input bytes the earlier run had read (``mark``: their count and sha256, from the
    manifest) must be the first bytes of the input now; more bytes after them are allowed."""
    size, want = mark.get("bytes"), mark.get("sha256")
    if not isinstance(size, int) or not isinstance(want, str):
        return
    try:
        have = os.path.getsize(input)
        got = _sha256_prefix(Path(input), size).hexdigest() if have >= size else None
    except OSError as e:
        raise BatchError(f"cannot read {input}: {e.strerror or e}") from None
    if got != want:
        now = f"{have} bytes" if got is None else f"sha256 {got[:12]}"
        raise BatchError(f"cannot resume: the first {size} bytes of {input} are not the ones the earlier run read "
                         f"(manifest: sha256 {want[:12]}; now {now}): the input changed since the output was "
                         f"written (run without --resume to start again)")


def _refuse_overwriting_input(input: str, output: str, mpath: str | None) -> None:
    """``-o`` (or the manifest) naming the input, or a file inside an input folder, would
    destroy what is being read: a usage error before anything is opened for writing."""
    if input == "-":
        return
    src = Path(input)
    for what, path in (("-o", output), ("--manifest", mpath)):
        if not path or path == "-":
            continue
        dst = Path(path)
        same = dst.exists() and os.path.samefile(src, dst) or dst.resolve() == src.resolve()
        if same or src.is_dir() and src.resolve() in dst.resolve().parents:
            raise BatchError(f"{what} {path} would overwrite the input {input}; choose another file")


def _open_locked(output: str):
    """The output opened for writing without truncating it, with an exclusive ``flock``: a
    second run on the same output (two ``--resume`` at once) stops with a usage error."""
    try:
        fd = os.open(output, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as e:
        raise BatchError(f"cannot write {output}: {e.strerror or e}") from None
    fh = os.fdopen(fd, "r+b")
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise BatchError(f"{output} is being written by another suggester run (it is locked); "
                             f"wait for that run to end, or choose another -o") from None
    return fh


def _is_file(fh) -> bool:
    try:
        return stat.S_ISREG(os.fstat(fh.fileno()).st_mode)
    except (OSError, ValueError):
        return False


def _stdout_closed() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not print a
    BrokenPipeError (the reader of a pipe went away: a normal end)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


class _ProgressLog:
    """One line on stderr every ``every`` seconds (for cron / nohup logs, where a bar is noise)."""

    def __init__(self, every: float, counts: dict, resumed_from: int) -> None:
        self.every, self.counts, self.base = every, counts, resumed_from
        self.t0 = self.last = time.monotonic()

    def tick(self) -> None:
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        c = self.counts
        rate = (c["records"] - self.base) / (now - self.t0) if now > self.t0 else 0.0
        print(f"suggester: {c['records']} records ({rate:.0f} records/s), {c['errors']} errors",
              file=sys.stderr, flush=True)


def _write_chunk(out, chunk: Chunk, out_sha, counts: dict, error_types: Counter, sync: bool = False) -> None:
    """Whole lines, then flush (and fsync a file): a kill or a power cut leaves at most one
    partial line at the end."""
    out.write(chunk.payload)
    out.flush()
    if sync and _is_file(out):
        os.fsync(out.fileno())
    out_sha.update(chunk.payload)
    counts["records"] += chunk.count
    counts["ok"] += chunk.ok
    counts["errors"] += chunk.errors
    counts["needs_review"] += chunk.needs_review
    error_types.update(chunk.error_types)


def _check_resume(mpath: str, run_keys: dict) -> dict | None:
    """The manifest of the run that wrote the output (None when unreadable: the record-by-record
    check still runs), refusing other settings."""
    try:
        with open(mpath, encoding="utf-8") as fh:
            manifest = json.load(fh)
    except (OSError, ValueError):
        return None
    old = manifest.get("settings") if isinstance(manifest, dict) else None
    if not isinstance(old, dict):
        return None
    diff = {k: (old.get(k), v) for k, v in run_keys.items() if k in old and old.get(k) != v}
    for k in ("confidence", "release"):  # recorded only when set: present on one side only differs
        if (k in old) != (k in run_keys):
            diff[k] = (old.get(k), run_keys.get(k))
    if diff:
        detail = "; ".join(f"{k}: was {a!r}, now {b!r}" for k, (a, b) in diff.items())
        raise BatchError(f"--resume with different settings than the run that wrote the output ({detail})")
    return manifest


def _cpu_s() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its ended, reaped child processes."""
    if resource is None:
        return time.process_time(), 0.0
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _maxrss_kb() -> int:
    """Peak resident set size of this process in KiB (Linux units), 0 where unknown."""
    if resource is None:
        return 0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss  # macOS reports bytes


def _chain(first, rest: Iterator) -> Iterator:
    if first is None:
        return
    yield first
    yield from rest


def _tasks(records: Iterable, start: int, chunk_size: int, state: dict,
           tap: _InputTap | None = None) -> Iterator[tuple[int, list]]:
    """(start, records) chunks, numbered from ``start`` (the records already in the output).
    Reading errors end the stream and are left in ``state["error"]`` (the chunks before them are
    still written). ``state["marks"][end]``: the input bytes consumed when record ``end`` was
    read (count and sha256; what a resume checks)."""
    buf: list = []

    def mark() -> None:
        if tap is not None:
            state["marks"][start + len(buf)] = {"records": start + len(buf), "bytes": tap.bytes,
                                                "sha256": tap.sha.copy().hexdigest()}

    try:
        for rec in records:
            state["read"] += 1
            buf.append(_slim(rec))
            if len(buf) >= chunk_size:
                mark()
                yield start, buf
                start += len(buf)
                buf = []
    except Exception as e:  # noqa: BLE001  (an I/O error mid-input: stop at a clean boundary)
        state["error"] = f"{type(e).__name__}: {e}"
    if buf:
        mark()
        yield start, buf


def _run(tasks: Iterator[tuple[int, list]], workers: int, settings: Settings, fmt: str,
         fee_path: str | None = None, time_limit: float | None = None,
         stats: dict | None = None) -> Generator[Chunk, None, None]:
    """The chunks coded, in input order: in worker processes, or in this process when one
    worker and no time limit are asked for (nothing to stop then). ``stats`` receives the
    pool's counts (``workers_replaced``)."""
    if workers == 1 and not time_limit:
        _WORKER["fmt"] = fmt
        _WORKER["time_limit"] = None
        _suggester_for(settings)
        _WORKER["use_fees"] = _fees_for(fee_path)
        settle_heap()
        for task in tasks:
            yield _code_chunk(task)
        return
    with _Pool(workers, settings, fmt, fee_path, time_limit, stats) as pool:
        yield from pool.run(tasks)


# a chunk whose worker died this many times with no record to blame (between records, or while
# sending its result) stops the run: something other than a report is ending the workers
MAX_UNBLAMED_DEATHS = 3


@dataclass
class _Retry:
    """What the deaths of the workers coding one chunk decided (see :class:`_Pool`)."""

    stopped: set = field(default_factory=set)  # records that reached the hard CPU limit
    crashed: set = field(default_factory=set)  # records that ended a worker twice
    deaths: Counter = field(default_factory=Counter)  # record number -> workers it was on when they died
    unblamed: int = 0  # deaths with no record to blame
    careful: bool = False  # code it record by record from now on


class _Pool:
    """``workers`` processes, each fed one chunk at a time over its own pipe; the chunks come
    back in input order, with at most ``INFLIGHT_PER_WORKER x workers`` read ahead of the one
    being written (so memory stays constant).

    A worker that dies is replaced, and the chunk it was coding is coded again; the record it
    was on is in shared memory (:func:`on_record`):

    - ended by the kernel at the hard CPU limit (:func:`hard_limit`, a record stuck in a C call
      the ``time_limit`` alarm cannot interrupt): that record becomes its ``timeout`` record;
    - ended otherwise (killed from outside, the out-of-memory killer, a crash in native code,
      ``os._exit``): the chunk is coded again record by record (each record's coding, pricing
      and encoding under :func:`on_record`), since the record may not be the cause; a record
      that a second worker dies on becomes its ``internal_error`` record, as in the HTTP service.

    Deaths with no record to blame (between records) are tried again up to
    ``MAX_UNBLAMED_DEATHS`` times per chunk, then the run stops (``BatchAborted``, resumable);
    so does a pool whose workers die as fast as they are started. Either way each input record
    gets exactly one output record, in order.

    Not ``ProcessPoolExecutor``: one dead worker breaks the whole executor and loses which
    record it was on; nor ``multiprocessing.Pool``, whose ``imap`` reads the whole input and
    hangs on a task whose worker died.
    """

    def __init__(self, workers: int, settings: Settings, fmt: str, fee_path: str | None,
                 time_limit: float | None, stats: dict | None = None) -> None:
        self.ctx = _context()
        self.args = (settings, fmt, os.getpid(), fee_path, time_limit)
        self.time_limit = time_limit
        self.progress = self.ctx.Array("q", workers, lock=False)  # record number each worker is on (0: none)
        self.procs: list = [None] * workers
        self.conns: list = [None] * workers
        self.busy: list = [None] * workers  # the chunk start each worker is coding
        self.stats = stats if stats is not None else {}
        self.stats.setdefault("workers_replaced", 0)
        self.idle_deaths = 0  # workers that died holding no chunk since a chunk last came back
        settle_heap()  # before the forks: the workers share the frozen pipeline's pages
        for slot in range(workers):
            self._start(slot)

    def _start(self, slot: int) -> None:
        mine, theirs = self.ctx.Pipe(duplex=True)
        proc = self.ctx.Process(target=_worker_main, args=(theirs, slot, self.progress, *self.args),
                                name=f"suggester-batch-{slot}", daemon=True)
        proc.start()
        theirs.close()
        self.procs[slot], self.conns[slot], self.busy[slot] = proc, mine, None
        self.progress[slot] = 0

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc) -> None:
        for slot, proc in enumerate(self.procs):
            try:
                if exc[0] is None and self.busy[slot] is None:
                    self.conns[slot].send(None)
                else:
                    proc.kill()
            except OSError:
                proc.kill()
        for slot, proc in enumerate(self.procs):
            proc.join(10)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
            self.conns[slot].close()

    def run(self, tasks: Iterator) -> Iterator[Chunk]:
        from multiprocessing.connection import wait

        it = iter(tasks)
        more = True
        todo: deque = deque()  # chunk starts read, not yet given to a worker
        order: deque = deque()  # chunk starts not yet written, in input order
        sizes: dict[int, int] = {}
        retries: dict[int, _Retry] = {}  # chunk start -> what its workers' deaths decided
        tasks_of: dict[int, list] = {}
        done: dict[int, Chunk] = {}
        limit = INFLIGHT_PER_WORKER * len(self.procs)
        while True:
            while more and len(order) < limit:
                task = next(it, None)
                if task is None:
                    more = False
                    break
                start, records = task
                order.append(start)
                sizes[start], tasks_of[start] = len(records), records
                todo.append(start)
            for slot in range(len(self.procs)):
                if todo and self.busy[slot] is None:
                    start = todo.popleft()
                    r = retries.get(start)
                    task = (start, tasks_of[start]) if r is None else (
                        start, tasks_of[start], frozenset(r.stopped), frozenset(r.crashed), r.careful)
                    try:
                        self.conns[slot].send(task)
                    except OSError:  # it died just now: found below
                        todo.appendleft(start)
                        continue
                    self.busy[slot] = start
            while order and order[0] in done:
                start = order.popleft()
                del tasks_of[start], sizes[start]
                retries.pop(start, None)
                yield done.pop(start)
            if not order:
                if more:
                    continue
                return
            ready = wait(self.conns + [p.sentinel for p in self.procs])
            for slot in range(len(self.procs)):
                conn, proc = self.conns[slot], self.procs[slot]
                if conn in ready or proc.sentinel in ready:
                    chunk = self._receive(slot)
                    if chunk is not None:
                        done[chunk.start] = chunk
                        self.busy[slot] = None
                        self.idle_deaths = 0
                    elif not proc.is_alive():
                        start = self._lost(slot, order, sizes, retries)
                        if start is not None:
                            todo.appendleft(start)

    def _receive(self, slot: int) -> Chunk | None:
        conn = self.conns[slot]
        try:
            if conn.poll():
                return conn.recv()
        except (EOFError, OSError):
            pass
        return None

    def _lost(self, slot: int, order: deque, sizes: dict, retries: dict[int, _Retry]) -> int | None:
        """A worker died: replace it, note in ``retries`` what its death says about the chunk it
        was coding and return that chunk's start (to code again; None if it held none), or
        raise ``BatchAborted`` when the deaths cannot be blamed on records."""
        proc = self.procs[slot]
        proc.join(5)
        start, record, code = self.busy[slot], self.progress[slot], proc.exitcode
        first = order[0]
        stop = (f"before records {first + 1}-{first + sizes[first]} were coded; the output is complete up to "
                f"record {first}: rerun with --resume")
        if start is None:  # between chunks (killed from outside, or at start-up)
            self.idle_deaths += 1
            if self.idle_deaths > 2 * len(self.procs) + 1:
                raise BatchAborted(f"worker processes keep dying as they start or wait ({self.idle_deaths} in a row, "
                                   f"last {_exit_text(code)}) {stop}")
        else:
            r = retries.setdefault(start, _Retry())
            if record and HARD_LIMIT_SIGNAL is not None and code == -HARD_LIMIT_SIGNAL:
                r.stopped.add(record)  # the rest of the chunk is coded as before
            elif record:
                r.deaths[record] += 1
                if r.deaths[record] >= 2:
                    r.crashed.add(record)
                r.careful = True
            else:
                r.unblamed += 1
                if r.unblamed > MAX_UNBLAMED_DEATHS:
                    raise BatchAborted(f"worker processes died {r.unblamed} times on records {start + 1}-"
                                       f"{start + sizes[start]} between records (last {_exit_text(code)}) {stop}")
                r.careful = True
        self.conns[slot].close()
        self.stats["workers_replaced"] += 1
        self._start(slot)
        return start


def _exit_text(code: int | None) -> str:
    """A worker's exit code as words: ``signal SIGKILL`` or ``exit code 7``."""
    if code is not None and code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


# ---------------------------------------------------------------------- progress


def _progress_bar(progress: bool | None, input: str, fmt: str, initial: int):
    show = sys.stderr.isatty() if progress is None else progress
    if not show:
        return None
    from tqdm import tqdm

    total = len(list_dir(Path(input))) if fmt == "dir" else None
    return tqdm(total=total, initial=initial, unit=" rec", desc="coding", file=sys.stderr,
                dynamic_ncols=True, smoothing=0.05)


def _advance(bar, n: int, state: dict, tap: _InputTap, input: str, fmt: str) -> None:
    if fmt != "dir" and input != "-" and tap.bytes and state["read"]:
        # records per byte read so far x file size: an estimate of the total, for the ETA
        try:
            size = os.path.getsize(input)
        except OSError:
            size = 0
        if size:
            bar.total = max(int(state["read"] * size / tap.bytes), bar.n + n)
    bar.update(n)
