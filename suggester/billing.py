"""Payment estimates from a Medicare Physician Fee Schedule (PFS) RVU table the user supplies.

The table has one row per code and component (blank modifier = global, ``26``, ``TC``); the
format is that of CMS's PPRRVU file cut to the columns in :data:`COLUMNS` (see
``docs/billing.md``). Users get the numbers from CMS; the project ships none.

    >>> fs = load_fee_schedule("pfs_rvu_radiology_2025.csv")           # doctest: +SKIP
    >>> rec = price_record(Suggester().suggest("XR ELBOW 2 VIEWS RIGHT"), fs)   # doctest: +SKIP
    >>> rec["codes"][0]["payment"]["non_facility"]                       # doctest: +SKIP
    7.76

Estimate = total RVUs (``nonfac_total`` / ``fac_total``) x ``conversion_factor`` x units, with
the CMS bilateral indicator applied to a line with modifier 50: national, before geographic
(GPCI) adjustment, and always labelled an estimate with the year and conversion factor. It is
not what any payer will pay.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType

COLUMNS = ("hcpcs", "modifier", "status_code", "work_rvu", "nonfac_pe_rvu", "nonfac_na_ind", "fac_pe_rvu",
           "fac_na_ind", "mp_rvu", "nonfac_total", "fac_total", "pctc_ind", "global_days", "mult_proc_ind",
           "bilat_surg_ind", "phys_supervision_dx", "dx_imaging_family_ind", "conversion_factor", "year",
           "release")
NUMBERS = ("work_rvu", "nonfac_pe_rvu", "fac_pe_rvu", "mp_rvu", "nonfac_total", "fac_total", "conversion_factor")
COMPONENTS = {"": "global", "26": "26", "TC": "TC"}
# CMS PFS status codes; only these are priced from their RVUs
PRICED_STATUS = ("A", "R", "T")
STATUS = {"A": "active", "B": "bundled into other services", "C": "carrier priced (no national RVUs)",
          "D": "deleted", "E": "excluded from the PFS by regulation", "F": "deleted / discontinued",
          "G": "not valid for Medicare (another code applies)", "H": "deleted modifier",
          "I": "not valid for Medicare purposes", "J": "anesthesia service", "M": "measurement code",
          "N": "non-covered service", "P": "bundled or excluded", "R": "restricted coverage",
          "T": "paid only when no other service is billed", "X": "statutory exclusion"}
# CMS bilateral surgery indicator -> payment multiplier of a line with modifier 50
BILATERAL = {"0": (Decimal(1), "bilateral adjustment does not apply (indicator 0): 100%"),
             "1": (Decimal("1.5"), "bilateral indicator 1: 150%"),
             "2": (Decimal(1), "code already bilateral (indicator 2): 100%; 50 is not expected"),
             "3": (Decimal(2), "bilateral indicator 3: 100% for each side"),
             "9": (Decimal(1), "bilateral concept does not apply (indicator 9): 100%")}
_CODE_RX = re.compile(r"^[0-9A-Z]\d{3}[0-9A-Z]$")
_CENT = Decimal("0.01")
_TOLERANCE = Decimal("0.011")  # CMS totals are sums of rounded RVUs


class FeeScheduleError(ValueError):
    """A fee schedule file is malformed; the message starts with ``file:line``."""


@dataclass(frozen=True)
class FeeRow:
    hcpcs: str
    modifier: str  # "" | "26" | "TC"
    status: str
    nonfac_total: Decimal
    fac_total: Decimal
    nonfac_na: bool
    fac_na: bool
    pctc: str
    bilateral: str
    line: int


@dataclass(frozen=True)
class FeeSchedule:
    path: str
    year: int
    conversion_factor: Decimal
    release: str
    rows: MappingProxyType  # (hcpcs, modifier) -> FeeRow

    @property
    def label(self) -> str:
        return (f"estimate: {self.year} Medicare PFS national payment, conversion factor "
                f"{self.conversion_factor}, before geographic adjustment")

    def row(self, code: str, component: str) -> FeeRow | None:
        return self.rows.get((code, "" if component == "global" else component))


def _err(path, line: int, msg: str) -> FeeScheduleError:
    return FeeScheduleError(f"{path}:{line}: {msg}")


def load_fee_schedule(path: str | Path) -> FeeSchedule:
    """Load and validate a PFS RVU table; every error names ``file:line``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"fee schedule not found: {path}")
    rows: dict[tuple[str, str], FeeRow] = {}
    first: tuple[int, Decimal, str] | None = None  # (year, conversion factor, release) of row 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh, strict=True)
            header = reader.fieldnames
            if not header:
                raise _err(path, 1, "empty file (expected a header line)")
            unknown = [c for c in header if c not in COLUMNS]
            missing = [c for c in COLUMNS if c not in header]
            if unknown or missing or len(set(header)) != len(header):
                raise _err(path, 1, "header: " + "; ".join(
                    x for x in (f"unknown column(s) {unknown}" if unknown else "",
                                f"missing column(s) {missing}" if missing else "",
                                "duplicate column" if len(set(header)) != len(header) else "") if x))
            for rec in reader:
                no = reader.line_num
                if None in rec or any(v is None for v in rec.values()):
                    raise _err(path, no, f"expected {len(COLUMNS)} columns")
                row, y, c, rel = _row(path, no, rec)
                if first is None:
                    first = (y, c, rel)
                elif (y, c, rel) != first:
                    year, cf, release = first
                    raise _err(path, no, f"year / conversion factor / release {y} / {c} / {rel!r} differ from the "
                                         f"first row's {year} / {cf} / {release!r}: one schedule per file")
                key = (row.hcpcs, row.modifier)
                if key in rows:
                    raise _err(path, no, f"duplicate row {row.hcpcs}{'-' + row.modifier if row.modifier else ''} "
                                         f"(first at line {rows[key].line})")
                rows[key] = row
    except UnicodeDecodeError as e:
        raise FeeScheduleError(f"{path}: not UTF-8 ({e.reason})") from None
    except csv.Error as e:
        raise FeeScheduleError(f"{path}: CSV error: {e}") from None
    if first is None:  # no data row
        raise _err(path, 2, "no data rows")
    return FeeSchedule(str(path), *first, MappingProxyType(rows))


