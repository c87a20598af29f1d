"""Independent PyTorch reference for GenCluster's Frechet distance (tests/GenCluster.Training.Tests/Quality).

  fid_peer.py FEATURES.safetensors   the file holds float64 tensors "a" (N1 x d) and "b" (N2 x d);
                                     prints one JSON line {"fid", "mean_term", "covariance_term", ...}

Textbook route, in float64 throughout: mean and unbiased covariance (torch.cov), Sigma_a^1/2 from
torch.linalg.eigh, then the eigenvalues of Sigma_a^1/2 Sigma_b Sigma_a^1/2 from eigvalsh and the sum of
their square roots. Run with Debian's /usr/bin/python3 (python3-torch).
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402


def statistics(x):
    x = x.to(torch.float64)
    return x.mean(dim=0), torch.cov(x.T, correction=1)


def sqrt_psd(m):
    values, vectors = torch.linalg.eigh(m)
    return vectors @ torch.diag(values.clamp(min=0).sqrt()) @ vectors.T


def frechet(mu_a, cov_a, mu_b, cov_b):
    mean_term = float(((mu_a - mu_b) ** 2).sum())
    root_a = sqrt_psd(cov_a)
    middle = root_a @ cov_b @ root_a
    middle = (middle + middle.T) / 2
    trace_root = float(torch.linalg.eigvalsh(middle).clamp(min=0).sqrt().sum())
    covariance_term = float(torch.trace(cov_a) + torch.trace(cov_b)) - 2 * trace_root
    return mean_term, covariance_term


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    tensors, _ = safetensors_io.load(sys.argv[1])
    for name in ("a", "b"):
        if name not in tensors or tensors[name].dim() != 2:
            sys.exit(f"{sys.argv[1]}: needs a 2-D tensor '{name}'")
    mu_a, cov_a = statistics(tensors["a"])
    mu_b, cov_b = statistics(tensors["b"])
    mean_term, covariance_term = frechet(mu_a, cov_a, mu_b, cov_b)
    print(json.dumps({
        "fid": mean_term + covariance_term,
        "mean_term": mean_term,
        "covariance_term": covariance_term,
        "trace_a": float(torch.trace(cov_a)),
        "trace_b": float(torch.trace(cov_b)),
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
