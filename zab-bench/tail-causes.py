#!/usr/bin/env python3
"""What the slow writes of a cluster-bench step waited for (issue 12, the tail).

Reads the files a run writes with ZAB_BENCH_SLOW_WRITES=<dir> (writes-<pid>.txt from the load, fsyncs-<pid>.txt
from every server; see StallLog) and, if given, the servers' GC logs (-Xlog:gc:file=<gcdir>/gc-%p.log:time). For
every write of the measurement window slower than --over-ms it looks for what overlapped its life: an fsync of
some server's log slower than the StallLog threshold, a GC pause of some server, both, or neither. It also bins
the completions of slow writes and slow fsyncs by their phase in a 100 ms period, where a disk throttled in 100 ms
periods shows as one crowded bin.

The window is the last one marked in writes-<pid>.txt (a run with several in-process steps: the last step).

usage: tail-causes.py <slow-dir> [<gc-dir>] [--over-ms 8]
"""
import collections
import datetime
import glob
import os
import re
import sys


def read_events(path):
    marks, events = {}, []
    for line in open(path):
        parts = line.split()
        if not parts:
            continue
        if parts[0] == '#':
            marks.setdefault(parts[1], []).append(int(parts[2]))
        else:
            end, micros = int(parts[0]), int(parts[1])
            events.append((end - micros / 1000.0, float(end)))
    return marks, events


def gc_pauses(gc_dir):
    pauses = {}
    for path in glob.glob(os.path.join(gc_dir, 'gc-*.log')):
        pid = re.search(r'gc-(\d+)', path).group(1)
        for line in open(path):
            m = re.match(r'\[(\S+?)\].* Pause .* ([\d.]+)ms$', line)
            if m:
                end = datetime.datetime.fromisoformat(m.group(1).replace('+0000', '+00:00')).timestamp() * 1000
                pauses.setdefault(pid, []).append((end - float(m.group(2)), end))
    return pauses


def overlaps(intervals, start, end):
    return any(s < end and e > start for s, e in intervals)


def phases(ends):
    bins = collections.Counter(int(e) % 100 // 10 for e in ends)
    return ' '.join('%d' % bins[i] for i in range(10))


def main(argv):
    over_ms = 8.0
    if '--over-ms' in argv:
        i = argv.index('--over-ms')
        over_ms = float(argv[i + 1])
        del argv[i:i + 2]
    slow_dir = argv[1]
    gc_dir = argv[2] if len(argv) > 2 else None
    writes = glob.glob(os.path.join(slow_dir, 'writes-*.txt'))
    if len(writes) != 1:
        sys.exit('expected one writes-<pid>.txt in %s, found %d' % (slow_dir, len(writes)))
    leader = re.search(r'writes-(\d+)', writes[0]).group(1)
    marks, all_writes = read_events(writes[0])
    opened, closed = marks['opened'][-1], marks['closed'][-1]
    slow = [(s, e) for s, e in all_writes if s >= opened and e <= closed and e - s >= over_ms]
    fsyncs = {}
    for path in glob.glob(os.path.join(slow_dir, 'fsyncs-*.txt')):
        pid = re.search(r'fsyncs-(\d+)', path).group(1)
        fsyncs[pid] = [ev for ev in read_events(path)[1] if opened - 100 <= ev[1] <= closed + 100]
    pauses = gc_pauses(gc_dir) if gc_dir else {}
    window_pauses = {pid: [p for p in ps if opened - 100 <= p[1] <= closed + 100] for pid, ps in pauses.items()}
    every_fsync = [ev for evs in fsyncs.values() for ev in evs]
    every_pause = [p for ps in window_pauses.values() for p in ps]
    causes = collections.Counter()
    for s, e in slow:
        disk = overlaps(every_fsync, s, e)
        gc = overlaps(every_pause, s, e)
        causes['a slow fsync and a GC pause' if disk and gc else 'a slow fsync' if disk
               else 'a GC pause' if gc else 'neither'] += 1
    print('window %.1f s; %d writes took >= %.1f ms (leader pid %s)' % ((closed - opened) / 1000, len(slow), over_ms,
                                                                          leader))
    for cause in ('a slow fsync', 'a GC pause', 'a slow fsync and a GC pause', 'neither'):
        n = causes[cause]
        print('  overlapping %-28s %7d  (%.0f%%)' % (cause + ':', n, 100.0 * n / max(1, len(slow))))
    print('slow fsyncs in the window, per server (count, longest ms), leader first:')
    for pid in sorted(fsyncs, key=lambda p: p != leader):
        evs = fsyncs[pid]
        print('  %s%s: %d, %.1f' % (pid, ' (leader)' if pid == leader else '', len(evs),
                                  max([e - s for s, e in evs], default=0)))
    if pauses:
        print('GC pauses in the window, per server (count, total ms, longest ms):')
        for pid in sorted(window_pauses, key=lambda p: p != leader):
            ps = window_pauses[pid]
            print('  %s%s: %d, %.1f, %.1f' % (pid, ' (leader)' if pid == leader else '', len(ps),
                                            sum(e - s for s, e in ps), max([e - s for s, e in ps], default=0)))
    print('phase of the end in a 100 ms period, 10 ms bins:')
    print('  slow writes: ' + phases([e for s, e in slow]))
    print('  slow fsyncs: ' + phases([e for s, e in every_fsync]))


if __name__ == '__main__':
    main(sys.argv)
