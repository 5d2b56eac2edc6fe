"""Command line: a thin layer over the pure functions of the package.

    suggester code INPUT [-o OUTPUT] [--format jsonl|csv|hl7|fhir|x12] [--billing ...] [--payer ...]
    suggester explain "TEXT" | PATH | -

Every subcommand's ``--help`` ends with examples.

Exit codes: 0 all records processed without error; 1 some records were error records;
2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .__about__ import __version__


def _sub(sub, name: str, help: str, description: str, examples: str, exits: str | None = None):
    """A subcommand whose help page ends with examples (and its exit codes)."""
    epilog = "examples:\n" + examples.rstrip() + ("\n\n" + exits if exits else "")
    return sub.add_parser(name, help=help, description=description, epilog=epilog,
                          formatter_class=argparse.RawDescriptionHelpFormatter)


EXIT_CODES = ("exit codes: 0 every record coded; 1 some records are error records; 2 usage or\n"
              "configuration error (bad option, unreadable or unsupported input); 3 the run stopped\n"
              "part way (rerun with --resume); 130 interrupted")


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--billing", choices=("professional", "technical", "global"), default="professional",
                   help="billing context: professional -> 26, technical -> TC, global -> none")
    p.add_argument("--payer", default="medicare", help="payer profile (medicare, commercial, or a profile file)")
    p.add_argument("--lexicon", default=None, help="lexicon folder (default: the packaged one)")


def _add_confidence(p: argparse.ArgumentParser) -> None:
    p.add_argument("--confidence", default=None, metavar="rules|FOLDER",
                   help="confidence model: a model folder, or 'rules' for the rule score without a model "
                        "(default: the packaged models/confidence; a missing model is an error, exit 2)")


def _release_point(value: str) -> tuple[str, float]:
    family, eq, t = value.partition("=")
    try:
        threshold = float(t)
    except ValueError:
        threshold = -1.0
    if not eq or not family.strip() or not 0.0 <= threshold <= 1.01:
        raise argparse.ArgumentTypeError(f"{value!r}: expected FAMILY=THRESHOLD (e.g. xr=0.95 or all=0.97), "
                                         "a threshold from 0 to 1.01 (1.0 or more: never)")
    return family.strip().lower(), threshold


def _add_release(p: argparse.ArgumentParser) -> None:
    p.add_argument("--release", action="append", type=_release_point, default=[], metavar="FAMILY=T",
                   help="release (needs_review false) reports whose confidence reaches T for every code family "
                        "they bill; FAMILY is a code family (xr, ct, mr, us, ...) or 'all'; repeatable "
                        "(default: the model's shipped points; the packaged model ships none: all reviewed)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="suggester", description="CPT code suggestions for radiology reports")
    ap.add_argument("--version", action="version", version=f"suggester {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    p = _sub(
        sub, "code", help="code a file of reports (JSONL, CSV, HL7, FHIR, a folder of .txt, or - for stdin)",
        description="Code every record of INPUT: one output record per input record, in input order. "
                    "The output is flushed chunk by chunk as whole lines, so an interrupted run leaves a "
                    "valid prefix that --resume continues. A manifest (counts, sha256, versions) is "
                    "written to OUTPUT.manifest.json. The input's content decides its format (MSH| is "
                    "HL7 v2, a JSON resourceType is FHIR); a spreadsheet, archive or PDF is refused.",
        examples="""  suggester code reports.jsonl -o coded.jsonl
  suggester code export.csv --id-col Accession --text-col Report -o coded.csv   # one row per code line
  suggester code export.csv -o coded.csv --layout reports                      # one row per report
  suggester code results.hl7 -o charges.hl7                   # HL7 ORU^R01 in, DFT^P03 out
  suggester code DiagnosticReport.ndjson --format fhir -o claims.ndjson        # Claim Bundles
  suggester code results.hl7 --format x12 -o lines.x12       # 837P service-line loops
  suggester code notes/ -o coded.jsonl --workers 2 --resume
  suggester code reports.jsonl | head -1""",
        exits=EXIT_CODES)
    p.add_argument("input", help="a JSONL, CSV, HL7 v2 or FHIR (JSON / NDJSON) file, a folder of .txt files, "
                                 "or - for stdin")
    p.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    p.add_argument("--format", choices=("jsonl", "csv", "hl7", "fhir", "x12"), default=None,
                   help="output format: jsonl (output records), csv (see --layout), hl7 (a DFT^P03 per "
                        "report, an ACK^R01 AE per error), fhir (NDJSON: a Claim Bundle per report, an "
                        "OperationOutcome per error), x12 (a line of 837P 2400 loops per report, empty for "
                        "an error). Default from the -o suffix: .csv, .hl7, .x12/.837, else jsonl")
    p.add_argument("--layout", choices=("lines", "reports"), default="lines",
                   help="CSV rows: lines = one row per code line (record, id, status, code, modifiers, "
                        "units, label, confidence, needs_review, review_reasons, flags, error); reports = "
                        "one row per report, codes joined by spaces (default: lines)")
    p.add_argument("--input-format", choices=("jsonl", "csv", "dir", "txt", "hl7", "fhir"), default=None,
                   help="override what the content shows (MSH| -> hl7, resourceType -> fhir) and the "
                        "suffix (.csv, .txt, .fhir.json; else jsonl)")
    p.add_argument("--id-col", default="id", help="id column or key (default: id)")
    p.add_argument("--text-col", default="text", help="report text column or key (default: text)")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes, each with its own pipeline (default: the number of CPUs)")
    p.add_argument("--chunk-size", type=int, default=64, help="records per task and per flush (default: 64)")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS",
                   help="CPU seconds per record: a record that takes longer becomes an error record of "
                        "type timeout and the run goes on (default: 60; 0: no limit)")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted run: keep the complete records already in -o, skip as "
                        "many input records")
    p.add_argument("--manifest", default=None,
                   help="manifest path (default: OUTPUT.manifest.json; none when writing to stdout)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary on stderr")
    p.add_argument("--fee-schedule", default=None, metavar="PATH",
                   help="Medicare PFS RVU table (CSV, see docs/billing.md): add an estimated payment to each "
                        "code line and totals to the summary")
    _add_common(p)
    _add_confidence(p)
    _add_release(p)
    p.set_defaults(func=cmd_code)

    p = _sub(sub, "serve", help="run the HTTP service (needs the service extra)",
             description="Serve POST /v1/suggest, /v1/suggest/batch, GET /healthz, /version "
                         "and /docs (with --db also the review workbench: /review, /v1/worklist, "
                         "/v1/export, /v1/stats). A non-loopback --host needs a token (--token-file or "
                         "$SUGGESTER_API_TOKEN); with one, requests need 'Authorization: Bearer TOKEN'.",
             examples="""  suggester serve                                   # http://127.0.0.1:8000
  suggester serve --db                              # and the review workbench at /review
  suggester serve --host 0.0.0.0 --token-file ~/.suggester-token --workers 2""")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--token-file", default=None, help="file holding the bearer token")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes, each with its own pipeline (default: one per core)")
    p.add_argument("--queue", type=int, default=32, help="requests allowed to wait for a worker; beyond: 503")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per request before 504")
    p.add_argument("--max-body-bytes", type=int, default=4 * 1024 * 1024,
                   help="largest request body; beyond: 413 (default: 4 MiB)")
    p.add_argument("--max-batch", type=int, default=100, help="reports per batch request")
    p.add_argument("--record-time-limit", type=float, default=4.0, metavar="SECONDS",
                   help="CPU seconds per report of a batch; past it the report is a timeout error record in its "
                        "place and the others are coded (default: 4; 0: none)")
    p.add_argument("--header-timeout", type=float, default=10.0, help="seconds for a client to send its headers")
    p.add_argument("--max-connections", type=int, default=256,
                   help="open connections; past it the oldest idle one is dropped for a new one")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="also accept this Host header (e.g. a reverse proxy's name); on a loopback bind "
                        "only localhost, 127.0.0.1 and [::1] with the port are accepted otherwise")
    p.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"),
                   help="access and error log level on stderr (default: info)")
    p.add_argument("--db", nargs="?", const="suggester-review.sqlite3", default=None, metavar="PATH",
                   help="also serve the review workbench (/review, /v1/worklist, /v1/export, /v1/stats) "
                        "with its SQLite file (default with --db alone: ./suggester-review.sqlite3)")
    _add_common(p)
    _add_release(p)
    p.set_defaults(func=cmd_serve)

    p = _sub(sub, "explain", help="print a readable breakdown for one report",
             description="Code one report and print its frames, codes with their evidence, the reason for "
                         "every modifier, alternatives and flags. TEXT is the report itself, a path to a "
                         "file (a .txt report, or an HL7 / FHIR / JSONL / CSV file: every record is "
                         "explained), or - for stdin.",
             examples="""  suggester explain "XR LEFT KNEE 3 VIEWS"
  suggester explain report.txt --ordered 73560
  suggester explain results.hl7 --billing global
  cat report.txt | suggester explain - --json | head""")
    p.add_argument("text", help="report text, a path to a report file, or - to read stdin")
    p.add_argument("--ordered", default=None, help="the ordered exam (order text or code), compared with the report")
    p.add_argument("--fee-schedule", default=None, metavar="PATH",
                   help="Medicare PFS RVU table (CSV, see docs/billing.md): add an estimated payment to each "
                        "code line and totals to the summary")
    p.add_argument("--json", action="store_true", help="print the full output record as JSON")
    _add_common(p)
    _add_confidence(p)
    p.set_defaults(func=cmd_explain)

    p = _sub(sub, "eval", help="score the suggester against labeled reports; write metrics.json and report.html",
             description="Score the suggester on gold files (exact code sets, per-code precision/recall, "
                         "calibration) and on the external description table; write OUT/metrics.json and "
                         "OUT/report.html.",
             examples="""  suggester eval --out eval-out
  suggester eval gold.jsonl --no-cdm --out eval-out --write-baseline baseline.json""")
    p.add_argument("data", nargs="*", help="gold JSONL/CSV files with text and codes (default: eval/data/test.jsonl)")
    p.add_argument("--out", required=True, help="output folder for metrics.json and report.html")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--cdm", default=None, help="description->code table to score (default: ../shared/data/cdm_dev.csv if present)")
    g.add_argument("--no-cdm", action="store_true", help="do not score the external description table")
    p.add_argument("--cdm-sample", type=int, default=None, help="score a deterministic sample of N table rows")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--radlex", default=None, help="RadLex Playbook table for the weak-label check "
                                                   "(default: ../shared/data/radlex_playbook_core.csv if present)")
    g.add_argument("--no-radlex", action="store_true", help="do not run the RadLex weak-label check")
    p.add_argument("--no-robustness", action="store_true",
                   help="skip the robustness suite (eval/robustness.py transforms; the slowest part of the run)")
    p.add_argument("--write-baseline", default=None, metavar="PATH", help="also write the regression baseline JSON")
    p.add_argument("--lexicon", default=None, help="lexicon folder (default: the packaged one)")
    p.set_defaults(func=cmd_eval)

    p = _sub(sub, "train", help="rebuild the calibrated confidence model from eval/data/dev.jsonl",
             description="Train the confidence model on the dev split plus seeded perturbations "
                         "(eval/perturb.py), cross-validate it, choose the review threshold for 99%% "
                         "precision, score the test split (never trained on) and write "
                         "OUT/model.skops + OUT/meta.json. Same inputs and seed, same model.",
             examples="""  suggester train
  suggester train --out /tmp/model --limit 50 --no-test      # a quick check""")
    p.add_argument("--out", default=None, help="output folder (default: models/confidence of the checkout)")
    p.add_argument("--seed", type=int, default=0, help="seed of the perturbations, folds and model (default: 0)")
    p.add_argument("--copies", type=int, default=None, help="perturbed variants per dev report (default: 3)")
    p.add_argument("--transforms", type=int, default=None,
                   help="robustness-suite transforms per dev report (eval/robustness.py; default: 4)")
    p.add_argument("--limit", type=int, default=None, help="train on N dev reports spread over the split (quick checks)")
    p.add_argument("--dev", default=None, metavar="PATH",
                   help="labelled reports to train on, in eval/data/LABELING.md's format (default: "
                        "eval/data/dev.jsonl; e.g. a site's own coded reports)")
    p.add_argument("--no-test", action="store_true", help="do not score the test split")
    p.add_argument("--release", action="store_true",
                   help="ship the release operating points chosen on dev (default: computed and shown in "
                        "meta.json, not shipped: every report goes to review; see models/README.md)")
    p.add_argument("--family-rule", choices=("own", "tested"), default="own",  # training.FAMILY_RULES
                   help="how a code family's release point is chosen at or above the pooled point: 'own' (its "
                        "own calibration reports at >= 99%% exact from the top) or 'tested' (the pooled point "
                        "unless its reports there are shown below 99%%); compare them with tools/release_rules.py")
    p.add_argument("--release-lower", type=float, default=None, metavar="B",
                   help="with --reselect: the one-sided Wilson lower bound the pooled point must keep "
                        "(default: training.RELEASE_LOWER, 0.97)")
    p.add_argument("--family-min", type=int, default=None, metavar="N",
                   help="with --reselect: a family's own released calibration reports needed for a point (default 10)")
    p.add_argument("--reselect", default=None, metavar="MODEL_DIR",
                   help="no training: choose MODEL_DIR's release points again from the calibration confidences "
                        "it kept, under --family-rule; scores the test split and, with --release, gates them")
    p.add_argument("--corrections", default=None, metavar="PATH.sqlite3",
                   help="also train on the accepted and overridden reports of a review database "
                        "(suggester serve --db); the metadata says how many were used")
    p.add_argument("--calib", default=None, metavar="PATH",
                   help="calibration split the map and release points are chosen on (default: "
                        "eval/data/calib.jsonl when present; else the points come from out-of-fold dev reports)")
    p.add_argument("--no-calib", action="store_true", help="ignore the calibration split (points from dev)")
    p.add_argument("--lexicon", default=None, help="lexicon folder (default: the packaged one)")
    p.add_argument("--title", action="store_true",
                   help="rebuild the learned title model and hybrid combiner (models/title) from the hospital "
                        "exam descriptions (--cdm) instead; scored by health-system folds (~15 min on 2 cores). "
                        "Rebuild the confidence model after it")
    p.add_argument("--cdm", default=None, metavar="PATH",
                   help="the hospital description table (default: ../shared/data/cdm_dev.csv): with --title "
                        "the title model's data; else the one-line reports added to the confidence training")
    p.add_argument("--cdm-oneliners", type=int, default=None, metavar="N",
                   help="hospital descriptions coded as one-line reports in the confidence training data, read "
                        "by the title model out of fold by health system (default: 5000, at most one per dev report; 0: none)")
    p.add_argument("--folds", type=int, default=5, help="with --title: health-system folds (default: 5)")
    p.set_defaults(func=cmd_train)
    return ap


