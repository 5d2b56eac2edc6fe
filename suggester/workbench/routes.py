"""The workbench's HTTP routes: the worklist API (``/v1/worklist``, ``/v1/export``, ``/v1/stats``)
and the review page (``/review``), on an ``APIRouter`` that the service includes when it runs
with a review database (``suggester serve --db PATH``).

The routes go through the service's own auth dependency, body limit and worker pool (passed in
as :class:`ServiceHooks`), so the workbench has exactly the service's rules: a token off
loopback, the same body size, batch size, time limit and overload answer. The review page
also takes the token from the ``suggester_token`` cookie (a browser cannot send a bearer header
when it opens a page); the page's own requests send it back as a bearer header.
"""

import csv
import functools
import hmac
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ..evaluation import line_str
from .store import STATUSES, NotFound, ReviewStore
from .validation import DecisionError, check_lines, parse_decision

if TYPE_CHECKING:  # the service imports this module to include its routes
    from ..service import ApiError as _ApiError

COOKIE = "suggester_token"
PAGE_ITEMS = 500  # worklist rows on the page; filters narrow a longer list
STATIC = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}
EXPORT_FIELDS = ("id", "family", "action", "codes", "suggested", "coder", "decided_at", "note", "revision",
                 "billing", "payer", "suggester_version", "lexicons_version", "model_version")


@dataclass(frozen=True)
class ServiceHooks:
    """What the service lends the workbench: its config, auth dependency, body reader, worker
    pool runner, error type and record checker (see ``service.create_app``)."""

    config: Any  # ServiceConfig
    authorize: Callable  # FastAPI dependency: 401 unless the bearer token matches
    read_body: Callable  # async (request) -> bytes, with the size and time limits
    run: Callable  # async (request, job(suggester)) -> result, on the worker pool
    api_error: "type[_ApiError]"  # ApiError(status, kind, message)
    json_record: Callable  # (obj, where) -> checked input record
    parse_json: Callable  # (bytes) -> object, ApiError 422 when not JSON


@lru_cache(maxsize=1)
def _templates():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("suggester.workbench", "templates"),
                      autoescape=select_autoescape(("html",), default=True), trim_blocks=True, lstrip_blocks=True)
    env.filters["line"] = lambda c: line_str(c["code"], c.get("modifiers") or (), int(c.get("units", 1)))
    env.filters["pct"] = lambda x: "" if x is None else f"{float(x) * 100:.0f}%"
    return env


def code_records(suggester, records: list[dict]) -> list[dict]:
    """One output record per input record (run on the service's worker pool; module level, so a
    worker process can receive it pickled)."""
    return [suggester.suggest_record(r, n) for n, r in enumerate(records, 1)]


def _static(name: str) -> bytes:
    return resources.files("suggester.workbench").joinpath("static").joinpath(name).read_bytes()


def highlight(text: str, suggestion: dict) -> list[dict]:
    """The report cut into segments, each with the evidence that covers it (code lines and flags).

    Offsets are the output record's evidence ``start``/``end`` into the report text; spans of the
    ordered field (not in the text) and spans out of range are skipped.
    """
    spans = []
    for c in suggestion.get("codes") or []:
        for e in c.get("evidence") or []:
            spans.append((e, f"{c['code']} {c.get('label', '')}".strip(), "code"))
    for f in suggestion.get("flags") or []:
        for e in f.get("evidence") or []:
            spans.append((e, f["type"], "flag"))
    cuts = {0, len(text)}
    kept = []
    for e, why, kind in spans:
        s, t = e.get("start"), e.get("end")
        if e.get("section") == "ordered" or not isinstance(s, int) or not isinstance(t, int) or not 0 <= s < t <= len(text):
            continue
        kept.append((s, t, why, kind))
        cuts |= {s, t}
    bounds = sorted(cuts)
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        over = [(why, kind) for s, t, why, kind in kept if s <= a and b <= t]
        labels = list(dict.fromkeys(w for w, _ in over))
        seg_kind = "code" if any(k == "code" for _, k in over) else ("flag" if over else None)
        out.append({"text": text[a:b], "start": a, "end": b, "labels": labels, "kind": seg_kind})
    return out


