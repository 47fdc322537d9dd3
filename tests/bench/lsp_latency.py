#!/usr/bin/env python3
"""Benchmark: latency from a didChange in a 10,000-line .kpi file to the
publishDiagnostics for that version (SPEC §7: p95 under 20 ms).

    python3 tests/bench/lsp_latency.py [--binary build/kpilint] [--lines 10000]
                                       [--changes 200] [--interval-ms 100]
                                       [--with-workspace tests/bench/out/ws100000]

It writes a workspace (one generated file of --lines lines plus a people file)
to a temporary directory, starts `kpilint lsp`, opens the big file, then sends
--changes incremental edits, one every --interval-ms (a typing pace; the
server lints at most once per debounce interval, 50 ms by default), each
alternately breaking and fixing a parent reference in the middle of the file
so every change really changes the diagnostics. It prints p50/p95/p99/max.
With --with-workspace, a copy of that workspace's .kpi files (one that
tests/bench/run generated) sits beside the file: an edit in a monorepo.
Not a test: numbers depend on the machine and the build type (use Release).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def generate(lines_wanted):
    parts = ["use std.marketing\n\n",
             "objective growth {\n  title: \"Crescer\"\n  owner: @ceo\n  horizon: 2026-Q4\n  review: quarterly\n}\n\n",
             "kpi north_star {\n  title: \"Receita\"\n  level: business\n  objective: growth\n  metric: revenue\n"
             "  owner: @ceo\n  source: \"erp\"\n  target: >= 10M USD by 2026-12-31 ± 5%\n}\n\n"]
    count = sum(p.count("\n") for p in parts)
    i = 0
    while count < lines_wanted:
        block = (f"kpi child_{i} {{\n"
                 f"  title: \"Campanha ção {i}\"\n"
                 f"  level: marketing\n"
                 f"  parent: north_star\n"
                 f"  metric: conversion_rate\n"
                 f"  owner: @maria\n"
                 f"  function: demand_gen\n"
                 f"  source: \"ga4.c{i}\"\n"
                 f"  target: >= 3% by 2026-Q4 ± 1%\n"
                 f"}}\n\n")
        parts.append(block)
        count += block.count("\n")
        i += 1
    return "".join(parts)


class Client:
    def __init__(self, argv, env):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.next_id = 1

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            byte = self.proc.stdout.read(1)
            if not byte:
                raise EOFError("the server closed its output")
            header += byte
        length = int(header.split(b":")[1].split(b"\r")[0])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == rid and "method" not in message:
                return message

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, uri, version):
        while True:
            message = self.read()
            if message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                if params["uri"] == uri and params.get("version") == version:
                    return params


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main():
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(root / "build" / "kpilint"))
    parser.add_argument("--lines", type=int, default=10000)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--interval-ms", type=float, default=100.0)
    parser.add_argument("--debounce-ms", type=int, default=None, help="KPILINT_LSP_DEBOUNCE_MS for the server")
    parser.add_argument("--with-workspace", default=None,
                        help="copy this directory's .kpi files into the workspace (e.g. tests/bench/out/ws100000)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="kpilint-lsp-bench-"))
    try:
        (workdir / "kpilint.toml").write_text("")
        (workdir / "people.kpi").write_text(
            'person ceo { name: "Dana" function: executive }\nperson maria { name: "Maria" function: demand_gen }\n')
        if args.with_workspace:
            shutil.copytree(args.with_workspace, workdir / "corpus",
                            ignore=lambda d, names: [n for n in names if not n.endswith(".kpi") and not (Path(d) / n).is_dir()])
        text = generate(args.lines)
        big = workdir / "big.kpi"
        big.write_text(text)
        lines = text.split("\n")
        # The `parent: north_star` line nearest the middle: the edit point.
        middle = len(lines) // 2
        row = next(r for r in range(middle, len(lines)) if lines[r].strip() == "parent: north_star")
        column = lines[row].index("north_star") + len("north_star")

        env = dict(os.environ)
        if args.debounce_ms is not None:
            env["KPILINT_LSP_DEBOUNCE_MS"] = str(args.debounce_ms)
        client = Client([args.binary, "lsp"], env)
        uri = big.as_uri()
        client.request("initialize", {"processId": os.getpid(), "rootUri": workdir.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        started = time.perf_counter()
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "kpi", "version": 1, "text": text}})
        first = client.wait_diagnostics(uri, 1)
        open_ms = (time.perf_counter() - started) * 1000

        latencies = []
        broken = False
        for i in range(args.changes):
            version = i + 2
            # Append 'x' to the parent name (dangling: KPI003), or remove it again.
            start = {"line": row, "character": column}
            if broken:
                change = {"range": {"start": start, "end": {"line": row, "character": column + 1}}, "text": ""}
            else:
                change = {"range": {"start": start, "end": start}, "text": "x"}
            broken = not broken
            sent = time.perf_counter()
            client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
            published = client.wait_diagnostics(uri, version)
            latencies.append((time.perf_counter() - sent) * 1000)
            has_dangling = any(d["code"] == "KPI003" for d in published["diagnostics"])
            if has_dangling != broken:
                sys.exit(f"unexpected diagnostics after change {version}")
            time.sleep(args.interval_ms / 1000)

        client.request("shutdown", None)
        client.notify("exit", None)
        code = client.proc.wait(timeout=5)
        if args.with_workspace:
            print(f"workspace: the file beside a copy of {args.with_workspace}")
        print(f"file: {len(lines) - 1} lines, {len(text.encode()) / 1024:.0f} KiB; "
              f"{len(first['diagnostics'])} diagnostics on open ({open_ms:.1f} ms)")
        print(f"didChange -> publishDiagnostics over {len(latencies)} changes, one every {args.interval_ms:g} ms:")
        print(f"  p50 {percentile(latencies, 50):.2f} ms   p95 {percentile(latencies, 95):.2f} ms   "
              f"p99 {percentile(latencies, 99):.2f} ms   max {max(latencies):.2f} ms   "
              f"mean {statistics.mean(latencies):.2f} ms")
        print(f"server exit code: {code}")
        return 0 if percentile(latencies, 95) < 20 else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
