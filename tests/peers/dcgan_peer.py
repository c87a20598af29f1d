"""PyTorch reference peer for GenCluster's DCGAN (28x28 variant of pytorch/examples dcgan/main.py).

  interop DIR [--steps N] [--gencluster-kernels]
                            load init_G/init_D/inputs.safetensors from DIR, train N steps on the
                             given batches and noise, write losses.json and final_G/final_D.safetensors;
                             --gencluster-kernels: G's transposed convolutions as GenCluster's shim computes them
  bench [--steps N ...]     time GAN steps on random data; print one JSON line with per-step times

Run with Debian's /usr/bin/python3 (python3-torch).
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


class Generator(nn.Module):
    def __init__(self, nz=100, ngf=64, nc=1):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 4, 7, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 4),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, nc, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, z):
        return self.main(z)


class Discriminator(nn.Module):
    def __init__(self, ndf=64, nc=1):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 7, 1, 0, bias=False),
        )

    def forward(self, x):
        return self.main(x).view(-1)


def weights_init(m):
    name = m.__class__.__name__
    if name.find("Conv") != -1:
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif name.find("BatchNorm") != -1:
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


class GanStep:
    """One D update then one G update, as in pytorch/examples dcgan/main.py."""

    def __init__(self, netG, netD, freeze_d=False):
        self.netG, self.netD, self.freeze_d = netG, netD, freeze_d
        self.criterion = nn.BCEWithLogitsLoss()
        self.optD = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.optG = torch.optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))

    def __call__(self, real, noise):
        b = real.size(0)
        ones, zeros = torch.ones(b), torch.zeros(b)
        self.netD.zero_grad()
        out = self.netD(real)
        errD_real = self.criterion(out, ones)
        errD_real.backward()
        fake = self.netG(noise)
        out = self.netD(fake.detach())
        errD_fake = self.criterion(out, zeros)
        errD_fake.backward()
        self.optD.step()

        self.netG.zero_grad()
        if self.freeze_d:
            for p in self.netD.parameters():
                p.requires_grad_(False)
        out = self.netD(fake)
        errG = self.criterion(out, ones)
        errG.backward()
        if self.freeze_d:
            for p in self.netD.parameters():
                p.requires_grad_(True)
        self.optG.step()
        return (errD_real + errD_fake).item(), errG.item()


def transposed_as_gencluster(model):
    """Makes every ConvTranspose2d of model compute as GenCluster's libtorch shim does (infra/GenCluster.Torch/native/
    src/nn.cpp): a 1x1 input as one matrix product over the batch, and a float32 one with 16 or more output channels per
    group as the input gradient of a convolution (oneDNN), instead of libtorch 1.13's per-sample slow_conv_transpose2d.
    The same parameters, the same results up to rounding."""
    for module in model.modules():
        if isinstance(module, nn.ConvTranspose2d):
            _compute_as_gencluster(module)


def _compute_as_gencluster(module):
    plain = module.forward

    def forward(x):
        w, s, p, op, d, g = module.weight, module.stride, module.padding, module.output_padding, module.dilation, module.groups
        if x.dim() == 4 and x.shape[2:] == (1, 1) and g == 1 and p == (0, 0) and op == (0, 0) and d == (1, 1):
            y = torch.mm(x.reshape(x.size(0), -1), w.reshape(w.size(0), -1)).view(x.size(0), *w.shape[1:])
        elif x.dtype == torch.float32 and x.dim() == 4 and w.size(1) >= 16 and all(o < st for o, st in zip(op, s)):
            size = [x.size(0), w.size(1) * g] + [(x.size(2 + i) - 1) * s[i] - 2 * p[i] + d[i] * (w.size(2 + i) - 1) + op[i] + 1 for i in range(2)]
            shape = x.new_empty(1).expand(size)
            y = torch.ops.aten.convolution_backward(x, shape, w, None, s, p, d, False, [0, 0], g, [True, False, False])[0]
        else:
            return plain(x)
        return y if module.bias is None else y + module.bias.view(1, -1, 1, 1)

    module.forward = forward


def interop(args):
    torch.set_num_threads(args.threads)
    netG, netD = Generator(), Discriminator()
    g_state, _ = safetensors_io.load(os.path.join(args.dir, "init_G.safetensors"))
    d_state, _ = safetensors_io.load(os.path.join(args.dir, "init_D.safetensors"))
    netG.load_state_dict(g_state)
    netD.load_state_dict(d_state)
    if args.gencluster_kernels:
        transposed_as_gencluster(netG)
    inputs, _ = safetensors_io.load(os.path.join(args.dir, "inputs.safetensors"))
    step = GanStep(netG, netD)
    losses = []
    for i in range(args.steps):
        d, g = step(inputs["real"], inputs[f"noise.{i}"])
        losses.append({"d": d, "g": g})
    with open(os.path.join(args.dir, "losses.json"), "w") as f:
        json.dump(losses, f)
    safetensors_io.save(netG.state_dict(), os.path.join(args.dir, "final_G.safetensors"))
    safetensors_io.save(netD.state_dict(), os.path.join(args.dir, "final_D.safetensors"))


def bench(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    netG, netD = Generator(), Discriminator()
    netG.apply(weights_init)
    netD.apply(weights_init)
    step = GanStep(netG, netD, freeze_d=args.freeze_d)
    real = torch.rand(args.batch, 1, 28, 28) * 2 - 1
    times = []
    for i in range(args.warmup + args.steps):
        noise = torch.randn(args.batch, 100, 1, 1)
        start = time.perf_counter()
        step(real, noise)
        elapsed = time.perf_counter() - start
        if i >= args.warmup:
            times.append(elapsed * 1000.0)
    print(json.dumps({"peer": "pytorch-eager", "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "freeze_d": args.freeze_d, "batch": args.batch, "median_ms": statistics.median(times),
                      "times_ms": times}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("interop")
    p.add_argument("dir")
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--gencluster-kernels", action="store_true")
    p = sub.add_parser("bench")
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--freeze-d", action="store_true")
    args = parser.parse_args()
    interop(args) if args.mode == "interop" else bench(args)


if __name__ == "__main__":
    main()
