"""Single-process PyTorch reference trainer for the quality benchmark (issue 4: FID of the cluster's DCGAN
vs this reference, same recipe, same number of images seen).

  dcgan_reference_train.py --steps N --batch B --output G.safetensors [--seed S] [--threads T] [--data DIR]

The recipe is GenCluster's DCGAN (grains/GenCluster.Training/Gan, LocalGanTrainer), i.e. pytorch/examples
dcgan/main.py scaled to 28x28: the Generator/Discriminator/weights_init/GanStep of dcgan_peer.py (already
checked step for step against our C# models), Adam lr 2e-4 betas (0.5, 0.999), BCE on logits, real images
x/127.5 - 1, batches drawn without replacement from a fresh permutation each epoch (last partial batch
dropped), fresh N(0, 1) latent vectors every step. D is frozen during the generator phase, which changes
no result (as in our GanStep). Writes the generator's state dict (with BatchNorm running statistics) as
safetensors and prints one JSON line with timings and losses. Run with Debian's /usr/bin/python3.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402
from dcgan_peer import Discriminator, GanStep, Generator, weights_init  # noqa: E402

DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"


def load_images(directory):
    path = os.path.join(directory, "train-images-idx3-ubyte.gz")
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, count, rows, cols = struct.unpack(">IIII", raw[:16])
    if magic != 0x803 or rows != 28 or cols != 28:
        sys.exit(f"{path}: not an IDX file of 28x28 images (magic {magic:#x}, {rows}x{cols})")
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16, count=count * rows * cols)
    images = torch.from_numpy(pixels.astype(np.float32).reshape(count, 1, rows, cols))
    return images / 127.5 - 1.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--output", required=True)
    parser.add_argument("--data", default=os.environ.get("GENCLUSTER_FASHION_MNIST_DIR") or DEFAULT_DATA)
    parser.add_argument("--log-every", type=int, default=0)
    args = parser.parse_args()
    if args.steps < 1 or args.batch < 2:
        sys.exit("--steps must be >= 1 and --batch >= 2")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    images = load_images(args.data)
    count = images.size(0)
    if args.batch > count:
        sys.exit(f"--batch {args.batch} exceeds the {count} training images")
    steps_per_epoch = count // args.batch

    netG, netD = Generator(), Discriminator()
    netG.apply(weights_init)
    netD.apply(weights_init)
    step = GanStep(netG, netD, freeze_d=True)
    order = torch.Generator().manual_seed(args.seed + 1)
    noise_source = torch.Generator().manual_seed(args.seed + 2)

    losses = []
    permutation = None
    start = time.perf_counter()
    for s in range(args.steps):
        position = s % steps_per_epoch
        if position == 0:
            permutation = torch.randperm(count, generator=order)
        real = images[permutation[position * args.batch:(position + 1) * args.batch]]
        noise = torch.randn(args.batch, 100, 1, 1, generator=noise_source)
        d_loss, g_loss = step(real, noise)
        losses.append((d_loss, g_loss))
        if args.log_every and (s + 1) % args.log_every == 0:
            print(f"[{s + 1}/{args.steps}] Loss_D {d_loss:.4f} Loss_G {g_loss:.4f}", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - start

    safetensors_io.save(netG.state_dict(), args.output, {
        "architecture": "dcgan-28",
        "latent_size": 100,
        "steps": args.steps,
        "batch_size": args.batch,
        "seed": args.seed,
        "trainer": "tests/peers/dcgan_reference_train.py (PyTorch " + torch.__version__ + ")",
    })
    tail = losses[-100:]
    print(json.dumps({
        "peer": "pytorch-reference-trainer",
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "steps": args.steps,
        "batch": args.batch,
        "images_seen": args.steps * args.batch,
        "train_seconds": elapsed,
        "final_loss_d": losses[-1][0],
        "final_loss_g": losses[-1][1],
        "mean_last_loss_d": sum(d for d, _ in tail) / len(tail),
        "mean_last_loss_g": sum(g for _, g in tail) / len(tail),
        "output": args.output,
    }))


if __name__ == "__main__":
    main()
