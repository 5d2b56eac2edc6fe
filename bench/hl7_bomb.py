"""Time and peak memory of hostile HL7 and FHIR inputs through the readers (issue 13).

    python bench/hl7_bomb.py

Prints, per input: the seconds to read it, the records it gave, and the peak RSS of this
process. The HL7 ``\\.sp N\\`` bomb used to cost 1.2 GB in the service and 5.7 GB in batch.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from suggester.integrations.fhir import read_fhir  # noqa: E402
from suggester.integrations.hl7 import read_hl7  # noqa: E402

HEAD = b"MSH|^~\\&|A|B|C|D|20240101||ORU^R01|K|P|2.5\rOBR|1||A1|^CT HEAD\r"


def cases() -> dict[str, tuple]:
    sp = HEAD + b"OBX|1|FT|X||CT HEAD WO" + b"\\.sp 999999999\\" * 64 + b"||||||F"  # ~1 KB
    sp_big = HEAD + b"OBX|1|FT|X||CT HEAD WO" + b"\\.sp 999999999\\" * 60_000 + b"||||||F"  # ~1 MB
    digits = HEAD + b"OBX|1|FT|X||CT\\.sp " + b"9" * 900_000 + b"\\||||||F"
    bare = b"MSH\r" * 100_000
    deep = ("[" * 1_000_000 + "]" * 1_000_000).encode()
    nested = ('{"resourceType": "DiagnosticReport", "status": "final", "code": {"text": "x", "extension": ['
              + '{"url": "http://x", "extension": [' * 20_000 + '{"url": "http://y", "valueString": "z"}'
              + ']}' * 20_000 + ']}}').encode()
    many = b"".join(json.dumps({"resourceType": "DiagnosticReport", "id": f"r{i}", "status": "final",
                                "code": {"text": "x"}, "conclusion": "CT HEAD"}).encode() + b"\n"
                    for i in range(5_000))
    return {"hl7 .sp bomb 1 KB": (read_hl7, sp), "hl7 .sp bomb 1 MB": (read_hl7, sp_big),
            "hl7 .sp with 900k digits": (read_hl7, digits), "hl7 100k bare MSH": (read_hl7, bare),
            "fhir [ x 1M": (read_fhir, deep), "fhir extension nested 20k": (read_fhir, nested),
            "fhir NDJSON 5k reports": (read_fhir, many)}


def main() -> None:
    for name, (reader, data) in cases().items():
        t0 = time.perf_counter()
        recs = list(reader(data))
        dt = time.perf_counter() - t0
        errors = sum("error" in r for r in recs)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{name:28s} {len(data) / 1e6:7.2f} MB  {dt:6.2f} s  {len(recs):6d} records ({errors} errors)  "
              f"peak RSS {rss:6.0f} MB")


if __name__ == "__main__":
    main()
