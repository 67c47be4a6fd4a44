#!/usr/bin/env python3
"""Benchmark probes that a load tool cannot do: a synchronized burst of first requests with one new
token (single-flight), the time a revoke takes to reach every ResourceService instance, and many distinct
tokens minted at the emulator and validated once each (the 10,000-token scenario).

Standard library only; every wait is bounded. Prints one JSON object on stdout.
"""
import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse

TIMEOUT = 10.0


def host_port(base):
    url = urllib.parse.urlsplit(base)
    return url.hostname, url.port


def get(conn, path, token):
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    response.read()
    return response.status


def emulator_count(emulator, path):
    host, port = host_port(emulator)
    conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    conn.request("GET", "/_emulator/requests?path=" + urllib.parse.quote(path, safe="/"))
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"emulator /_emulator/requests answered {response.status}")
    return len(json.loads(body))


def emulator_clear(emulator):
    host, port = host_port(emulator)
    conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    conn.request("DELETE", "/_emulator/requests")
    conn.getresponse().read()
    conn.close()


def burst(args):
    """Opens every connection first, then releases all requests at once through a barrier."""
    targets = [args.resource[i % len(args.resource)] for i in range(args.requests)]
    barrier = threading.Barrier(args.requests, timeout=TIMEOUT)
    statuses = [None] * args.requests
    conns = []
    for base in targets:
        host, port = host_port(base)
        conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        conn.connect()
        conns.append(conn)

    emulator_clear(args.emulator)

    def one(i):
        try:
            barrier.wait()
            statuses[i] = get(conns[i], "/secured", args.token)
        except Exception as ex:  # noqa: BLE001 - reported as a status, the probe must finish
            statuses[i] = type(ex).__name__

    started = time.perf_counter()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(args.requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT * 2)
    elapsed_ms = (time.perf_counter() - started) * 1000
    for conn in conns:
        conn.close()
    time.sleep(0.3)  # the log is written as requests arrive; leave a moment for stragglers

    counts = {}
    for status in statuses:
        counts[str(status)] = counts.get(str(status), 0) + 1
    return {
        "requests": args.requests,
        "instances": len(args.resource),
        "statuses": counts,
        "introspect": emulator_count(args.emulator, "/services/oauth2/introspect"),
        "userinfo": emulator_count(args.emulator, "/services/oauth2/userinfo"),
        "elapsed_ms": round(elapsed_ms, 1),
    }


