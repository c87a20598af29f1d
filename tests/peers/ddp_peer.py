"""PyTorch DDP peer for GenCluster's end-to-end benchmark: the DCGAN of dcgan_peer.py trained data-parallel.

  ddp_peer.py [--world 2] [--batch 32 per rank] [--warmup N] [--steps N] [--threads 1] [--data DIR] [--gencluster-kernels]

W processes (torch.multiprocessing, spawn) join a gloo process group on 127.0.0.1; G and D are wrapped in
DistributedDataParallel (gradients all-reduced in buckets during backward, overlapping it; BatchNorm buffers not
broadcast, as GenCluster's workers keep their own). Each rank trains on its own Fashion-MNIST batches. A step is one D
update (real and fake backward, one gradient all-reduce) and one G update (D's gradients from it are not all-reduced).
Prints one JSON line: the slowest rank's seconds per step after the warm-up.

--gencluster-kernels computes G's transposed convolutions as GenCluster's libtorch shim does (see
dcgan_peer.transposed_as_gencluster). It isolates what the runtime costs from what the kernels gain.

Run with Debian's /usr/bin/python3 (python3-torch).
"""
import argparse
import gzip
import json
import os
import socket
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dcgan_peer import Discriminator, Generator, transposed_as_gencluster, weights_init  # noqa: E402


def load_images(directory):
    with gzip.open(os.path.join(directory, "train-images-idx3-ubyte.gz"), "rb") as f:
        raw = f.read()
    count = int.from_bytes(raw[4:8], "big")
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, 1, 28, 28)
    return torch.from_numpy(pixels.astype(np.float32) / 127.5 - 1.0)


def run(rank, world, port, args, out):
    torch.set_num_threads(args.threads)
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(port)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    torch.manual_seed(1)  # the same initial weights on every rank (DDP also broadcasts rank 0's)
    netG, netD = Generator(), Discriminator()
    netG.apply(weights_init)
    netD.apply(weights_init)
    if args.gencluster_kernels:
        transposed_as_gencluster(netG)
    netG = DDP(netG, broadcast_buffers=False)
    netD = DDP(netD, broadcast_buffers=False)
    criterion = nn.BCEWithLogitsLoss()
    optD = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optG = torch.optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))
    images = load_images(args.data)
    sampler = torch.Generator().manual_seed(1000 + rank)
    b = args.batch
    ones, zeros = torch.ones(b), torch.zeros(b)
    seconds = []
    for i in range(args.warmup + args.steps):
        real = images[torch.randint(0, images.size(0), (b,), generator=sampler)]
        noise = torch.randn(b, 100, 1, 1)
        start = time.perf_counter()
        netD.zero_grad()
        with netD.no_sync():  # one all-reduce of D's gradients per step, after the fake half
            errD_real = criterion(netD(real), ones)
            errD_real.backward()
        fake = netG(noise)
        errD_fake = criterion(netD(fake.detach()), zeros)
        errD_fake.backward()
        optD.step()
        netG.zero_grad()
        with netD.no_sync():  # D's gradients from G's loss are not used
            errG = criterion(netD(fake), ones)
            errG.backward()
        optG.step()
        loss = errG.item()
        if i >= args.warmup:
            seconds.append(time.perf_counter() - start)
    times = torch.tensor(seconds, dtype=torch.float64)
    dist.all_reduce(times, op=dist.ReduceOp.MAX)
    if rank == 0:
        out.put({"peer": "ddp-gloo", "gencluster_kernels": args.gencluster_kernels, "torch": torch.__version__, "world": world, "batch_per_rank": b,
                 "threads": torch.get_num_threads(), "seconds": times.tolist(), "final_g_loss": loss})
    dist.barrier()
    dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--world", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--gencluster-kernels", action="store_true")
    parser.add_argument("--data", default=os.environ.get("GENCLUSTER_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
    args = parser.parse_args()
    os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
    context = mp.get_context("spawn")
    out = context.Queue()
    port = free_port()
    processes = [context.Process(target=run, args=(r, args.world, port, args, out)) for r in range(args.world)]
    for p in processes:
        p.start()
    try:
        result = out.get(timeout=1200)
    finally:
        for p in processes:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    if any(p.exitcode != 0 for p in processes):
        sys.exit(f"a rank failed: exit codes {[p.exitcode for p in processes]}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
