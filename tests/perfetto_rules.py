#!/usr/bin/env python3
"""Perfetto's JSON importer rules, re-implemented, checked over pinata traces.

Perfetto's UI is not available offline, so the rules its trace_processor applies to a
Chrome JSON trace are re-implemented here from its source (google/perfetto,
src/trace_processor/importers/json/json_trace_tokenizer.cc and json_trace_parser.cc,
sorter/trace_sorter.h, importers/common/slice_tracker.cc and flow_tracker.cc, at
ec5d16b1 of 2026-08-22). Every place where Perfetto would count an error, drop an event or
bind something elsewhere than pinata meant is reported:

- tokenizer: an event needs "ph"; a non-metadata event needs "ts"; "ts"/"dur" become integer
  nanoseconds as CoerceToTs does (an integer x 1000, a fraction llround(x * 1000)); a negative
  time is dropped by the sorter;
- sort: by ts, then 'E' first, 'X' longest first, the rest in file order (SlowOperatorLess);
- slices: per thread track, SliceTracker's stack (MaybeCloseStack): a complete event that
  starts inside an open slice and ends after it is a partial overlap (spilled, flagged);
  a slice or instant deeper than 512 is dropped (instants at one ts stack on each other);
- flows (v2): bind_id with flow_out begins a flow on the slice just opened on the track,
  flow_in ends it there; an end without a begun flow, a begin twice, a flow without a
  direction, no enclosing slice are errors;
- counters need numeric args; thread_name/process_name need a non-empty name.

And what pinata promises on top (docs/trace-format.md, "Made to open in other viewers"):
every M event has cat __metadata; process_name carries the scenario's title; each flow joins
the wake that carries it to the poll that carries it (no other slice); a poll's or call's
enclosing poll in Perfetto's nesting is the future its "parent" arg names (a parent that
starts with its first child is never read as its sibling).

Usage: perfetto_rules.py TRACE... ; prints one line per trace, then "N passed, M failed";
exit status 1 when any trace fails.
"""
import json
import math
import sys

MAX_DEPTH = 512  # SliceTracker::kMaxDepth
INT64_MAX = (1 << 63) - 1
PENDING = None   # a 'B' slice's duration until its 'E'


