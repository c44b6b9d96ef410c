#!/usr/bin/env python3
"""PyTorch's counterpart of JMH's DenseGradientBench.gradient: forward, loss and backward of the
W1 MLP (784-256-10 ReLU, summed softmax cross-entropy) on N rows with MNIST's 19 % non-zeros,
one thread per process; with --concurrent 2, two processes at once (as two Spark tasks, or
DDP's two processes, share the machine). Prints the p50 per process.

  python3 examples/ddp/torch_gradient.py 1024 2048 --concurrent 2
"""
import argparse
import multiprocessing as mp
import time


def measure(rows, reps, hidden, out):
    import torch
    torch.set_num_threads(1)
    torch.manual_seed(0)
    layers, width = [], 784
    for h in hidden:
        layers += [torch.nn.Linear(width, h), torch.nn.ReLU()]
        width = h
    model = torch.nn.Sequential(*layers, torch.nn.Linear(width, 10))
    x = torch.rand(rows, 784) * (torch.rand(rows, 784) < 0.19)
    y = torch.randint(0, 10, (rows,))
    loss = torch.nn.CrossEntropyLoss(reduction='sum')
    times = []
    for i in range(reps + 20):
        t = time.perf_counter()
        model.zero_grad(set_to_none=False)
        loss(model(x), y).backward()
        if i >= 20:
            times.append(time.perf_counter() - t)
    times.sort()
    out.put(times[len(times) // 2] * 1e3)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('rows', type=int, nargs='+')
    p.add_argument('--concurrent', type=int, default=1)
    p.add_argument('--reps', type=int, default=100)
    p.add_argument('--hidden', type=int, nargs='+', default=[256])
    args = p.parse_args()
    ctx = mp.get_context('spawn')
    for rows in args.rows:
        q = ctx.Queue()
        procs = [ctx.Process(target=measure, args=(rows, args.reps, args.hidden, q))
                 for _ in range(args.concurrent)]
        for pr in procs:
            pr.start()
        ms = sorted(q.get() for _ in procs)
        for pr in procs:
            pr.join()
        flops = 2 * rows * (784 * 256 * 2 + 256 * 10 * 3) if args.hidden == [256] else None
        print(f'torch gradient, {rows} rows, {args.concurrent} process(es) at once: '
              + ', '.join(f'{m:.2f} ms' for m in ms)
              + (f' ({flops / ms[-1] / 1e6:.1f} GFLOP/s for the slower)' if flops else ''))


if __name__ == '__main__':
    main()
