"""16 clients create tokens at once through the wizard's server function, each with its
own names; prints throughput and latency percentiles beside this disk's fsyncs per second
(one writer: write 4 KB, fsync, repeat), measured in the same run and directory.

Usage: python3 create_tokens.py BASE_URL COOKIE DB_DIR [clients] [seconds]
"""

import http.client
import json
import os
import sys
import threading
import time
import urllib.parse


def fsyncs_per_second(directory: str, seconds: float = 2.0) -> float:
    path = os.path.join(directory, "fsync-probe")
    count, start = 0, time.monotonic()
    with open(path, "wb") as f:
        while time.monotonic() - start < seconds:
            f.write(b"x" * 4096)
            f.flush()
            os.fsync(f.fileno())
            count += 1
    os.remove(path)
    return count / (time.monotonic() - start)


def main() -> None:
    base, cookie, db_dir = sys.argv[1:4]
    clients = int(sys.argv[4]) if len(sys.argv) > 4 else 16
    seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 10
    url = urllib.parse.urlparse(base)
    headers = {"Cookie": cookie, "Content-Type": "application/json", "Accept": "application/json"}

    def request(conn, path, body):
        conn.request("POST", path, body=json.dumps(body), headers=headers)
        reply = conn.getresponse()
        return reply.status, reply.read()

    conn = http.client.HTTPConnection(url.hostname, url.port)
    contact = json.loads(request(conn, "/api/list_contacts", {})[1])[0]["id"]
    fsyncs = fsyncs_per_second(db_dir)

    latencies, statuses, lock = [], {}, threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection(url.hostname, url.port)
        i = 0
        while time.monotonic() < stop_at:
            draft = {"draft": {
                "step": "Review", "name": f"Load {n}-{i}", "description": "", "api_version": 14,
                "primary_contact": contact, "developer_emails": [], "scopes": ["reports:get"],
                "open_categories": ["reports"]}}
            started = time.monotonic()
            status, _ = request(conn, "/api/create_token", draft)
            elapsed = time.monotonic() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - began
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    rate = len(latencies) / took
    print(f"{'create_token':28} {'clients':>7} {'per s':>8} {'p50':>9} {'p99':>9} {'fsyncs/s':>9}  statuses")
    print(f"{'':28} {clients:7} {rate:8.0f} {pct(0.5):7.1f}ms {pct(0.99):7.1f}ms {fsyncs:9.0f}  "
          + " ".join(f"{k}×{v}" for k, v in sorted(statuses.items())))
    summary = os.environ.get("BENCH_SUMMARY")
    if summary:
        with open(summary, "a") as f:
            f.write(f"token creation, {clients} clients: p99|{pct(0.99):.1f} ms|≤ 50 ms\n")
            f.write(f"token creation, {clients} clients: per second (disk: {fsyncs:.0f} fsyncs/s)|{rate:.0f}|reported\n")


if __name__ == "__main__":
    main()