def coerce_ts(v):
    """CoerceToTs: microseconds in the JSON to integer nanoseconds, or None."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return v * 1000
    if isinstance(v, float):
        if v == math.trunc(v):
            return int(v) * 1000
        x = v * 1000.0
        return int(math.copysign(math.floor(abs(x) + 0.5), x))  # llround
    if isinstance(v, str):
        try:
            return coerce_ts(json.loads(v))
        except ValueError:
            return None
    return None


class Checker:
    def __init__(self, name, events):
        self.name = name
        self.events = events
        self.errors = []
        self.stacks = {}       # track -> list of [ts, dur, index]
        self.flows = {}        # bind id -> index of the slice it began on
        self.flow_ends = {}    # bind id -> index of the slice it ended on
        self.enclosing = {}    # index of a thread slice -> index of its parent slice
        self.max_stack = 0     # deepest stack seen (slices and instants)
        self.dropped = 0

    def err(self, i, what):
        if len(self.errors) < 12:
            ev = self.events[i] if i is not None else {}
            self.errors.append("event %s (%s %s ts %s): %s" % (
                i, ev.get("ph"), ev.get("name"), ev.get("ts"), what))
        else:
            self.errors.append(None)

    # --- tokenizer ------------------------------------------------------------------------
    def tokenize(self):
        out = []
        for i, ev in enumerate(self.events):
            if not isinstance(ev, dict):
                self.err(i, "not a JSON object")
                continue
            ph = ev.get("ph")
            if not isinstance(ph, str) or not ph:
                if ev:
                    self.err(i, "no \"ph\" (json_tokenizer_failure)")
                continue
            ph = ph[0]
            ts = coerce_ts(ev["ts"]) if "ts" in ev else None
            if ts is None:
                if ph != "M":
                    self.err(i, "no usable \"ts\" (json_tokenizer_failure)")
                    continue
                ts = 0
            dur = None
            if "dur" in ev:
                dur = coerce_ts(ev["dur"])
                if dur is None:
                    self.err(i, "bad \"dur\" (json_tokenizer_failure)")
                    continue
            if ts < 0:
                self.err(i, "negative ts (trace_sorter_negative_timestamp_dropped)")
                continue
            out.append((ts, ph, dur, i))
        return out

    @staticmethod
    def sort_key(item):
        ts, ph, dur, i = item
        if ph == "E":
            key = -INT64_MAX - 1
        elif ph == "X":
            key = INT64_MAX - (dur if dur is not None else INT64_MAX)
        else:
            key = INT64_MAX
        return (ts, key, i)

    # --- slice tracker --------------------------------------------------------------------
    def close_stack(self, track, new_ts, new_dur, i):
        """MaybeCloseStack: pops what ended; False on a partial overlap."""
        stack = self.stacks.setdefault(track, [])
        incomplete = False
        k = len(stack) - 1
        while k >= 0:
            if k >= len(stack):
                k = len(stack) - 1
                continue
            s_ts, s_dur, s_i = stack[k]
            if s_dur is PENDING:
                incomplete = True
                k -= 1
                continue
            end = s_ts + s_dur
            if incomplete:
                if new_ts <= end:
                    k -= 1
                    continue
                self.err(i, "misplaced end event: an open B slice escapes event %d" % s_i)
                del stack[k:]
                incomplete = False
                k -= 1
                continue
            ends_before = end < new_ts
            ends_same = end == new_ts and not (s_dur == 0 and new_dur == 0)
            if ends_before or ends_same:
                stack.pop()  # StackPop pops the back
                k -= 1
                continue
            if new_dur is PENDING:
                k -= 1
                continue
            if new_ts < end and new_ts + new_dur > end:
                self.err(i, "partially overlaps event %d [%d, %d] ns "
                            "(slice_spill_overlapping_complete_event)" % (s_i, s_ts, end))
                return False
            k -= 1
        return True

    def start_slice(self, track, ts, dur, i):
        """StartSlice; returns True when the slice is on the track's stack."""
        if not self.close_stack(track, ts, dur, i):
            return False
        stack = self.stacks[track]
        if len(stack) >= MAX_DEPTH:
            self.dropped += 1
            self.err(i, "%d deep on its track (slice_max_depth_exceeded): dropped" % len(stack))
            return False
        if stack and track[0] == "thread":
            self.enclosing[i] = stack[-1][2]
        stack.append([ts, dur, i])
        self.max_stack = max(self.max_stack, len(stack))
        return True

    def top(self, track):
        stack = self.stacks.get(track)
        return stack[-1][2] if stack else None

    # --- flows (v2) -----------------------------------------------------------------------
    def flow(self, ev, track, i):
        if "bind_id" not in ev:
            return
        bid = ev["bind_id"]
        if isinstance(bid, str):
            try:
                bid = int(bid, 16)
            except ValueError:
                self.err(i, "bind_id is not a hex string")
                return
        elif not isinstance(bid, int) or isinstance(bid, bool):
            return  # ExtractId ignores it
        fin, fout = ev.get("flow_in") is True, ev.get("flow_out") is True
        open_slice = self.top(track)
        if not fin and not fout:
            self.err(i, "bind_id without flow_in/flow_out (flow_without_direction)")
            return
        if open_slice is None:
            self.err(i, "no enclosing slice for the flow (flow_no_enclosing_slice)")
            return
        if open_slice != i:
            self.err(i, "the flow binds to event %d, not to this slice" % open_slice)
        if fout and not fin:
            if bid in self.flows:
                self.err(i, "flow %d begun twice (flow_duplicate_id)" % bid)
                return
            self.flows[bid] = open_slice
        else:
            if bid not in self.flows:
                self.err(i, "flow %d ends before it begins (flow_end_without_start)" % bid)
                return
            if fin and not fout:
                if bid in self.flow_ends:
                    self.err(i, "flow %d ended twice" % bid)
                self.flow_ends[bid] = open_slice
            else:
                self.flows[bid] = open_slice  # a step

    # --- the parser -----------------------------------------------------------------------
    def parse(self, ts, ph, dur, i):
        ev = self.events[i]
        pid, tid = ev.get("pid", 0), ev.get("tid", 0)
        if tid == 0 and pid != 0:
            tid = pid
        thread = ("thread", pid, tid)
        if ph == "X":
            if dur is None:
                self.err(i, "X without dur (json_parser_failure)")
                return
            if dur < 0:
                self.err(i, "negative dur (slice_negative_duration)")
                return
            if self.start_slice(thread, ts, dur, i):
                self.flow(ev, thread, i)
        elif ph == "B":
            if self.start_slice(thread, ts, PENDING, i):
                self.flow(ev, thread, i)
        elif ph == "E":
            self.close_stack(thread, ts, PENDING, i)
            stack = self.stacks.get(thread, [])
            open_b = [k for k, s in enumerate(stack) if s[1] is PENDING]
            if not open_b:
                self.err(i, "E with no open B")
                return
            k = open_b[-1]
            stack[k][1] = ts - stack[k][0]
            if k == len(stack) - 1:
                stack.pop()
        elif ph in "iIR":
            scope = ev.get("s")
            if scope == "g":
                track = ("global",)
            elif scope == "p":
                track = ("process", pid)
            else:
                if "tid" not in ev:
                    self.err(i, "thread instant without tid (json_parser_failure)")
                    return
                track = thread
            self.start_slice(track, ts, 0, i)
        elif ph == "C":
            args = ev.get("args")
            if not isinstance(args, dict) or not args:
                self.err(i, "counter without args (json_parser_failure)")
                return
            for k, v in args.items():
                ok = isinstance(v, (int, float)) and not isinstance(v, bool)
                if isinstance(v, str):
                    try:
                        float(v)
                        ok = True
                    except ValueError:
                        ok = False
                if not ok:
                    self.err(i, "counter %s is not a number (json_parser_failure)" % k)
        elif ph == "M":
            name, args = ev.get("name"), ev.get("args")
            if name in ("thread_name", "process_name"):
                if not isinstance(args, dict) or not isinstance(args.get("name"), str) or not args["name"]:
                    self.err(i, "%s without a name (json_parser_failure)" % name)
            elif name in ("thread_sort_index", "process_sort_index"):
                v = (args or {}).get("sort_index")
                if not isinstance(v, (int, float)) or isinstance(v, bool):
                    self.err(i, "sort_index is not a number (json_parser_failure)")

    # --- pinata's own promises ------------------------------------------------------------
    def pinata_rules(self):
        title = None
        process_names = []
        for i, ev in enumerate(self.events):
            if not isinstance(ev, dict) or ev.get("ph") != "M":
                continue
            if ev.get("cat") != "__metadata":
                self.err(i, "M event without \"cat\":\"__metadata\"")
            args = ev.get("args") or {}
            if ev.get("name") == "pinata":
                title = args.get("title")
            if ev.get("name") == "process_name":
                process_names.append(args.get("name", ""))
        if len(process_names) != 1:
            self.err(None, "%d process_name events, want 1" % len(process_names))
        elif title and title not in process_names[0]:
            self.err(None, "process_name %r does not carry the title %r" % (process_names[0], title))
        for bid, out in self.flows.items():
            end = self.flow_ends.get(bid)
            if end is None:
                self.err(out, "flow %d never ends on a poll" % bid)
                continue
            o, n = self.events[out], self.events[end]
            if o.get("cat") != "wake" or n.get("cat") not in ("poll", "call"):
                self.err(end, "flow %d joins %s to %s, want a wake to a poll" % (bid, o.get("cat"), n.get("cat")))
            elif (o.get("args") or {}).get("task") != (n.get("args") or {}).get("task"):
                self.err(end, "flow %d joins a wake of another task" % bid)
        by_future = {}
        for i, ev in enumerate(self.events):
            if isinstance(ev, dict) and ev.get("cat") in ("poll", "call") and ev.get("ph") == "X":
                by_future.setdefault((ev.get("pid"), ev.get("tid")), set()).add((ev.get("args") or {}).get("future"))
        for i, ev in enumerate(self.events):
            if not (isinstance(ev, dict) and ev.get("ph") == "X" and ev.get("cat") in ("poll", "call")):
                continue
            want = (ev.get("args") or {}).get("parent")
            got, k = None, self.enclosing.get(i)
            while k is not None:  # the nearest enclosing poll or call
                e = self.events[k]
                if e.get("cat") in ("poll", "call"):
                    got = (e.get("args") or {}).get("future")
                    break
                k = self.enclosing.get(k)
            if want is not None and want not in by_future.get((ev.get("pid"), ev.get("tid")), ()):
                continue  # its parent was polled on another thread: nothing to nest in here
            if got != want:
                self.err(i, "nested in the poll of future %s, but its parent is %s" % (got, want))

    def run(self):
        items = self.tokenize()
        items.sort(key=self.sort_key)
        for ts, ph, dur, i in items:
            self.parse(ts, ph, dur, i)
        self.pinata_rules()
        return [e for e in self.errors if e is not None], len(self.errors)