def _row(path, no: int, rec: dict) -> tuple[FeeRow, int, Decimal, str]:
    code = rec["hcpcs"].strip().upper()
    if not _CODE_RX.match(code):
        raise _err(path, no, f"hcpcs {rec['hcpcs']!r} is not a code")
    mod = rec["modifier"].strip().upper()
    if mod not in COMPONENTS:
        raise _err(path, no, f"modifier {rec['modifier']!r}: expected blank (global), 26 or TC")
    status = rec["status_code"].strip().upper()
    if status not in STATUS:
        raise _err(path, no, f"unknown status_code {rec['status_code']!r}")
    nums = {}
    for k in NUMBERS:
        try:
            nums[k] = Decimal(rec[k].strip())
        except InvalidOperation:
            raise _err(path, no, f"{k}: not a number {rec[k]!r}") from None
        if not nums[k].is_finite() or nums[k] < 0:
            raise _err(path, no, f"{k}: must be a non-negative number, got {rec[k]!r}")
    if nums["conversion_factor"] <= 0:
        raise _err(path, no, "conversion_factor must be positive")
    for pe, tot in (("nonfac_pe_rvu", "nonfac_total"), ("fac_pe_rvu", "fac_total")):
        if abs(nums["work_rvu"] + nums[pe] + nums["mp_rvu"] - nums[tot]) > _TOLERANCE:
            raise _err(path, no, f"{tot} {nums[tot]} is not work_rvu + {pe} + mp_rvu "
                                 f"({nums['work_rvu'] + nums[pe] + nums['mp_rvu']}): columns shifted?")
    na = {}
    for k in ("nonfac_na_ind", "fac_na_ind"):
        v = rec[k].strip().upper()
        if v not in ("", "NA"):
            raise _err(path, no, f"{k}: expected blank or NA, got {rec[k]!r}")
        na[k] = v == "NA"
    for k in ("pctc_ind", "bilat_surg_ind"):
        if not re.fullmatch(r"\d", rec[k].strip()):
            raise _err(path, no, f"{k}: expected one digit, got {rec[k]!r}")
    if not re.fullmatch(r"\d{4}", rec["year"].strip()):
        raise _err(path, no, f"year: expected a 4-digit year, got {rec['year']!r}")
    row = FeeRow(code, mod, status, nums["nonfac_total"], nums["fac_total"], na["nonfac_na_ind"],
                 na["fac_na_ind"], rec["pctc_ind"].strip(), rec["bilat_surg_ind"].strip(), no)
    return row, int(rec["year"]), nums["conversion_factor"], rec["release"].strip()


# --------------------------------------------------------------------------- estimates


def component_of(modifiers) -> str:
    mods = set(modifiers)
    return "26" if "26" in mods else "TC" if "TC" in mods else "global"


def _money(x: Decimal) -> float:
    return float(x.quantize(_CENT, rounding=ROUND_HALF_UP))


