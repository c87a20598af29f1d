"""PyTorch reference peer for GenCluster's flat-buffer optimizers.

  optim_peer.py adam|sgd DIR --steps N [--lr ..] [--beta1 ..] [--beta2 ..] [--eps ..] [--weight-decay ..]
                [--momentum ..] [--dampening ..] [--nesterov]

Reads DIR/inputs.safetensors (param, grad.0 .. grad.N-1), applies N steps of torch.optim.Adam or
torch.optim.SGD to `param`, writes DIR/result.safetensors (param and the optimizer state).
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["adam", "sgd"])
    parser.add_argument("dir")
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--beta1", type=float, default=0.9)
    parser.add_argument("--beta2", type=float, default=0.999)
    parser.add_argument("--eps", type=float, default=1e-8)
    parser.add_argument("--weight-decay", type=float, default=0.0)
    parser.add_argument("--momentum", type=float, default=0.0)
    parser.add_argument("--dampening", type=float, default=0.0)
    parser.add_argument("--nesterov", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)

    inputs, _ = safetensors_io.load(os.path.join(args.dir, "inputs.safetensors"))
    param = torch.nn.Parameter(inputs["param"].clone())
    if args.kind == "adam":
        opt = torch.optim.Adam([param], lr=args.lr, betas=(args.beta1, args.beta2), eps=args.eps,
                               weight_decay=args.weight_decay)
    else:
        opt = torch.optim.SGD([param], lr=args.lr, momentum=args.momentum, dampening=args.dampening,
                              weight_decay=args.weight_decay, nesterov=args.nesterov)
    for i in range(args.steps):
        param.grad = inputs[f"grad.{i}"].clone()
        opt.step()
    result = {"param": param.detach()}
    state = opt.state[param]
    for key in ("exp_avg", "exp_avg_sq", "momentum_buffer"):
        if key in state and state[key] is not None:
            result[key] = state[key]
    safetensors_io.save(result, os.path.join(args.dir, "result.safetensors"))


if __name__ == "__main__":
    main()
