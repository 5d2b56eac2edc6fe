"""Command line: a thin layer over the pure functions of the package.

    suggester code INPUT [-o OUTPUT] [--format jsonl|csv] [--billing ...] [--payer ...]
    suggester explain "TEXT"

Exit codes: 0 all records processed without error; 1 some records were error records;
2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys

from .__about__ import __version__


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--billing", choices=("professional", "technical", "global"), default="professional",
                   help="billing context: professional -> 26, technical -> TC, global -> none")
    p.add_argument("--payer", default="medicare", help="payer profile (medicare, commercial, or a profile file)")
    p.add_argument("--lexicon", default=None, help="lexicon folder (default: the packaged one)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="suggester", description="CPT code suggestions for radiology reports")
    ap.add_argument("--version", action="version", version=f"suggester {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("code", help="code a file of reports (JSONL, CSV, directory of .txt, or - for stdin)")
    p.add_argument("input")
    p.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    p.add_argument("--format", choices=("jsonl", "csv"), default=None, help="output format (default from -o suffix)")
    p.add_argument("--input-format", choices=("jsonl", "csv", "dir", "txt"), default=None)
    p.add_argument("--id-col", default="id")
    p.add_argument("--text-col", default="text")
    _add_common(p)
    p.set_defaults(func=cmd_code)

    p = sub.add_parser("explain", help="print a readable breakdown for one report")
    p.add_argument("text", help="report text, or - to read stdin")
    p.add_argument("--ordered", default=None)
    p.add_argument("--json", action="store_true", help="print the full output record as JSON")
    _add_common(p)
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("eval", help="score the suggester against labeled reports; write metrics.json and report.html")
    p.add_argument("data", nargs="*", help="gold JSONL/CSV files with text and codes (default: eval/data/test.jsonl)")
    p.add_argument("--out", required=True, help="output folder for metrics.json and report.html")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--cdm", default=None, help="description->code table to score (default: ../shared/data/cdm_dev.csv if present)")
    g.add_argument("--no-cdm", action="store_true", help="do not score the external description table")
    p.add_argument("--cdm-sample", type=int, default=None, help="score a deterministic sample of N table rows")
    p.add_argument("--write-baseline", default=None, metavar="PATH", help="also write the regression baseline JSON")
    p.add_argument("--lexicon", default=None, help="lexicon folder (default: the packaged one)")
    p.set_defaults(func=cmd_eval)
    return ap


def _suggester(args):
    from .pipeline import Suggester

    return Suggester(lexicon_path=args.lexicon, billing=args.billing, payer=args.payer)


def cmd_code(args) -> int:
    from .io import CSV_FIELDS, csv_row, read_records

    s = _suggester(args)
    fmt = args.format or ("csv" if args.output.lower().endswith(".csv") else "jsonl")
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8", newline="")
    errors = 0
    try:
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS) if fmt == "csv" else None
        if writer:
            writer.writeheader()
        records = read_records(args.input, args.input_format, args.id_col, args.text_col)
        for rec in s.suggest_many(records):
            errors += rec["status"] == "error"
            if writer:
                writer.writerow(csv_row(rec))
            else:
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 1 if errors else 0


def cmd_explain(args) -> int:
    from .explain import explain

    s = _suggester(args)
    text = sys.stdin.read() if args.text == "-" else args.text
    rec = s.suggest(text, ordered=args.ordered)
    if args.json:
        print(json.dumps(rec, indent=2, ensure_ascii=False))
    else:
        print(explain(rec))
    return 0


def cmd_eval(args) -> int:
    from pathlib import Path

    from .evaluation import baseline_from_metrics, default_cdm_path, default_test_split, format_summary, run_eval

    data = args.data or [str(default_test_split())]
    if not args.data and not Path(data[0]).is_file():
        raise FileNotFoundError(f"default test split {data[0]} not found; pass DATA files "
                                "(or build it with python eval/build_split.py)")
    cdm = None
    if not args.no_cdm:
        cdm = args.cdm or (str(default_cdm_path()) if default_cdm_path().is_file() else None)
    metrics = run_eval(data, out_dir=args.out, cdm_path=cdm, cdm_sample=args.cdm_sample, lexicon_path=args.lexicon)
    print(format_summary(metrics))
    print(f"\nwrote {Path(args.out) / 'metrics.json'} and {Path(args.out) / 'report.html'}")
    if args.write_baseline:
        base = baseline_from_metrics(metrics, data[0] if len(data) == 1 else None)
        Path(args.write_baseline).write_text(json.dumps(base, indent=2) + "\n", encoding="utf-8")
        print(f"wrote baseline {args.write_baseline}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, FileNotFoundError) as e:
        print(f"suggester: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
