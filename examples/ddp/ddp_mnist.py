#!/usr/bin/env python3
"""W1 in PyTorch DDP, the baseline sparkprop's benchmarks are set beside.

The same model (784-[hidden]-10 ReLU MLP, softmax cross-entropy), the same data (MNIST's IDX
files, pixels / 255) and the same step as `bin/sparkprop train --config
conf/examples/mnist-mlp.conf`: a global mini-batch split over the processes, gradients averaged
(DDP's all-reduce over gloo), one optimizer step. Processes x threads as sparkprop's local[2]
with one native thread per task: 2 x 1 by default.

Prints one JSON line (rank 0) with what sparkprop's bench reports:
  samples_per_s, step_ms   training steps only (evaluation and start-up excluded)
  compute_ms               gather + forward + backward of one process's share of a batch, both
                           processes computing at once (after training, 30 steps under no_sync:
                           DDP's all-reduce taken out); per step the slower process, then the
                           median: the counterpart of sparkprop's slowest task's compute
  evals                    [epoch, train_s, test_accuracy] after every epoch
  to_target_s              training seconds to each --target test accuracy (epoch granularity)

  python3 examples/ddp/ddp_mnist.py --batch 256 --lr 1e-3 --epochs 5
"""
import argparse
import json
import math
import os
import struct
import sys
import time


def read_idx(path):
    import numpy as np
    with open(path, 'rb') as f:
        data = f.read()
    _, _, kind, dims = struct.unpack('>BBBB', data[:4])
    if kind != 0x08:
        raise SystemExit(f'{path}: expected unsigned-byte IDX data, got type 0x{kind:02x}')
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir, name):
    import torch
    images = read_idx(os.path.join(data_dir, f'{name}-images-idx3-ubyte'))
    labels = read_idx(os.path.join(data_dir, f'{name}-labels-idx1-ubyte'))
    x = torch.from_numpy(images.reshape(len(images), -1).astype('float32') / 255.0)
    return x, torch.from_numpy(labels.astype('int64'))


def make_optimizer(name, params, lr, args):
    import torch
    if name == 'adam':
        return torch.optim.Adam(params, lr=lr)
    if name == 'adamw':
        return torch.optim.AdamW(params, lr=lr, weight_decay=args.weight_decay)
    if name == 'sgd':
        return torch.optim.SGD(params, lr=lr, momentum=args.momentum, nesterov=args.momentum > 0)
    raise SystemExit(f'--optimizer {name}: expected adam, adamw or sgd')