def estimate(fs: FeeSchedule, code: str, modifiers=(), units: int = 1) -> dict:
    """The estimated national Medicare payment of one claim line (its component, both settings)."""
    comp = component_of(modifiers)
    notes: list[str] = []
    out: dict[str, object] = {"estimate": True, "label": fs.label, "year": fs.year, "conversion_factor": float(fs.conversion_factor),
           "release": fs.release, "component": comp, "status": None, "rvu": None, "multiplier": None,
           "non_facility": None, "facility": None, "notes": notes}
    row = fs.row(code, comp)
    if row is None:
        what = code if comp == "global" else f"{code}-{comp}"
        notes.append(f"{what} is not in the fee schedule ({Path(fs.path).name}): no estimate")
        return out
    out["status"] = row.status
    out["rvu"] = {"non_facility": float(row.nonfac_total), "facility": float(row.fac_total)}
    if row.status not in PRICED_STATUS:
        notes.append(f"status {row.status} ({STATUS[row.status]}): no Medicare estimate")
        return out
    if row.status != "A":
        notes.append(f"status {row.status} ({STATUS[row.status]}): paid only under its conditions")
    mult = Decimal(max(1, int(units)))
    if "50" in modifiers:
        factor, note = BILATERAL.get(row.bilateral, (Decimal(1), f"bilateral indicator {row.bilateral}: 100%"))
        mult *= factor
        notes.append(f"modifier 50: {note}")
    if "52" in modifiers:
        notes.append("modifier 52: the payer sets the reduction; the estimate is not reduced")
    out["multiplier"] = float(mult)
    for setting, total, na in (("non_facility", row.nonfac_total, row.nonfac_na),
                               ("facility", row.fac_total, row.fac_na)):
        if na:
            notes.append(f"{setting.replace('_', '-')}: NA (not priced in this setting under the PFS)")
        else:
            out[setting] = _money(total * fs.conversion_factor * mult)
    return out


@dataclass
class PaymentTotals:
    """Sums of the estimates over code lines (one record, or a whole run)."""

    label: str
    records: int = 0
    lines_priced: int = 0
    lines_unpriced: int = 0
    non_facility: Decimal = field(default_factory=Decimal)
    facility: Decimal = field(default_factory=Decimal)
    facility_lines: int = 0  # lines with a facility amount (global / TC rows are often NA there)

    def add_line(self, payment: dict) -> None:
        if payment.get("non_facility") is None and payment.get("facility") is None:
            self.lines_unpriced += 1
            return
        self.lines_priced += 1
        self.non_facility += Decimal(str(payment.get("non_facility") or 0))
        if payment.get("facility") is not None:
            self.facility_lines += 1
            self.facility += Decimal(str(payment["facility"]))

    def merge(self, other: PaymentTotals) -> None:
        """Add another total (a batch chunk's) to this one."""
        self.records += other.records
        self.lines_priced += other.lines_priced
        self.lines_unpriced += other.lines_unpriced
        self.non_facility += other.non_facility
        self.facility += other.facility
        self.facility_lines += other.facility_lines

    def add_record(self, rec: dict) -> None:
        if rec.get("status") != "ok":
            return
        self.records += 1
        for c in rec.get("codes", []):
            if "payment" in c:
                self.add_line(c["payment"])

    def to_dict(self) -> dict:
        return {"estimate": True, "label": self.label, "non_facility": _money(self.non_facility),
                "facility": _money(self.facility) if self.facility_lines else None,
                "lines_priced": self.lines_priced, "lines_unpriced": self.lines_unpriced}

    def summary(self) -> str:
        fac = f"${_money(self.facility):,.2f}" if self.facility_lines else "n/a"
        s = (f"payment totals ({self.label}): non-facility ${_money(self.non_facility):,.2f}, facility {fac} over "
             f"{self.lines_priced} priced line{'s' if self.lines_priced != 1 else ''} in {self.records} "
             f"record{'s' if self.records != 1 else ''}")
        if self.facility_lines < self.lines_priced:
            s += f" ({self.lines_priced - self.facility_lines} NA in the facility setting)"
        if self.lines_unpriced:
            s += f" ({self.lines_unpriced} without an estimate)"
        return s


def price_record(rec: dict, fs: FeeSchedule) -> dict:
    """Add ``payment`` to every code line and ``payment_total`` to an ok record (in place; returned)."""
    if rec.get("status") != "ok":
        return rec
    totals = PaymentTotals(fs.label)
    for c in rec.get("codes", []):
        c["payment"] = estimate(fs, c["code"], c.get("modifiers", ()), c.get("units", 1))
        totals.add_line(c["payment"])
    rec["payment_total"] = totals.to_dict()
    return rec
