"""The bench's peer: the mnist-dcgan preset's exact model and D+G step in PyTorch on the CPU.

Mirrors presets/mnist-dcgan.gan.json, src/trainer/models/ and train.ts: the same layers and widths, DCGAN init
N(0, 0.02) (BN gamma N(1, 0.02)), batch-statistics BN, Adam(5e-4, 0.5, 0.999, PyTorch's eps as adam.ts), the
non-saturating loss from logits, and G run once per step as train.ts does (D updates on its fakes detached, then
G's loss goes through the updated D). Prints one JSON line: {"peer": "pytorch-<version>", "ms_per_step": ...,
"threads": ...}; with --profile also "ops": each op's calls and self time in one step (torch.profiler over 5 more
steps, after the timed ones).
"""
import argparse
import json
import os
import statistics
import time

# OpenBLAS's own thread pool beside torch's OpenMP threads oversubscribes the cores: one BLAS thread each.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402  (after the environment is set)
from torch import nn  # noqa: E402


def mnist_dcgan(g=64, d=32, latent=100):
    generator = nn.Sequential(
        nn.Linear(latent, 7 * 7 * 2 * g), nn.Unflatten(1, (2 * g, 7, 7)), nn.BatchNorm2d(2 * g), nn.ReLU(),
        nn.ConvTranspose2d(2 * g, g, 4, 2, 1, bias=False), nn.BatchNorm2d(g), nn.ReLU(),  # 14x14
        nn.ConvTranspose2d(g, 1, 4, 2, 1, bias=False), nn.Tanh(),  # 28x28
    )
    discriminator = nn.Sequential(
        nn.Conv2d(1, d, 4, 2, 1, bias=False), nn.LeakyReLU(0.2),  # 14x14
        nn.Conv2d(d, 2 * d, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * d), nn.LeakyReLU(0.2),  # 7x7
        nn.Flatten(), nn.Linear(7 * 7 * 2 * d, 1),
    )
    for m in [*generator.modules(), *discriminator.modules()]:
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)
    return generator, discriminator


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    G, D = mnist_dcgan()
    opt_d = torch.optim.Adam(D.parameters(), lr=5e-4, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(G.parameters(), lr=5e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    real = torch.rand(args.batch, 1, 28, 28) * 2 - 1
    ones = torch.ones(args.batch, 1)
    zeros = torch.zeros(args.batch, 1)

    def step():
        z = torch.randn(args.batch, 100)
        # (1) D: real labelled 1, fake 0; the fakes are constants to D's update.
        fake = G(z)
        opt_d.zero_grad(set_to_none=True)
        loss_d = bce(D(real), ones) + bce(D(fake.detach()), zeros)
        loss_d.backward()
        opt_d.step()
        # (2) G: maximise log D(G(z)) through the updated D, on the same forward pass of G.
        opt_g.zero_grad(set_to_none=True)
        loss_g = bce(D(fake), ones)
        loss_g.backward()
        opt_g.step()
        return loss_d.item() + loss_g.item()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    # The median, as the bench reports for tfjs: robust to steps another process slowed down on a shared machine.
    ms = statistics.median(times)
    result = {"peer": f"pytorch-{torch.__version__}", "ms_per_step": ms, "threads": torch.get_num_threads()}
    if args.profile:
        result["ops"] = profile_ops(step)
    print(json.dumps(result))


def profile_ops(step, steps=5):
    """Each op's calls and self time (ms) in one step, slowest first: PyTorch's side of the bench's kernel table."""
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(steps):
            step()
    ops = [{"op": e.key, "calls": e.count / steps, "selfMs": e.self_cpu_time_total / 1000 / steps} for e in prof.key_averages()]
    return sorted(ops, key=lambda o: -o["selfMs"])


if __name__ == "__main__":
    main()
