"""Benchmark: the HTTP service's throughput and latency with 1 and N worker processes.

    python bench/service.py                          # workers 1,2 x clients 1,4,16, 1,500 requests each
    python bench/service.py --workers 1,2,4 --clients 1,4,16,64 -n 3000 --json service.json
    python bench/service.py --url http://127.0.0.1:8000 --clients 1,4,16   # an already running service

It prints numbers; it asserts nothing. For each worker count it starts ``suggester serve`` on a
free loopback port (a fresh process, ``--queue`` large enough that nothing is refused), then,
for each client count, runs that many keep-alive connections that each send ``POST /v1/suggest``
one after another (JSON bodies of ~350-word reports from ``bench/reports.py``; a warm-up first),
and prints requests/s, p50 / p99 / max latency (wall clock, as a client sees it), the CPU
seconds the service's processes used per request, the errors, and the machine's load.

The client is a small asyncio loop over raw sockets in this process (~0.1 ms of CPU per request),
so that it takes as little as possible from the service on a small machine. On a machine shared
with other jobs, wall-clock figures drop; the "others" column is the CPU the rest of the machine
used during the run (from /proc/stat, in cores), so that a slow figure can be read for what it is.
The in-process per-report time of the pipeline is printed first as the floor for the latency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from reports import make_reports  # noqa: E402


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def tree_cpu_seconds(pid: int) -> tuple[float, float]:
    """user + system CPU seconds of a process, and of its live descendants (the worker processes)."""
    tck = os.sysconf("SC_CLK_TCK")
    own = others = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            stat = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            # children of every thread: the fork server is started from a helper thread
            children = [c for t in Path(f"/proc/{p}/task").iterdir() for c in (t / "children").read_text().split()]
        except OSError:
            continue
        cpu = (int(stat[11]) + int(stat[12])) / tck
        own, others = (own + cpu, others) if p == pid else (own, others + cpu)
        todo.extend(int(c) for c in children)
    return own, others


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def request_bytes(host: str, port: int, body: bytes) -> bytes:
    return (f"POST /v1/suggest HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def one_client(host: str, port: int, requests: list[bytes], latencies: list[float], statuses: dict):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for req in requests:
            t0 = time.perf_counter()
            writer.write(req)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


async def load(host: str, port: int, bodies: list[bytes], clients: int, n: int) -> dict:
    per = [[request_bytes(host, port, bodies[(c * 7919 + i) % len(bodies)]) for i in range(n // clients)]
           for c in range(clients)]
    latencies: list[float] = []
    statuses: dict = {}
    t0 = time.perf_counter()
    await asyncio.gather(*(one_client(host, port, reqs, latencies, statuses) for reqs in per))
    wall = time.perf_counter() - t0
    return {"requests": len(latencies), "wall_s": wall, "rps": len(latencies) / wall,
            "p50_ms": 1000 * pct(latencies, 50), "p99_ms": 1000 * pct(latencies, 99),
            "max_ms": 1000 * max(latencies), "statuses": statuses}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_service(workers: int, port: int, log) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "SUGGESTER_API_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "suggester.cli", "serve", "--port", str(port),
                             "--workers", str(workers), "--queue", "256"],
                            stdout=log, stderr=log, env=env)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
                answer = b""
                while chunk := s.recv(4096):
                    answer += chunk
            health = json.loads(answer.partition(b"\r\n\r\n")[2])
            if health["workers"]["ready"] == workers:
                return proc
        except (OSError, ValueError, KeyError):
            pass
        if proc.poll() is not None:
            raise SystemExit(f"suggester serve exited with {proc.returncode}")
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("suggester serve did not come up in 180 s")


def measure(host: str, port: int, bodies: list[bytes], clients: int, n: int, server_pid: int | None) -> dict:
    asyncio.run(load(host, port, bodies, clients, max(clients * 10, n // 10)))  # warm-up
    busy0, total0 = cpu_ticks()
    cpu0 = tree_cpu_seconds(server_pid) if server_pid else (0.0, 0.0)
    me0 = time.process_time()
    load1 = os.getloadavg()[0]
    out = asyncio.run(load(host, port, bodies, clients, n))
    busy1, total1 = cpu_ticks()
    ncpu = os.cpu_count() or 1
    machine_cores = (busy1 - busy0) / max(1, total1 - total0) * ncpu
    cpu1 = tree_cpu_seconds(server_pid) if server_pid else (0.0, 0.0)
    main_cpu, worker_cpu = cpu1[0] - cpu0[0], cpu1[1] - cpu0[1]
    client_cpu = time.process_time() - me0
    n = out["requests"]
    out.update({
        "clients": clients, "load_avg_1m": load1,
        # CPU per request of the event-loop process and of the worker processes
        "main_cpu_ms_per_request": 1000 * main_cpu / n if server_pid else None,
        "worker_cpu_ms_per_request": 1000 * worker_cpu / n if server_pid else None,
        "client_cpu_ms_per_request": 1000 * client_cpu / n,
        # cores busy with anything but this service and this client during the run
        "others_cores": max(0.0, machine_cores - (main_cpu + worker_cpu + client_cpu) / out["wall_s"]),
    })
    return out


HEADER = (f"{'workers':>7} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'main':>6} {'workers':>7} {'client':>6} {'others':>6} {'load':>5}  statuses")


def row_line(workers, r: dict) -> str:
    """One measured row under :data:`HEADER`."""
    def ms(key):
        return float("nan") if r[key] is None else r[key]

    return (f"{workers:>7} {r['clients']:>7} {r['rps']:>8.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} "
            f"{r['max_ms']:>8.1f} {ms('main_cpu_ms_per_request'):>6.2f} {ms('worker_cpu_ms_per_request'):>7.2f} "
            f"{r['client_cpu_ms_per_request']:>6.2f} {r['others_cores']:>6.2f} {r['load_avg_1m']:>5.2f}  "
            f"{r['statuses']}")


def run_services(bodies: list[bytes], worker_counts: list[int], clients: list[int], n: int, show=None) -> list[dict]:
    """``suggester serve`` started afresh for each worker count, measured at each client count."""
    rows = []
    for w in worker_counts:
        port = free_port()
        with tempfile.TemporaryFile() as log:
            proc = start_service(w, port, log)
            try:
                for c in clients:
                    r = measure("127.0.0.1", port, bodies, c, n, proc.pid)
                    rows.append({"workers": w, **r})
                    if show is not None:
                        show(w, r)
            finally:
                proc.terminate()
                proc.wait(30)
    return rows


def idle_capacity(row: dict, cores: int) -> float:
    """Requests/s an idle ``cores``-core machine could serve, from the CPU each process of a
    measured row used per request (CPU time is far less disturbed by other jobs than wall time):
    the worker processes can do at most ``workers / worker CPU``, the event loop ``1 / main
    CPU``, all of them together ``cores / (main + workers CPU)``."""
    main_ms, work_ms, w = row["main_cpu_ms_per_request"], row["worker_cpu_ms_per_request"], row["workers"]
    if not work_ms:  # the pipeline in the server process (``--url`` on a threaded service)
        return 1000 / main_ms
    return min(w * 1000 / work_ms, 1000 / main_ms, cores * 1000 / (main_ms + work_ms))


def pipeline_floor(reports: list[dict]) -> dict:
    from suggester import Suggester

    s = Suggester()
    for r in reports[:50]:
        s.suggest(r["text"])
    times, cpu = [], []
    for r in reports:
        t0, c0 = time.perf_counter(), time.process_time()
        s.suggest(r["text"])
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {"p50_ms": 1000 * pct(times, 50), "p99_ms": 1000 * pct(times, 99), "cpu_ms_mean": 1000 * statistics.mean(cpu)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", "--requests", type=int, default=1500, help="requests per measurement (default 1500)")
    ap.add_argument("--workers", default="1,2", help="worker process counts to start (default 1,2)")
    ap.add_argument("--clients", default="1,4,16", help="concurrent keep-alive clients (default 1,4,16)")
    ap.add_argument("--reports", type=int, default=300, help="distinct report bodies (default 300)")
    ap.add_argument("--url", default=None, help="measure this running service instead of starting one")
    ap.add_argument("--pid", type=int, default=None, help="with --url: the service's process id (for its CPU)")
    ap.add_argument("--json", default=None, help="also write the figures here")
    args = ap.parse_args(argv)
    reports = make_reports(args.reports, seed=7)
    bodies = [json.dumps({"id": r["id"], "text": r["text"]}).encode() for r in reports]
    clients = [int(x) for x in args.clients.split(",")]
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}; {len(bodies)} distinct ~350-word "
          f"reports, {args.requests} requests per row")
    floor = pipeline_floor(reports)
    print(f"in-process pipeline, one report: p50 {floor['p50_ms']:.2f} ms, p99 {floor['p99_ms']:.2f} ms "
          f"(wall), {floor['cpu_ms_mean']:.2f} ms CPU on average")
    rows = []
    print("CPU ms/req: of the event-loop process (main), of the worker processes (workers), of this client;"
          " others: cores used by the rest of the machine during the row")
    print(HEADER)

    def show(workers, r):
        print(row_line(workers, r), flush=True)

    if args.url:
        from urllib.parse import urlsplit

        u = urlsplit(args.url)
        for c in clients:
            r = measure(u.hostname, u.port or 80, bodies, c, args.requests, args.pid)
            rows.append({"workers": "?", **r})
            show("?", r)
    else:
        rows = run_services(bodies, [int(x) for x in args.workers.split(",")], clients, args.requests, show)
        by = {(r["workers"], r["clients"]): r for r in rows}
        ws = sorted({r["workers"] for r in rows})
        for w in ws[1:]:
            ratios = [f"{c} clients {by[(w, c)]['rps'] / by[(ws[0], c)]['rps']:.2f}x" for c in clients if c > 1]
            print(f"{w} workers vs {ws[0]}: " + ", ".join(ratios))
    # what an idle machine would give, from the CPU each process used per request
    cores = os.cpu_count() or 1
    for r in rows:
        if r["main_cpu_ms_per_request"] is None or r["clients"] != max(clients):
            continue
        r["idle_capacity_rps"] = cap = idle_capacity(r, cores)
        print(f"estimated capacity on an idle {cores}-core machine, {r['workers']} worker(s), from CPU per request at "
              f"{r['clients']} clients: {cap:.0f} req/s")
    if args.json:
        Path(args.json).write_text(json.dumps({"pipeline": floor, "rows": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
