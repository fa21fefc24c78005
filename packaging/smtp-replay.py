#!/usr/bin/env python3
"""Replay stored messages into an SMTP server on loopback and time each one.

    smtp-replay.py --port PORT [--sessions S] [--limit N] MANIFEST SPLIT

Sends the messages of one manifest split (path label source split, paths relative to the
manifest), as bytes, from S parallel sessions, each over one connection, to
user@gannet.test at 127.0.0.1:PORT. Times every transaction from MAIL FROM to the reply
after the end of DATA (the milter's verdict is in that reply), and prints one line of JSON:
messages per second, latency percentiles, and how many were accepted, rejected or
tempfailed. The messages are never opened or parsed here; mbox envelope lines are dropped.
"""
import argparse, json, os, smtplib, statistics, threading, time

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--sessions", type=int, default=8)
parser.add_argument("--limit", type=int, default=0)
parser.add_argument("manifest")
parser.add_argument("split")
args = parser.parse_args()

base = os.path.dirname(os.path.abspath(args.manifest))
paths = []
with open(args.manifest, encoding="utf-8") as manifest:
    for number, line in enumerate(manifest):
        fields = line.rstrip("\n").split("\t")
        if number == 0 and fields[0] == "path" or len(fields) < 4 or fields[3] != args.split:
            continue
        paths.append(fields[0] if fields[0].startswith("/") else os.path.join(base, fields[0]))
paths.sort()
if args.limit:
    paths = paths[: args.limit]

def message(path):
    with open(path, "rb") as stored:
        data = stored.read()
    if data.startswith(b"From "):
        data = data.split(b"\n", 1)[1] if b"\n" in data else b""
    return data

bodies = [message(path) for path in paths]
lock = threading.Lock()
queue = list(range(len(bodies)))
latencies, outcomes = [], {"accepted": 0, "rejected": 0, "tempfailed": 0}

def session():
    connection = smtplib.SMTP("127.0.0.1", args.port, timeout=120)
    while True:
        with lock:
            if not queue:
                break
            index = queue.pop()
        start = time.perf_counter()
        try:
            connection.sendmail("load@example.org", ["user@gannet.test"], bodies[index])
            outcome = "accepted"
        except smtplib.SMTPResponseException as error:
            outcome = "tempfailed" if 400 <= error.smtp_code < 500 else "rejected"
            connection.rset()
        except smtplib.SMTPRecipientsRefused:
            outcome = "rejected"
        elapsed = time.perf_counter() - start
        with lock:
            latencies.append(elapsed)
            outcomes[outcome] += 1
    connection.quit()

start = time.perf_counter()
threads = [threading.Thread(target=session) for _ in range(args.sessions)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.perf_counter() - start
cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
print(json.dumps({"messages": len(bodies), "rate": round(len(bodies) / elapsed, 1),
                  "p50_ms": round(cuts[49] * 1000, 1), "p99_ms": round(cuts[98] * 1000, 1), **outcomes}))
