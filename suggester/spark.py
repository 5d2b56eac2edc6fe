"""PySpark entry point (optional extra ``suggester[spark]``): code a DataFrame of reports.

    from suggester.spark import suggest_dataframe
    df = spark.read.json("s3://bucket/reports/")          # any columns; id and text are used
    out = suggest_dataframe(df, id_col="accession", text_col="report")
    out.write.mode("overwrite").parquet("s3://bucket/codes/")

or, for a quick local run::

    python -m suggester.spark reports.jsonl out_dir/ --master "local[2]"

The DataFrame goes through ``mapInPandas``: each Spark Python worker builds one ``Suggester``
(cached in this module; Spark reuses its Python workers by default) and codes its partitions
record by record with the same :func:`suggester.batch.code_record` as ``suggester code``:
exactly one output row per input row, errors included (``status == "error"``), never an
exception that would fail the task. Output columns (``OUTPUT_SCHEMA``): the flat CSV columns
of ``suggester code`` plus ``record``, the full output record as JSON.

Rows without an id get ``line-N`` with N counted within the Arrow batch, which is not unique
across partitions: give every row an id.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator

from .batch import Settings, _suggester_for, code_record
from .io import WARNINGS_KEY, _clean_text, csv_row

OUTPUT_SCHEMA = ("id string, status string, codes string, modifiers string, confidence double, "
                 "needs_review boolean, flags string, error string, record string")
OUTPUT_COLUMNS = ("id", "status", "codes", "modifiers", "confidence", "needs_review", "flags", "error", "record")


def _value(v):
    """pandas gives NaN / None / numpy scalars; the pipeline wants None or str."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, str):
        return v
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    return v if isinstance(v, (bytes, bytearray)) else str(v)


def code_rows(rows: Iterable[tuple], settings: Settings | None = None) -> Iterator[tuple]:
    """(id, text) pairs -> output rows in ``OUTPUT_COLUMNS`` order, one per pair, in order."""
    s = _suggester_for(settings or Settings())
    for n, (rid, text) in enumerate(rows, 1):
        notes: list[str] = []
        rec = {"id": _value(rid), "text": _clean_text(_value(text), notes)}
        if notes:
            rec[WARNINGS_KEY] = notes
        out = code_record(s, rec, n)
        flat = csv_row(out)
        conf = flat["confidence"]
        yield (flat["id"], flat["status"], flat["codes"], flat["modifiers"],
               float(conf) if conf not in ("", None) else None, flat["needs_review"] == "true",
               flat["flags"], flat["error"] or None,
               json.dumps(out, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8"))


def code_frames(frames: Iterable, *, id_col: str = "id", text_col: str = "text",
                settings: Settings | None = None) -> Iterator:
    """The ``mapInPandas`` function: pandas DataFrames in, DataFrames of ``OUTPUT_COLUMNS`` out."""
    import pandas as pd

    for pdf in frames:
        ids = pdf[id_col] if id_col in pdf.columns else [None] * len(pdf)
        rows = list(code_rows(zip(ids, pdf[text_col], strict=True), settings))
        yield pd.DataFrame.from_records(rows, columns=list(OUTPUT_COLUMNS))


def suggest_dataframe(df, *, id_col: str = "id", text_col: str = "text", billing: str = "professional",
                      payer: str = "medicare", lexicon: str | None = None):
    """A Spark DataFrame with ``id_col`` and ``text_col`` -> a DataFrame of ``OUTPUT_SCHEMA``.

    The settings are validated on the driver first (an unknown payer fails here, not in 10,000
    tasks); the lexicon folder, if given, must exist at the same path on every executor.
    """
    import functools

    from .pipeline import Suggester

    Suggester(lexicon_path=lexicon, billing=billing, payer=payer)  # validate on the driver
    settings = Settings(billing=billing, payer=payer, lexicon=lexicon)
    cols = [text_col] if id_col not in df.columns else [id_col, text_col]
    fn = functools.partial(code_frames, id_col=id_col, text_col=text_col, settings=settings)
    return df.select(*cols).mapInPandas(fn, schema=OUTPUT_SCHEMA)


def main(argv: list[str] | None = None) -> int:
    """Local / manual run: JSONL (or CSV) in, a folder of JSON lines out (Spark's part files)."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m suggester.spark", description=main.__doc__)
    ap.add_argument("input", help="JSONL or CSV file (CSV needs a header)")
    ap.add_argument("output", help="output folder (Spark JSON part files)")
    ap.add_argument("--master", default="local[*]")
    ap.add_argument("--id-col", default="id")
    ap.add_argument("--text-col", default="text")
    ap.add_argument("--billing", default="professional")
    ap.add_argument("--payer", default="medicare")
    ap.add_argument("--partitions", type=int, default=None)
    args = ap.parse_args(argv)

    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master(args.master).appName("suggester")
             .config("spark.sql.execution.arrow.maxRecordsPerBatch", "1000").getOrCreate())
    try:
        if args.input.lower().endswith(".csv"):
            df = spark.read.option("header", True).option("multiLine", True).option("escape", '"').csv(args.input)
        else:
            df = spark.read.json(args.input)
        if args.partitions:
            df = df.repartition(args.partitions)
        out = suggest_dataframe(df, id_col=args.id_col, text_col=args.text_col, billing=args.billing,
                                payer=args.payer)
        out.write.mode("overwrite").json(args.output)
        counts = {r["status"]: r["count"] for r in spark.read.json(args.output).groupBy("status").count().collect()}
        print(f"suggester.spark: {sum(counts.values())} rows: {counts.get('ok', 0)} ok, "
              f"{counts.get('error', 0)} errors -> {args.output}")
        return 1 if counts.get("error") else 0
    finally:
        spark.stop()


if __name__ == "__main__":
    raise SystemExit(main())
