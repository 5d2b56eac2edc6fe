"""The review store: coded reports, coders' decisions and their audit trail in one SQLite file.

Embedded (stdlib ``sqlite3``), WAL mode, one short transaction per call; a connection per call,
so any thread may use the store. The schema is versioned with ``PRAGMA user_version`` and
brought up to date by :data:`MIGRATIONS` when the store opens (a file from a newer release is
refused, never changed).

Tables:

* ``reports``: one row per report id: the input (text, ordered, billing, payer), the current
  suggestion (the output record as JSON) and its ``revision``. Re-posting an id with a different
  input codes it again (revision + 1, the report is open again); the same input changes nothing.
* ``suggestions``: every revision of every suggestion (what each decision was made against).
* ``events``: the audit trail, one row per decision (accept, override, reject): time, coder,
  action, the codes before and after, note, and the suggester / lexicon / model versions of the
  suggestion decided on. Rows are only ever added.

A report is *decided* when its latest event was made on its current revision; its final codes
are that event's codes after (the suggestion's for an accept, the coder's for an override,
none for a reject).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

DEFAULT_DB = "suggester-review.sqlite3"
ACTIONS = ("accept", "override", "reject")
STATUSES = ("open", "decided")

MIGRATIONS: tuple[str, ...] = (
    # 1: reports, every suggestion revision, the audit trail
    """
    CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        ordered TEXT,
        billing TEXT,
        payer TEXT,
        title TEXT NOT NULL,
        families TEXT NOT NULL,      -- ",ct,xr," for LIKE filters
        codes TEXT NOT NULL,         -- " 74177 73562 " for search
        confidence REAL NOT NULL,
        needs_review INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        suggestion TEXT NOT NULL,    -- the output record (JSON)
        added_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        seq INTEGER NOT NULL         -- insertion order, for a stable worklist
    );
    CREATE TABLE suggestions (
        report_id TEXT NOT NULL REFERENCES reports(id),
        revision INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        suggestion TEXT NOT NULL,
        PRIMARY KEY (report_id, revision)
    );
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        report_id TEXT NOT NULL REFERENCES reports(id),
        revision INTEGER NOT NULL,
        time TEXT NOT NULL,
        coder TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('accept', 'override', 'reject')),
        codes_before TEXT NOT NULL,
        codes_after TEXT NOT NULL,
        note TEXT,
        versions TEXT NOT NULL
    );
    CREATE INDEX events_report ON events(report_id, seq);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(ValueError):
    """The store cannot be used (the message says why)."""


class NotFound(KeyError):
    pass


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def claim_lines(codes: Iterable[dict]) -> list[dict]:
    """Code lines reduced to what a claim carries: code, modifiers, units."""
    return [{"code": c["code"], "modifiers": list(c.get("modifiers") or []), "units": int(c.get("units", 1))}
            for c in codes]


def title_of(text: str, limit: int = 90) -> str:
    """The report's first non-blank line, shortened (the worklist's title column)."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def family_of(suggestion: dict) -> str:
    """The family of the report's first code line, ``none`` when nothing was coded."""
    codes = suggestion.get("codes") or []
    return codes[0].get("family") or "none" if codes else "none"


@dataclass(frozen=True)
class Decision:
    action: str
    coder: str
    codes: list[dict] | None = None  # the override's code lines
    note: str | None = None


