#!/usr/bin/env python3
"""Predicts the parallel efficiency of dagflow's MPI scheduler on 16 to 1024 nodes.

The model is built from costs measured on one machine (bench_overhead, bench_mpi, bench_wordcount; the
defaults below, each with where it comes from) and a network's latency and bandwidth (an InfiniBand-class
default; pass your own). For P nodes of C cores each, one rank per node, a compute costs

    build + plan        every rank builds and plans the whole graph: N * (build + plan) per task
    + work              the slowest rank's share of the sources and of its local tree: ceil(N / P) * t / C
    + reduction         the levels of the reduction tree that join ranks: log_f(P) * (latency + bytes/bandwidth + merge)
    + agreement         one allreduce: log2(P) * latency
    + outputs           the result broadcast to every rank: log2(P) * (latency + out_bytes/bandwidth)

and the efficiency is T(1) / (P * T(P)), where T(1) is the same graph on one node. The output says which
term limits each workflow at the largest P: the next thing to fix.

    bench/mpi/scaling_model.py                      the three course workflows, defaults below
    bench/mpi/scaling_model.py --latency-us 5 --bandwidth-gbs 1.25     a 10 Gb/s Ethernet cluster
"""
import argparse
import math

# Per-task costs of the machinery, ns, measured on the 2-core test machine (bench_overhead medians:
# building a delayed call, and compute()'s planning and dispatch per task).
BUILD_NS = 40
PLAN_NS = 35
DISPATCH_NS = 60

WORKFLOWS = {
    # name: (tasks per node-independent source count N, seconds of work per source on one core,
    #        bytes of a partial result that crosses ranks, seconds to merge two partials, tree fan-in,
    #        bytes of the final output, sources scale with P (weak scaling) or not)
    # Word count: 1 GB per node in 16 MB blocks, one per core (bench_wordcount: 216 ms for 102 MB on one core), a
    # partial is a table of ~17 700 words (~300 KB serialized), merged in ~2 ms.
    "wordcount (weak: 1 GB per node)": dict(sources_per_node=64, work_s=0.034, partial_bytes=300e3,
                                             merge_s=0.002, fan_in=8, out_bytes=300e3, weak=True),
    # pi bag: 10^9 samples per node in batches of 10^7 (bench_pi: ~4 ns per sample on one core), a
    # partial is two integers.
    "pi bag (weak: 1e9 samples per node)": dict(sources_per_node=100, work_s=0.04, partial_bytes=16,
                                                 merge_s=1e-7, fan_in=8, out_bytes=8, weak=True),
    # Mandelbrot 8192^2 at 1000 iterations, 64 x 64 tiles (bench_mandelbrot: ~20 ms per tile on average
    # with 12x spread, dealt cyclically), each tile's pixels (2 bytes) gathered by compute_at on rank 0.
    "mandelbrot 8192^2 (strong)": dict(sources=4096, work_s=0.02, partial_bytes=2 * 128 * 128, merge_s=0,
                                       fan_in=0, out_bytes=2 * 8192 * 8192, weak=False),
}


def time_on(p, cores, w, latency, bandwidth):
    sources = w["sources_per_node"] * p if w["weak"] else w["sources"]
    tasks = 2 * sources  # sources and, about as many, the tree above them
    terms = {
        "graph built and planned on every rank": tasks * (BUILD_NS + PLAN_NS) * 1e-9,
        "work": math.ceil(sources / p) * w["work_s"] / cores + math.ceil(tasks / p) * DISPATCH_NS * 1e-9,
        "agreement": math.log2(p) * latency if p > 1 else 0.0,
    }
    if w["fan_in"]:
        levels = math.ceil(math.log(p, w["fan_in"])) if p > 1 else 0
        terms["reduction across ranks"] = levels * (latency + w["partial_bytes"] / bandwidth + w["fan_in"] * w["merge_s"])
        terms["output broadcast"] = math.log2(p) * (latency + w["out_bytes"] / bandwidth) if p > 1 else 0.0
    else:  # results gathered on one rank (compute_at): its link carries all of them
        terms["gather on one rank"] = (p - 1) / p * w["out_bytes"] / bandwidth + (p - 1) * latency
    return terms


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cores", type=int, default=64, help="cores per node (default 64)")
    parser.add_argument("--latency-us", type=float, default=2.0, help="one message, µs (default 2: InfiniBand-class)")
    parser.add_argument("--bandwidth-gbs", type=float, default=10.0, help="GB/s per link (default 10)")
    args = parser.parse_args()
    latency = args.latency_us * 1e-6
    bandwidth = args.bandwidth_gbs * 1e9
    nodes = [16, 64, 256, 1024]
    print(f"{args.cores} cores per node, {args.latency_us} µs latency, {args.bandwidth_gbs} GB/s\n")
    print("| workflow | " + " | ".join(f"E({p})" for p in nodes) + " | limit at 1024 nodes |")
    print("|---|" + "---:|" * len(nodes) + "---|")
    for name, w in WORKFLOWS.items():
        cells = []
        for p in nodes:
            # The same problem on one node: for weak scaling, p nodes' worth of sources.
            alone = dict(w, sources_per_node=w["sources_per_node"] * p) if w["weak"] else w
            one = sum(time_on(1, args.cores, alone, latency, bandwidth).values())
            total = sum(time_on(p, args.cores, w, latency, bandwidth).values())
            cells.append(f"{one / (p * total):.2f}")
        terms = time_on(nodes[-1], args.cores, w, latency, bandwidth)
        limit = max((t for t in terms.items() if t[0] != "work"), key=lambda t: t[1])
        share = limit[1] / sum(terms.values())
        print(f"| {name} | " + " | ".join(cells) + f" | {limit[0]} ({share:.0%} of the time) |")


if __name__ == "__main__":
    main()