def workbench_router(store: ReviewStore, hooks: ServiceHooks):
    """The workbench's routes over ``store``, guarded and limited by the service's ``hooks``."""
    from ..integrations import require

    require("jinja2", "review")
    from ..lexicon import default_lexicon

    cfg, ApiError = hooks.config, hooks.api_error

    def log_route(request: Request) -> None:
        """Log the route's template, not the path: ``/v1/worklist/{rid}`` never shows a record id."""
        route = request.scope.get("route")
        if route is not None:
            request.scope.setdefault("suggester_log", {})["path"] = route.path

    def json_only(request: Request) -> None:
        """Writes take JSON only: a cross-site form or text/plain post cannot change a decision."""
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            raise ApiError(415, "unsupported_media_type", f"content type {ctype or 'none'!r}: send application/json")

    router = APIRouter(dependencies=[Depends(log_route)])
    auth = [Depends(hooks.authorize)]
    writes = [*auth, Depends(json_only)]

    def not_found(rid: str):
        return ApiError(404, "not_found", f"no report {rid!r} in the worklist")

    @router.post("/v1/worklist", dependencies=writes, tags=["workbench"],
                 summary=f"Code up to {cfg.max_batch} reports and add them to the worklist")
    async def add(request: Request):
        """Body ``{"records": [{"id", "text", "ordered"?, "billing"?, "payer"?}]}``. All or nothing:
        a malformed record or one that cannot be coded answers 422 naming it, and nothing is
        stored. Re-posting an id with a new input codes it again and keeps its history."""
        obj = hooks.parse_json(await hooks.read_body(request))
        if not isinstance(obj, dict) or set(obj) != {"records"} or not isinstance(obj["records"], list):
            raise ApiError(422, "invalid_batch", 'expected a JSON object {"records": [...]}')
        items = obj["records"]
        if not items:
            raise ApiError(422, "empty_batch", "the batch has no reports")
        if len(items) > cfg.max_batch:
            raise ApiError(413, "batch_too_large", f"the batch has {len(items)} reports; the limit is {cfg.max_batch}")
        problems, recs, seen = [], [], set()
        for n, x in enumerate(items):
            try:
                rec = hooks.json_record(x, f"records[{n}].")
            except ApiError as e:
                problems.append(e.message)
                continue
            if not rec.get("id", "").strip():
                problems.append(f"records[{n}].id: required (the worklist keys reports by id)")
            elif rec["id"] in seen:
                problems.append(f"records[{n}].id: {rec['id']!r} appears twice in the batch")
            seen.add(rec.get("id"))
            recs.append(rec)
        if problems:
            raise ApiError(422, "invalid_record", "; ".join(problems) + "; nothing was added")

        outs = await hooks.run(request, functools.partial(code_records, records=recs))
        bad = [f"records[{n}] ({o['id']}): {o['error']['type']}: {o['error']['message']}"
               for n, o in enumerate(outs) if o.get("status") == "error"]
        if bad:
            raise ApiError(422, "invalid_record", "; ".join(bad) + "; nothing was added")
        counts = await run_in_threadpool(store.add, list(zip(recs, outs, strict=True)))
        return counts

    @router.get("/v1/worklist", dependencies=auth, tags=["workbench"], summary="The worklist")
    def worklist(status: str | None = None, family: str | None = None, q: str | None = None, limit: int = 500):
        if status == "":
            status = None
        if status is not None and status not in STATUSES:
            raise ApiError(422, "invalid_request", f"status: expected one of {', '.join(STATUSES)}, got {status!r}")
        if not 1 <= limit <= 10000:
            raise ApiError(422, "invalid_request", "limit: expected 1 to 10000")
        items = store.worklist(status=status, family=family or None, q=q, limit=limit)
        return {"items": items, "count": len(items)}

    @router.get("/v1/worklist/{rid}", dependencies=auth, tags=["workbench"],
                summary="One report: suggestion, latest decision and audit trail")
    def get_one(rid: str):
        try:
            return store.get(rid)
        except NotFound:
            raise not_found(rid) from None

    @router.post("/v1/worklist/{rid}/decision", dependencies=writes, tags=["workbench"],
                 summary="Accept, override or reject the suggestion")
    async def decide(rid: str, request: Request):
        """Body ``{"action": "accept"|"override"|"reject", "coder", "codes"?: [{"code", "modifiers",
        "units"?}], "note"?}``. An override is checked against the code table, the record's
        billing context and its payer's modifier rules; every problem is named in one 422."""
        obj = hooks.parse_json(await hooks.read_body(request))
        try:
            decision = parse_decision(obj)
            suggestion = await run_in_threadpool(store.suggestion, rid)
            if decision.action == "override":
                lex = default_lexicon(cfg.lexicon)
                payer = lex.payers.get(suggestion.get("payer") or cfg.payer)
                if payer is None:
                    raise DecisionError("invalid_decision", [f"payer {suggestion.get('payer')!r} of the report is "
                                                             f"not a known profile; cannot check an override"])
                problems = check_lines(decision.codes or [], lex, payer, suggestion.get("billing") or cfg.billing)
                if problems:
                    raise DecisionError("invalid_override", problems)
            event = await run_in_threadpool(store.decide, rid, decision)
        except NotFound:
            raise not_found(rid) from None
        except DecisionError as e:
            raise ApiError(422, e.kind, str(e)) from None
        return {"id": rid, "decision": event}

    @router.get("/v1/export", dependencies=auth, tags=["workbench"],
                summary="Final codes of every decided report (override wins) with the decision")
    def export(format: str = "jsonl"):
        if format not in ("jsonl", "csv"):
            raise ApiError(422, "invalid_request", f"format: expected jsonl or csv, got {format!r}")
        rows = store.decided()
        if format == "jsonl":
            body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
            return Response(body, media_type="application/x-ndjson")
        buf = io.StringIO()
        w = csv.DictWriter(buf, EXPORT_FIELDS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            v = r["versions"] or {}
            w.writerow({**{k: r.get(k) for k in EXPORT_FIELDS if k in r},
                        "codes": "; ".join(_line(c) for c in r["codes"]),
                        "suggested": "; ".join(_line(c) for c in r["suggested"]),
                        "suggester_version": v.get("suggester"), "lexicons_version": v.get("lexicons"),
                        "model_version": v.get("model")})
        return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="review-export.csv"'})

    @router.get("/v1/stats", dependencies=auth, tags=["workbench"],
                summary="Released / accepted / overridden counts and agreement rate per family")
    def stats():
        return store.stats()

    # ------------------------------------------------------------------ the page
    def page_allowed(request: Request) -> bool:
        if cfg.token is None:
            return True
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        given = given.strip() if scheme.lower() == "bearer" else request.cookies.get(COOKIE, "")
        return hmac.compare_digest(given.encode(), cfg.token.encode())

    @router.get("/review", response_class=HTMLResponse, tags=["workbench"], summary="The review page")
    def review(request: Request, status: str | None = None, family: str | None = None, q: str | None = None,
               id: str | None = None):
        env = _templates()
        if not page_allowed(request):
            return HTMLResponse(env.get_template("login.html").render(), status_code=401)
        status = status if status in STATUSES else None
        items = store.worklist(status=status, family=family or None, q=q, limit=PAGE_ITEMS)
        rid = id if id is not None else (items[0]["id"] if items else None)
        report = segments = None
        if rid is not None:
            try:
                report = store.get(rid)
            except NotFound:
                report = None
        if report is not None:
            segments = highlight(report["text"], report["suggestion"])
        html = env.get_template("review.html").render(
            items=items, report=report, segments=segments, families=store.families(),
            selected=report["id"] if report else None, token_required=cfg.token is not None, limit=PAGE_ITEMS,
            filters={"status": status or "", "family": family or "", "q": q or ""})
        return HTMLResponse(html, headers={"Cache-Control": "no-store"})

    @router.get("/review/static/{name}", tags=["workbench"], include_in_schema=False)
    def static(name: str):
        if name not in STATIC:
            raise ApiError(404, "not_found", f"no file {name!r}")
        return Response(_static(name), media_type=STATIC[name], headers={"Cache-Control": "no-cache"})

    return router


def _line(c: dict) -> str:
    return line_str(c["code"], c.get("modifiers") or (), int(c.get("units", 1)))