class ReviewStore:
    """A review database at ``path`` (created and migrated on open)."""

    def __init__(self, path: str | Path = DEFAULT_DB):
        self.path = Path(path)
        if self.path.parent and not self.path.parent.is_dir():
            raise StoreError(f"cannot create the review database {self.path}: folder "
                             f"{self.path.parent} does not exist")
        self._migrate()

    # ------------------------------------------------------------------ plumbing
    def _connect(self) -> sqlite3.Connection:
        try:
            con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        except sqlite3.Error as e:
            raise StoreError(f"cannot open the review database {self.path}: {e}") from None
        con.row_factory = sqlite3.Row
        try:
            con.execute("PRAGMA foreign_keys = ON")
            con.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as e:
            con.close()
            raise StoreError(f"{self.path} is not a review database: {e}") from None
        return con

    @contextmanager
    def _tx(self):
        """One write transaction (``BEGIN IMMEDIATE``: writers queue instead of failing)."""
        with closing(self._connect()) as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @contextmanager
    def _read(self):
        with closing(self._connect()) as con:
            yield con

    def _migrate(self) -> None:
        with closing(self._connect()) as con:
            try:
                mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.DatabaseError as e:
                raise StoreError(f"{self.path} is not a review database: {e}") from None
            if mode.lower() != "wal":
                raise StoreError(f"{self.path}: cannot switch to WAL mode (got {mode})")
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.path} has schema version {version}; this release knows up to "
                                 f"{SCHEMA_VERSION}: upgrade suggester")
            for n in range(version, SCHEMA_VERSION):
                con.execute("BEGIN IMMEDIATE")
                try:
                    if con.execute("PRAGMA user_version").fetchone()[0] != n:  # another process did it
                        con.execute("ROLLBACK")
                        continue
                    for stmt in _statements(MIGRATIONS[n]):
                        con.execute(stmt)
                    con.execute(f"PRAGMA user_version = {n + 1}")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                con.execute("COMMIT")

    def schema_version(self) -> int:
        with self._read() as con:
            return con.execute("PRAGMA user_version").fetchone()[0]

    def journal_mode(self) -> str:
        with self._read() as con:
            return con.execute("PRAGMA journal_mode").fetchone()[0]

    # ------------------------------------------------------------------ writes
    def add(self, items: Sequence[tuple[dict, dict]]) -> dict:
        """Store (input record, output record) pairs in one transaction.

        Returns ``{"added", "updated", "unchanged"}`` counts: a new id is added; a known id with
        a different input gets a new revision (open again, its history kept); the same input
        again changes nothing.
        """
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        stamp = now_iso()
        with self._tx() as con:
            seq = con.execute("SELECT COALESCE(MAX(seq), 0) FROM reports").fetchone()[0]
            for rec, out in items:
                rid = str(rec["id"])
                row = con.execute("SELECT text, ordered, billing, payer, revision FROM reports WHERE id = ?",
                                  (rid,)).fetchone()
                same = row is not None and (row["text"], row["ordered"], row["billing"], row["payer"]) == (
                    rec["text"], rec.get("ordered"), rec.get("billing"), rec.get("payer"))
                if same:
                    counts["unchanged"] += 1
                    continue
                revision = 1 if row is None else row["revision"] + 1
                fams = sorted({c.get("family") or "none" for c in out.get("codes") or []}) or ["none"]
                cols = {
                    "text": rec["text"], "ordered": rec.get("ordered"), "billing": rec.get("billing"),
                    "payer": rec.get("payer"), "title": title_of(rec["text"]),
                    "families": "," + ",".join(fams) + ",",
                    "codes": " " + " ".join(c["code"] for c in out.get("codes") or []) + " ",
                    "confidence": float(out.get("confidence") or 0.0),
                    "needs_review": int(bool(out.get("needs_review"))), "revision": revision,
                    "suggestion": json.dumps(out, ensure_ascii=False), "updated_at": stamp,
                }
                if row is None:
                    seq += 1
                    con.execute(f"INSERT INTO reports (id, {', '.join(cols)}, added_at, seq) "
                                f"VALUES (?, {', '.join('?' * len(cols))}, ?, ?)",
                                (rid, *cols.values(), stamp, seq))
                    counts["added"] += 1
                else:
                    con.execute(f"UPDATE reports SET {', '.join(f'{k} = ?' for k in cols)} WHERE id = ?",
                                (*cols.values(), rid))
                    counts["updated"] += 1
                con.execute("INSERT INTO suggestions VALUES (?, ?, ?, ?)",
                            (rid, revision, stamp, cols["suggestion"]))
        return counts

    def decide(self, report_id: str, decision: Decision) -> dict:
        """Record a decision on the report's current suggestion; return the audit event."""
        if decision.action not in ACTIONS:
            raise ValueError(f"action must be one of {ACTIONS}, got {decision.action!r}")
        with self._tx() as con:
            row = con.execute("SELECT revision, suggestion FROM reports WHERE id = ?", (report_id,)).fetchone()
            if row is None:
                raise NotFound(report_id)
            suggestion = json.loads(row["suggestion"])
            last = con.execute("SELECT codes_after, revision FROM events WHERE report_id = ? "
                               "ORDER BY seq DESC LIMIT 1", (report_id,)).fetchone()
            suggested = claim_lines(suggestion.get("codes") or [])
            before = json.loads(last["codes_after"]) if last and last["revision"] == row["revision"] else suggested
            after = {"accept": suggested, "override": claim_lines(decision.codes or []), "reject": []}[decision.action]
            event = {"time": now_iso(), "coder": decision.coder, "action": decision.action,
                     "codes_before": before, "codes_after": after, "note": decision.note,
                     "revision": row["revision"], "versions": suggestion.get("versions") or {}}
            cur = con.execute(
                "INSERT INTO events (report_id, revision, time, coder, action, codes_before, codes_after, note, "
                "versions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (report_id, row["revision"], event["time"], decision.coder, decision.action,
                 json.dumps(before), json.dumps(after), decision.note, json.dumps(event["versions"])))
            return {"seq": cur.lastrowid, **event}

    # ------------------------------------------------------------------ reads
    def get(self, report_id: str) -> dict:
        """The report: input, suggestion, status, latest decision and the full audit trail."""
        with self._read() as con:
            row = con.execute("SELECT * FROM reports WHERE id = ?", (report_id,)).fetchone()
            if row is None:
                raise NotFound(report_id)
            audit = [_event(e) for e in con.execute(
                "SELECT * FROM events WHERE report_id = ? ORDER BY seq", (report_id,))]
        out = _summary(row, audit[-1] if audit else None)
        out.update({"text": row["text"], "ordered": row["ordered"], "billing": row["billing"],
                    "payer": row["payer"], "suggestion": json.loads(row["suggestion"]),
                    "decision": audit[-1] if audit else None, "audit": audit})
        return out

    def suggestion(self, report_id: str) -> dict:
        with self._read() as con:
            row = con.execute("SELECT suggestion FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            raise NotFound(report_id)
        return json.loads(row["suggestion"])

    def worklist(self, status: str | None = None, family: str | None = None, q: str | None = None,
                 limit: int = 500) -> list[dict]:
        """Reports in the order they were first added, filtered by status, family and a search
        (case-insensitive, in id, title, codes and text)."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {status!r}")
        where, args = [], []
        if family:
            where.append("r.families LIKE ? ESCAPE '\\'")
            args.append(f"%,{_like(family.strip().lower())},%")
        if q and q.strip():
            pat = f"%{_like(q.strip())}%"
            where.append("(r.id LIKE ? ESCAPE '\\' OR r.title LIKE ? ESCAPE '\\' OR r.codes LIKE ? ESCAPE '\\' "
                         "OR r.text LIKE ? ESCAPE '\\')")
            args += [pat] * 4
        decided = "(e.revision IS NOT NULL AND e.revision = r.revision)"
        if status == "open":
            where.append(f"NOT {decided}")
        elif status == "decided":
            where.append(decided)
        sql = ("SELECT r.*, e.seq AS e_seq, e.action AS e_action, e.coder AS e_coder, e.time AS e_time, "
               "e.revision AS e_revision, e.codes_after AS e_codes_after FROM reports r "
               "LEFT JOIN events e ON e.seq = (SELECT MAX(seq) FROM events WHERE report_id = r.id)"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY r.seq LIMIT ?")
        with self._read() as con:
            rows = con.execute(sql, (*args, int(limit))).fetchall()
        out = []
        for row in rows:
            last = None
            if row["e_seq"] is not None:
                last = {"action": row["e_action"], "coder": row["e_coder"], "time": row["e_time"],
                        "revision": row["e_revision"], "codes_after": json.loads(row["e_codes_after"])}
            out.append(_summary(row, last))
        return out

    def families(self) -> list[str]:
        with self._read() as con:
            fams = {f for (v,) in con.execute("SELECT DISTINCT families FROM reports") for f in v.split(",") if f}
        return sorted(fams)

    def decided(self) -> list[dict]:
        """Every decided report with its final codes and decision metadata (export rows), in
        worklist order (one query)."""
        sql = ("SELECT r.id, r.suggestion, e.* FROM reports r JOIN events e "
               "ON e.seq = (SELECT MAX(seq) FROM events WHERE report_id = r.id) "
               "WHERE e.revision = r.revision ORDER BY r.seq")
        out = []
        with self._read() as con:
            for row in con.execute(sql):
                suggestion = json.loads(row["suggestion"])
                d = _event(row)
                out.append({"id": row["id"], "family": family_of(suggestion), "action": d["action"],
                            "codes": d["codes_after"], "suggested": claim_lines(suggestion.get("codes") or []),
                            "coder": d["coder"], "decided_at": d["time"], "note": d["note"],
                            "revision": d["revision"], "versions": d["versions"],
                            "billing": suggestion.get("billing"), "payer": suggestion.get("payer")})
        return out

    def stats(self) -> dict:
        """Counts overall and per family (of the suggestion's first code): reports, open,
        released (accepted + overridden), accepted, overridden, rejected, and the agreement rate
        accepted / released (None while nothing is released)."""
        per: dict[str, dict] = defaultdict(lambda: dict.fromkeys(
            ("reports", "open", "released", "accepted", "overridden", "rejected"), 0))
        for item in self.worklist(limit=-1):
            for key in ("all", item["family"]):
                c = per[key]
                c["reports"] += 1
                action = item["decision"]["action"] if item["status"] == "decided" else None
                if action is None:
                    c["open"] += 1
                elif action == "reject":
                    c["rejected"] += 1
                else:
                    c["released"] += 1
                    c["accepted" if action == "accept" else "overridden"] += 1
        for c in per.values():
            c["agreement_rate"] = round(c["accepted"] / c["released"], 4) if c["released"] else None
        total = per.pop("all", None) or {**dict.fromkeys(
            ("reports", "open", "released", "accepted", "overridden", "rejected"), 0), "agreement_rate": None}
        return {**total, "per_family": dict(sorted(per.items()))}


def _statements(script: str) -> list[str]:
    """Split a migration into statements (no ';' inside the migrations' literals)."""
    body = "\n".join(ln.split("--")[0] for ln in script.splitlines())
    return [s.strip() for s in body.split(";") if s.strip()]


def _like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _event(row: sqlite3.Row) -> dict:
    return {"seq": row["seq"], "time": row["time"], "coder": row["coder"], "action": row["action"],
            "codes_before": json.loads(row["codes_before"]), "codes_after": json.loads(row["codes_after"]),
            "note": row["note"], "revision": row["revision"], "versions": json.loads(row["versions"])}


def _summary(row: sqlite3.Row, last: dict | None) -> dict:
    suggestion = json.loads(row["suggestion"])
    decision = None
    if last is not None and last["revision"] == row["revision"]:
        decision = {k: last[k] for k in ("action", "coder", "time", "codes_after")}
    return {"id": row["id"], "title": row["title"], "family": family_of(suggestion),
            "codes": claim_lines(suggestion.get("codes") or []), "confidence": row["confidence"],
            "needs_review": bool(row["needs_review"]), "flags": [f["type"] for f in suggestion.get("flags") or []],
            "status": "decided" if decision is not None else "open", "revision": row["revision"],
            "decision": decision,
            "added_at": row["added_at"]}