def _suggester(args):
    from .pipeline import Suggester

    return Suggester(lexicon_path=args.lexicon, billing=args.billing, payer=args.payer,
                     confidence_model=args.confidence)


def cmd_code(args) -> int:
    from .batch import EXIT_ABORTED, EXIT_INTERRUPTED, BatchAborted, code_batch, format_summary

    try:
        result = code_batch(args.input, args.output, output_format=args.format,
                            input_format=args.input_format, id_col=args.id_col, text_col=args.text_col,
                            billing=args.billing, payer=args.payer, lexicon=args.lexicon,
                            workers=args.workers, chunk_size=args.chunk_size, resume=args.resume,
                            progress=False if args.quiet else None, manifest=args.manifest,
                            layout=args.layout, confidence=args.confidence, release=tuple(args.release),
                            time_limit=args.time_limit or None,
                            **({"fee_schedule": args.fee_schedule} if args.fee_schedule else {}))
    except BatchAborted as e:
        print(f"suggester: error: {e}", file=sys.stderr)
        return EXIT_ABORTED
    except KeyboardInterrupt:
        print("suggester: interrupted; the output is a valid prefix: rerun with --resume to finish",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    if not args.quiet:
        print(format_summary(result), file=sys.stderr)
    return result.exit_code


def cmd_serve(args) -> int:
    from .service import serve

    serve(args.host, args.port, token_file=args.token_file, log_level=args.log_level, workers=args.workers,
          max_queue=args.queue, timeout=args.timeout, max_body_bytes=args.max_body_bytes,
          max_batch=args.max_batch, record_time_limit=args.record_time_limit, billing=args.billing,
          payer=args.payer, lexicon=args.lexicon, header_timeout=args.header_timeout,
          max_connections=args.max_connections,
          db=args.db, allow_hosts=tuple(args.allow_host), release=tuple(args.release))
    return 0


def cmd_explain(args) -> int:
    from .explain import explain

    s = _suggester(args)
    fees = None
    if args.fee_schedule:
        from .billing import load_fee_schedule

        fees = load_fee_schedule(args.fee_schedule)
    if args.text == "-":
        recs = [{"id": "stdin", "text": sys.stdin.read()}]
    elif os.path.isfile(args.text):
        recs = _explain_records(args.text)
    else:
        recs = [{"id": "text", "text": args.text}]
    for n, src in enumerate(recs, 1):
        if args.ordered is not None:
            src = {**src, "ordered": args.ordered}
        rec = s.suggest_record(src, n)
        if fees is not None and rec.get("status") == "ok":
            from .billing import price_record

            price_record(rec, fees)
        if args.json:
            print(json.dumps(rec, indent=2, ensure_ascii=False))
        else:
            if len(recs) > 1 or n > 1:
                print(f"{'' if n == 1 else chr(10)}== {rec.get('id')} ==")
            print(explain(rec))
    return 0


def _explain_records(path: str):
    """The records of a file given to ``explain``: HL7, FHIR, CSV or JSONL when its content (or
    suffix) says so, else the whole file is the report text."""
    from .io import detect_format, read_records

    fmt = detect_format(path)
    if fmt == "jsonl":
        with open(path, "rb") as fh:
            if not fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
                fmt = "txt"
    return list(read_records(path, fmt))


def cmd_eval(args) -> int:
    from pathlib import Path

    from .evaluation import (
        baseline_from_metrics,
        default_calib_split,
        default_cdm_path,
        default_radlex_path,
        default_test_split,
        format_summary,
        has_eval_script,
        run_eval,
    )

    data = args.data or [str(default_test_split())]
    if not args.data and not Path(data[0]).is_file():
        raise FileNotFoundError(f"default test split {data[0]} not found; pass DATA files "
                                "(or build it with python eval/build_split.py)")
    cdm = None
    if not args.no_cdm:
        cdm = args.cdm or (str(default_cdm_path()) if default_cdm_path().is_file() else None)
    radlex = None
    if not args.no_radlex:
        radlex = args.radlex or (str(default_radlex_path()) if default_radlex_path().is_file() else None)
    # next to the default test split: the calibration split the shipped points were chosen on
    calib = str(default_calib_split()) if not args.data and default_calib_split().is_file() else None
    metrics = run_eval(data, out_dir=args.out, cdm_path=cdm, cdm_sample=args.cdm_sample, lexicon_path=args.lexicon,
                       robustness=not args.no_robustness and has_eval_script("robustness"), radlex_path=radlex,
                       calib_path=calib)
    print(format_summary(metrics))
    print(f"\nwrote {Path(args.out) / 'metrics.json'} and {Path(args.out) / 'report.html'}")
    if args.write_baseline:
        base = baseline_from_metrics(metrics, data[0] if len(data) == 1 else None)
        Path(args.write_baseline).write_text(json.dumps(base, indent=2) + "\n", encoding="utf-8")
        print(f"wrote baseline {args.write_baseline}")
    return 0


def cmd_train(args) -> int:
    from .training import CDM_ONELINERS, COPIES, TRANSFORMS_PER_REPORT, reselect_release, train

    if args.reselect:
        extra = {k: v for k, v in (("lower", args.release_lower), ("min_family", args.family_min)) if v is not None}
        reselect_release(args.reselect, family_rule=args.family_rule, ship_release=args.release, seed=args.seed,
                         lexicon_path=args.lexicon, log=lambda msg: print(msg, file=sys.stderr), **extra)
        return 0
    if args.title:
        from .evaluation import default_cdm_path
        from .resources import models_dir
        from .title_training import train_title

        cdm = args.cdm or default_cdm_path()
        if not Path(cdm).is_file():
            print(f"suggester train --title: no description table at {cdm} (give --cdm PATH)", file=sys.stderr)
            return 2
        train_title(cdm, args.out or models_dir() / "title", folds=args.folds,
                    dev_paths=[Path(__file__).resolve().parent.parent / "eval" / "data" / "dev.jsonl"],
                    log=lambda msg: print(msg, file=sys.stderr))
        return 0
    train(args.out, seed=args.seed, copies=COPIES if args.copies is None else args.copies,
          limit=args.limit, dev_path=args.dev, score_test=not args.no_test, lexicon_path=args.lexicon,
          corrections=args.corrections, log=lambda msg: print(msg, file=sys.stderr),
          transforms=TRANSFORMS_PER_REPORT if args.transforms is None else args.transforms,
          ship_release=args.release, calib_path=args.calib, use_calib=not args.no_calib, cdm_path=args.cdm,
          cdm_oneliners=CDM_ONELINERS if args.cdm_oneliners is None else args.cdm_oneliners,
          family_rule=args.family_rule)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Exit 2, with one line and no traceback, for usage, configuration and model errors (a bad
    option, a missing input, a corrupt or mismatched confidence model, a malformed lexicon)."""
    from .confidence import ConfidenceModelError

    ap = build_parser()
    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader of stdout went away (| head): a normal end
        _silence_stdout()
        return 0
    except (ValueError, OSError, ConfidenceModelError) as e:
        print(f"suggester: error: {e}", file=sys.stderr)
        return 2


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not raise again."""
    from .batch import _stdout_closed

    _stdout_closed()


if __name__ == "__main__":
    sys.exit(main())