def self_test():
    """Known-bad traces that the checker must refuse (so that its passes mean something)."""
    meta = [{"ph": "M", "cat": "__metadata", "name": "process_name", "pid": 1, "tid": 0, "ts": 0,
             "args": {"name": "t"}}]

    def poll(ts, dur, fut, parent, **kw):
        e = {"ph": "X", "cat": "poll", "name": "p", "ts": ts, "dur": dur, "pid": 1, "tid": 1,
             "args": {"task": 1, "future": fut, "parent": parent}}
        e.update(kw)
        return e

    def wake(ts, **kw):
        e = {"ph": "X", "cat": "wake", "name": "wake", "ts": ts, "dur": 0.2, "pid": 1, "tid": 1000,
             "args": {"task": 1}}
        e.update(kw)
        return e
    bad = {
        "600 instants at one ts": [{"ph": "i", "s": "t", "name": "incoming", "ts": 0, "pid": 1,
                                    "tid": 1000} for _ in range(600)],
        "a partial overlap": [poll(0, 10, 1, None), poll(5, 10, 2, None)],
        "a flow that ends before it begins": [poll(1, 1, 1, None, bind_id=1, flow_in=True),
                                              wake(3, bind_id=1, flow_out=True)],
        "a flow with no direction": [poll(1, 1, 1, None, bind_id=1)],
        "a parent read as its child": [poll(0, 5, 2, 1), poll(0, 5, 1, None)],
        "a child outside its parent": [poll(0, 5, 1, None), poll(6, 1, 2, 1)],
        "an M event without cat": [{"ph": "M", "name": "thread_name", "pid": 1, "tid": 1, "ts": 0,
                                    "args": {"name": "main"}}],
        "an X without ts": [{"ph": "X", "cat": "poll", "name": "p", "dur": 1, "pid": 1, "tid": 1}],
        "a counter that is no number": [{"ph": "C", "name": "memory", "ts": 0, "pid": 1, "tid": 1,
                                         "args": {"tasks": "many"}}],
    }
    missed = [what for what, evs in bad.items() if not Checker(what, meta + evs).run()[1]]
    good = meta + [poll(0, 5, 1, None), poll(0, 2, 2, 1), wake(5, bind_id=7, flow_out=True),
                   poll(6, 1, 1, None, bind_id=7, flow_in=True)]
    if Checker("good", good).run()[1]:
        missed.append("(a good trace was refused)")
    return len(bad), missed


def check(path):
    try:
        with open(path, encoding="utf-8") as f:
            events = json.load(f)
    except (OSError, ValueError) as e:
        return ["cannot read: %s" % e], 1, None
    if isinstance(events, dict):
        events = events.get("traceEvents", [])
    c = Checker(path, events)
    shown, total = c.run()
    stats = "%d events, %d flows, deepest stack %d, %d dropped" % (
        len(events), len(c.flow_ends), c.max_stack, c.dropped)
    return shown, total, stats


def main(argv):
    if len(argv) < 2:
        print("usage: perfetto_rules.py TRACE...", file=sys.stderr)
        return 2
    n, missed = self_test()
    if missed:
        print("perfetto_rules: self-test: not caught: %s" % "; ".join(missed))
        print("0 passed, 1 failed")
        return 1
    print("perfetto_rules: self-test: all %d known-bad traces refused" % n)
    passed = failed = 0
    for path in argv[1:]:
        shown, total, stats = check(path)
        if total:
            failed += 1
            print("perfetto_rules: %s: FAILED, %d errors%s" % (path, total, " (" + stats + ")" if stats else ""))
            for e in shown:
                print("  " + e)
        else:
            passed += 1
            print("perfetto_rules: %s: ok (%s)" % (path, stats))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
