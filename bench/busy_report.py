"""The results of bench/newsroom_busy.py, as markdown for bench/RESULTS.md, against the
issue's targets."""

import math
import statistics
import sys

THROUGHPUT_TARGET, P99_TARGET_MS, VISIBLE_TARGET_S = 0.90, 100, 2.0


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)] if ordered else 0


def report(args, plan, outcome, started):
    baseline, busy, checker = outcome["baseline"], outcome["busy"], outcome["checker"]
    ratio = busy["rps"] / baseline["rps"] if baseline["rps"] else 0
    delays = [delay for delay, _, _ in checker.delays]
    saves = [change["at"] - change["began"] for change in outcome["changes"]]
    edits = sum(change["change"] == "edit" for change in outcome["changes"])
    errors5xx = baseline["errors5xx"] + busy["errors5xx"] + checker.errors5xx
    missed = []
    if ratio < THROUGHPUT_TARGET:
        missed.append(f"busy throughput {ratio:.0%} of baseline (target ≥ {THROUGHPUT_TARGET:.0%})")
    if busy["p99"] >= P99_TARGET_MS:
        missed.append(f"p99 {busy['p99']:.1f} ms while busy (target < {P99_TARGET_MS} ms)")
    if errors5xx:
        missed.append(f"{errors5xx} responses 5xx")
    if checker.lost:
        missed.append(f"{len(checker.lost)} changes never seen within {args.give_up:.0f} s")
    late = [d for d in checker.delays if d[0] > VISIBLE_TARGET_S]
    if late:
        missed.append(
            f"{len(late)} of {len(checker.delays)} changes seen after {VISIBLE_TARGET_S} s"
        )
    if not outcome["changes"]:
        missed.append("no change was made")

    print("\n" + "=" * 78 + "\n")
    print(f"Machine: {started}. Command: `bench/newsroom_busy.py {' '.join(sys.argv[1:])}`\n")
    print("| phase | requests/s | p50 ms | p99 ms | max ms | 5xx | 4xx | socket errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in (("baseline (readers only)", baseline), ("busy (editor + moderator)", busy)):
        print(
            f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['max']:.0f} | "
            f"{r['errors5xx']} | {r['errors4xx']} | {r['socket_errors']} |"
        )
    print()
    by_kind = {}
    for delay, kind, _ in checker.delays:
        by_kind.setdefault(kind, []).append(delay)
    print(f"- busy / baseline throughput: {ratio:.1%} (target ≥ {THROUGHPUT_TARGET:.0%})")
    print(
        f"- changes: {edits} story saves, {len(outcome['changes']) - edits} comment approvals; "
        f"the save or approval itself: median {statistics.median(saves or [0]) * 1000:.0f} ms, "
        f"max {max(saves or [0]) * 1000:.0f} ms"
    )
    print(
        f"- visible to an anonymous reader after (seconds, from the commit): "
        f"max {max(delays or [0]):.2f}, p95 {percentile(delays, 0.95):.2f}, "
        f"median {statistics.median(delays or [0]):.2f} over {len(delays)} page checks; "
        f"{len(checker.lost)} never seen (target: all within {VISIBLE_TARGET_S:.0f} s)"
    )
    for kind, values in sorted(by_kind.items()):
        print(
            f"  - {kind}: {len(values)} checks, max {max(values):.2f} s, "
            f"p95 {percentile(values, 0.95):.2f} s"
        )
    print(f"- checkers' own requests: {checker.requests} (not in the readers' numbers)")
    print()
    if missed:
        print("MISSED: " + "; ".join(missed))
        return 1
    print("All targets met.")
    return 0
