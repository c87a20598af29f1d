"""torch.distributed Gloo all_reduce peer for GenCluster's all-reduce benchmark.

  allreduce_peer.py --world W --sizes-mib 1,16,64 [--warmup N] [--iterations N] [--threads N]

Spawns W processes (rank 0 is this one's child like the others) that join a gloo process group on
127.0.0.1, all-reduce (sum) float32 tensors of each size, and check the sums exactly. Each iteration
starts after a barrier and its time is the slowest rank's. Prints one JSON line per size:
{"peer": "gloo", "world": W, "mib": M, "seconds": [...]}.

Run with Debian's /usr/bin/python3 (python3-torch).
"""
import argparse
import json
import os
import socket
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def contribution(rank, elements):
    # Small integers (the same as the C# side): every sum is exact in float32, in any order.
    index = torch.arange(elements, dtype=torch.int32)
    return ((index + rank) % 7 + rank).to(torch.float32)


def run(rank, world, port, sizes, warmup, iterations, threads, out):
    torch.set_num_threads(threads)
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    results = []
    for mib in sizes:
        elements = mib * 1024 * 1024 // 4
        source = contribution(rank, elements)
        expected = sum(contribution(r, elements) for r in range(world))
        buffer = torch.empty_like(source)
        seconds = []
        for i in range(warmup + iterations):
            buffer.copy_(source)
            dist.barrier()
            start = time.perf_counter()
            dist.all_reduce(buffer, op=dist.ReduceOp.SUM)
            elapsed = torch.tensor([time.perf_counter() - start], dtype=torch.float64)
            dist.all_reduce(elapsed, op=dist.ReduceOp.MAX)
            if i >= warmup:
                seconds.append(elapsed.item())
        if not torch.equal(buffer, expected):
            raise SystemExit(f"rank {rank}: gloo all_reduce of {mib} MiB gave a wrong sum")
        del source, expected, buffer
        results.append({"peer": "gloo", "torch": torch.__version__, "world": world, "mib": mib, "threads": threads, "seconds": seconds})
    if rank == 0:
        out.put(results)
    dist.barrier()
    dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--world", type=int, default=2)
    parser.add_argument("--sizes-mib", default="1,16,64,256")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
    sizes = [int(s) for s in args.sizes_mib.split(",")]
    context = mp.get_context("spawn")
    out = context.Queue()
    port = free_port()
    processes = [context.Process(target=run, args=(r, args.world, port, sizes, args.warmup, args.iterations, args.threads, out))
                 for r in range(args.world)]
    for p in processes:
        p.start()
    try:
        results = out.get(timeout=900)
    finally:
        for p in processes:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    if any(p.exitcode != 0 for p in processes):
        sys.exit(f"a rank failed: exit codes {[p.exitcode for p in processes]}")
    for line in results:
        print(json.dumps(line))


if __name__ == "__main__":
    main()