def worker(rank, args, port):
    import torch
    import torch.distributed as dist
    import torch.nn as nn
    torch.set_num_threads(args.threads)
    os.environ['MASTER_ADDR'] = '127.0.0.1'
    os.environ['MASTER_PORT'] = str(port)
    dist.init_process_group('gloo', rank=rank, world_size=args.procs)
    torch.manual_seed(args.seed)
    x, y = load(args.data, 'train')
    tx, ty = load(args.data, 't10k')
    layers, width = [], 784
    for h in args.hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, 10))
    model = nn.parallel.DistributedDataParallel(nn.Sequential(*layers))
    opt = make_optimizer(args.optimizer, model.parameters(), args.lr, args)
    warmup = args.warmup_steps
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda t: min(1.0, (t + 1) / warmup) if warmup > 0 else 1.0)
    loss_fn = nn.CrossEntropyLoss()
    # This process's rows: every procs-th row of a per-epoch shuffle, as DistributedSampler does.
    per_rank = args.batch // args.procs + (1 if rank < args.batch % args.procs else 0)
    steps_per_epoch = math.ceil(len(x) / args.batch)
    total_steps = math.ceil(args.epochs * len(x) / args.batch)
    g = torch.Generator().manual_seed(args.seed)
    order, cursor, epoch_of_order = None, 0, -1
    evals, train_s, targets = [], 0.0, {}

    def next_rows():
        nonlocal order, cursor, epoch_of_order
        if order is None or cursor + per_rank > len(order):
            epoch_of_order += 1
            order = torch.randperm(len(x), generator=g)[rank::args.procs]
            cursor = 0
        rows = order[cursor:cursor + per_rank]
        cursor += per_rank
        return rows

    def evaluate():
        model.eval()
        with torch.no_grad():
            acc = (model.module(tx).argmax(1) == ty).float().mean().item()
        model.train()
        return acc

    for step in range(1, total_steps + 1):
        rows = next_rows()
        xb, yb = x[rows], y[rows]
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=False)
        loss_fn(model(xb), yb).backward()
        opt.step()
        sched.step()
        train_s += time.perf_counter() - t0
        if step % steps_per_epoch == 0 or step == total_steps:
            dist.barrier()
            if rank == 0:
                acc = evaluate()
                evals.append([round(step / steps_per_epoch, 4), round(train_s, 3), acc])
                for t in args.target:
                    if acc >= t and t not in targets:
                        targets[t] = round(train_s, 3)
            dist.barrier()

    # Compute alone: gather + forward + backward of this process's share, both processes at
    # once; per step the slower process's time (as sparkprop's slowest task), then the median.
    compute = []
    for i in range(40):
        rows = next_rows()
        dist.barrier()
        t0 = time.perf_counter()
        xb, yb = x[rows], y[rows]
        with model.no_sync():
            opt.zero_grad(set_to_none=False)
            loss_fn(model(xb), yb).backward()
        if i >= 10:
            compute.append(time.perf_counter() - t0)
    slower = torch.tensor(compute, dtype=torch.float64)
    dist.all_reduce(slower, op=dist.ReduceOp.MAX)
    compute = sorted(slower.tolist())
    if rank == 0:
        rows = total_steps * args.batch
        print(json.dumps({
            'system': 'pytorch-ddp', 'torch': torch.__version__, 'procs': args.procs,
            'threads': args.threads, 'hidden': args.hidden, 'optimizer': args.optimizer,
            'batch': args.batch, 'lr': args.lr, 'warmup_steps': warmup, 'steps': total_steps,
            'train_s': round(train_s, 3), 'samples_per_s': round(rows / train_s),
            'step_ms': round(1000 * train_s / total_steps, 3),
            'compute_ms': round(1000 * compute[len(compute) // 2], 3), 'rows_per_process':
            per_rank, 'evals': evals, 'test_accuracy': evals[-1][2],
            'to_target_s': {str(t): targets.get(t) for t in args.target}}), flush=True)
    dist.destroy_process_group()


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', default='data/mnist', help='directory of the four MNIST IDX files')
    p.add_argument('--batch', type=int, default=256, help='global mini-batch')
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--optimizer', default='adam', help='adam | adamw | sgd')
    p.add_argument('--momentum', type=float, default=0.9, help='sgd (Nesterov when > 0)')
    p.add_argument('--weight-decay', type=float, default=1e-2, help='adamw')
    p.add_argument('--warmup-steps', type=int, default=0, help='linear warm-up of the lr')
    p.add_argument('--epochs', type=float, default=5)
    p.add_argument('--hidden', type=int, nargs='+', default=[256])
    p.add_argument('--procs', type=int, default=2)
    p.add_argument('--threads', type=int, default=1, help='torch threads per process')
    p.add_argument('--target', type=float, nargs='*', default=[0.97, 0.98])
    p.add_argument('--seed', type=int, default=42)
    p.add_argument('--port', type=int, default=29517)
    args = p.parse_args()
    try:
        import torch.multiprocessing as mp
    except ImportError:
        print('ddp_mnist: PyTorch is not installed here (pip install torch); no DDP figures',
              file=sys.stderr)
        sys.exit(3)
    for name in ('train-images', 'train-labels', 't10k-images', 't10k-labels'):
        if not os.path.exists(os.path.join(args.data, f'{name}-idx{3 if "images" in name else 1}-ubyte')):
            sys.exit(f'ddp_mnist: {args.data}: no {name} IDX file (bin/sparkprop train --config '
                     'conf/examples/mnist-mlp.conf fetches MNIST into data/mnist)')
    mp.spawn(worker, args=(args, args.port), nprocs=args.procs, join=True)


if __name__ == '__main__':
    main()