def revoke(args):
    """Polls /secured on every instance on its own keep-alive connection, revokes, and times each first 401."""
    start = threading.Event()
    stop = threading.Event()
    first_401 = [None] * len(args.resource)
    polls = [0] * len(args.resource)
    errors = [None] * len(args.resource)

    def poll(i, base):
        host, port = host_port(base)
        conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        try:
            start.wait(TIMEOUT)
            while not stop.is_set():
                status = get(conn, "/secured", args.token)
                polls[i] += 1
                if status == 401:
                    first_401[i] = time.perf_counter()
                    return
                if status != 200:
                    errors[i] = f"status {status}"
        except Exception as ex:  # noqa: BLE001
            errors[i] = type(ex).__name__
        finally:
            conn.close()

    # The token must be known (cached) on every instance before the revoke.
    for base in args.resource:
        host, port = host_port(base)
        conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        for _ in range(3):
            status = get(conn, "/secured", args.token)
            if status != 200:
                raise SystemExit(f"{base}/secured answered {status} before the revoke")
        conn.close()

    threads = [threading.Thread(target=poll, args=(i, base)) for i, base in enumerate(args.resource)]
    for t in threads:
        t.start()
    start.set()
    time.sleep(0.2)  # every poller is looping on a warm connection

    host, port = host_port(args.auth)
    conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    body = urllib.parse.urlencode({"token": args.token})
    sent = time.perf_counter()
    conn.request("POST", "/oauth2/revoke", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    answered = time.perf_counter()
    conn.close()

    deadline = answered + args.max_wait
    while time.perf_counter() < deadline and any(t.is_alive() for t in threads):
        time.sleep(0.001)
    stop.set()
    for t in threads:
        t.join(TIMEOUT)

    def ms(moment):
        return None if moment is None else round((moment - answered) * 1000, 2)

    return {
        "revoke_status": response.status,
        "revoke_ms": round((answered - sent) * 1000, 2),
        # Negative: the instance refused the token before the revoke's answer reached the caller.
        "refused_after_ms": [ms(m) for m in first_401],
        "polls": polls,
        "errors": errors,
    }


def pooled(count, workers, work):
    """Runs work(connection_slot, i) for i in range(count) on `workers` threads; returns the results in order."""
    results = [None] * count
    next_index = [0]
    lock = threading.Lock()

    def loop(slot):
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= count:
                return
            try:
                results[i] = work(slot, i)
            except Exception as ex:  # noqa: BLE001 - reported as a result, the probe must finish
                results[i] = type(ex).__name__

    threads = [threading.Thread(target=loop, args=(slot,)) for slot in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def mint(args):
    """Client-credentials tokens straight from the emulator (no AuthService involved), one per line in --out."""
    host, port = host_port(args.emulator)
    conns = [http.client.HTTPConnection(host, port, timeout=TIMEOUT) for _ in range(args.workers)]
    body = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": args.client_id, "client_secret": args.client_secret})

    def one(slot, _):
        conns[slot].request("POST", "/services/oauth2/token", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = conns[slot].getresponse()
        answer = response.read()
        if response.status != 200:
            return None
        return json.loads(answer)["access_token"]

    started = time.perf_counter()
    tokens = pooled(args.count, args.workers, one)
    good = [t for t in tokens if t and len(t) > 20]
    with open(args.out, "w") as handle:
        handle.write("\n".join(good) + "\n")
    return {"requested": args.count, "minted": len(good), "seconds": round(time.perf_counter() - started, 1)}


def warm(args):
    """GET /secured once with every token of --tokens: each is validated through the AuthService once."""
    tokens = [line.strip() for line in open(args.tokens) if line.strip()]
    host, port = host_port(args.resource[0])
    conns = [http.client.HTTPConnection(host, port, timeout=TIMEOUT) for _ in range(args.workers)]

    started = time.perf_counter()

    def one(slot, i):
        # Request i is not sent before i / rate seconds into the run.
        if args.rate:
            delay = started + i / args.rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        return get(conns[slot], "/secured", tokens[i])

    statuses = pooled(len(tokens), args.workers, one)
    counts = {}
    for status in statuses:
        counts[str(status)] = counts.get(str(status), 0) + 1
    return {"tokens": len(tokens), "statuses": counts, "seconds": round(time.perf_counter() - started, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["burst", "revoke", "mint", "warm"])
    parser.add_argument("--resource", action="append", help="ResourceService base URL (repeat)")
    parser.add_argument("--auth", help="AuthService base URL (revoke)")
    parser.add_argument("--emulator", help="emulator base URL (burst)")
    parser.add_argument("--token", help="the token (burst, revoke)")
    parser.add_argument("--tokens", help="a file of tokens, one a line (warm)")
    parser.add_argument("--out", help="where minted tokens go (mint)")
    parser.add_argument("--count", type=int, default=10000, help="tokens to mint (mint)")
    parser.add_argument("--workers", type=int, default=16, help="concurrent connections (mint, warm)")
    parser.add_argument("--rate", type=float, default=0, help="at most this many requests a second (warm); 0: no limit")
    parser.add_argument("--client-id", default="local-client-id")
    parser.add_argument("--client-secret", default="local-client-secret")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--max-wait", type=float, default=5.0, help="seconds to wait for every 401 after the revoke")
    args = parser.parse_args()
    result = {"burst": burst, "revoke": revoke, "mint": mint, "warm": warm}[args.mode](args)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
