#!/usr/bin/env python3
"""Per-hop medians of a zab hop trace (docs/benchmarks.md, issue 12): python3 zab-bench/hop-medians.py <dir of hops-<id>.csv>.

The dir is what -Dzab.traceHops=<dir> named (e.g. --server-jvm-extra "-Dzab.traceHops=/tmp/t" in zab-bench). The
first 30% of the writes are dropped as warm-up (second argument: another fraction)."""
import sys, glob, os, statistics
from collections import defaultdict
d = sys.argv[1]
skip_first = float(sys.argv[2]) if len(sys.argv) > 2 else 0.3  # fraction of writes to drop (warm-up)
nodes = {}
for f in glob.glob(os.path.join(d, "hops-*.csv")):
    sid = int(os.path.basename(f)[5:-4])
    first = defaultdict(dict)   # hop -> key -> first nanos
    pair = {}
    for line in open(f):
        p = line.strip().split(",")
        if len(p) != 3: continue
        hop, key, t = p[0], int(p[1]), int(p[2])
        if hop == "COMPLETE": pair[key] = t; continue
        if t == 0: continue
        first[hop].setdefault(key, t)
    nodes[sid] = (first, pair)
leaders = [s for s, (f, p) in nodes.items() if f.get("SUBMIT")]
L = max(leaders, key=lambda s: len(nodes[s][0]["SUBMIT"]))
Lf, Lp = nodes[L]
Fs = [s for s in nodes if s != L]
rows = defaultdict(list)
crit = defaultdict(int)
rids = sorted(Lf["SUBMIT"])
rids = rids[int(len(rids) * skip_first):]
n = 0
def g(f, hop, k): return f.get(hop, {}).get(k)
for r in rids:
    z = Lp.get(r)
    if z is None: continue
    ts = g(Lf, "SUBMIT", r); tt = g(Lf, "SUBMIT_TAKEN", r)
    la = g(Lf, "APPEND", z); ld = g(Lf, "DURABLE", z)
    ai = g(Lf, "ACK_IN", z); at = g(Lf, "ACK_TAKEN", z); dl = g(Lf, "DELIVER", z)
    ap = g(Lf, "APPLIED", z); cp = g(Lf, "COMPLETED", z)
    # the follower whose ACK went out first
    best = None
    for s in Fs:
        ff = nodes[s][0]
        a = g(ff, "ACK_SENT", z)
        if a is not None and (best is None or a < best[1]): best = (s, a)
    if None in (ts, tt, la, ld, ai, at, dl, ap, cp) or best is None: continue
    ff = nodes[best[0]][0]
    pi = g(ff, "PROPOSAL_IN", z); pt = g(ff, "PROPOSAL_TAKEN", z); fa = g(ff, "APPEND", z)
    fd = g(ff, "DURABLE", z); pe = g(ff, "PERSISTED_TAKEN", z); asent = best[1]
    if None in (pi, pt, fa, fd, pe): continue
    n += 1
    seq = [("app -> protocol (submit taken)", ts, tt), ("leader core, proposal sent+flushed, append handed", tt, la),
           ("leader: log writer wake + write + fsync", la, ld),
           ("leader protocol -> event loop -> net -> follower event loop (proposal in)", tt, pi),
           ("follower event loop -> batch (proposal taken; on the loop when run there)", pi, pt),
           ("follower core + append handed", pt, fa),
           ("follower: log writer wake + write + fsync", fa, fd),
           ("follower log writer -> protocol (persisted taken)", fd, pe),
           ("follower core: ACK handed to transport", pe, asent),
           ("follower protocol -> event loop -> net -> leader event loop (ack in)", asent, ai),
           ("leader event loop -> batch (ack taken; on the loop when run there)", ai, at),
           ("leader core: commit, deliver", at, dl),
           ("deliver -> apply thread applied", dl, ap),
           ("applied -> callback thread completed future", ap, cp),
           ("TOTAL submit -> future completed", ts, cp)]
    for name, a, b in seq: rows[name].append((b - a) / 1000)
    crit["leader fsync done after first ack taken"] += ld > at
    # the transport's thread ran the message's batch itself (the protocol was idle), absent before that existed
    crit["proposal run on the follower's event loop"] += g(ff, "PROPOSAL_RUN_HERE", z) is not None
    crit["ack run on the leader's event loop"] += g(Lf, "ACK_RUN_HERE", z) is not None
for name, v in rows.items():
    v.sort()
    print(f"{name:80s} p50 {statistics.median(v):8.1f} us   p90 {v[int(len(v)*0.9)]:8.1f} us")
print(f"writes: {n}; leader {L}; " + ", ".join(f"{k}: {v}/{n}" for k, v in crit.items()))
