#!/usr/bin/env python3
"""Time to accuracy on MNIST, sparkprop and PyTorch DDP side by side, over one grid.

For every global batch and learning rate of the grid, one `bin/sparkprop train` run (its own
JVM, as a user runs it) and one `examples/ddp/ddp_mnist.py` run (2 processes x 1 thread over
gloo, when PyTorch is installed; otherwise its column is skipped with a message). Both train the
same MLP with the same optimizer on the same data, evaluate the test set after every epoch, and
count training seconds only (start-up, data loading and evaluation excluded on both sides).

Printed per run: samples/s, step time, the compute of one process's (task's) share of a batch,
the training seconds to each target accuracy (epoch granularity) and the final accuracy; then
each system's fastest way to each target. Compute is the slower process's (task's) gather,
forward and backward of a step, both computing at once. sparkprop: "compute ms" is the mean over
the whole run, "p50" the median over the last third of the run of its 5-step means, in training
(a 5-step mean is no lower than a median of single steps when stragglers exist). DDP: both
columns are the median over 30 steps after training under no_sync (its all-reduce taken out;
DDP's backward cannot be timed apart from it in training). Runs go to runs/sweep-<time>/
(metrics.jsonl per sparkprop run, ddp.jsonl).

  examples/ddp/sweep.py                                    # W1: 784-256-10, Adam, the full grid
  examples/ddp/sweep.py --batches 1024 4096 --lrs 0.002 0.004 --epochs 1024=8 4096=16
  examples/ddp/sweep.py --hidden 512 256 --target 0.98     # the two-layer MLP
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_EPOCHS = {256: 6, 1024: 8, 2048: 12, 4096: 16}


def epochs_for(batch, overrides):
    if batch in overrides:
        return overrides[batch]
    known = sorted(DEFAULT_EPOCHS)
    return DEFAULT_EPOCHS[min(known, key=lambda b: abs(b - batch))]


def first_at(evals, target):
    for epoch, seconds, acc in evals:
        if acc >= target:
            return seconds
    return None


def run_sparkprop(args, batch, lr, epochs, out_dir):
    run_dir = os.path.join(out_dir, f'sparkprop-b{batch}-lr{lr:g}')
    sets = [f'train.batch_size={batch}', f'optimizer.name={args.optimizer}',
            f'optimizer.lr={lr}', f'train.epochs={epochs}', 'train.log_every=5',
            f'model.hidden=[{",".join(map(str, args.hidden))}]',
            f'lr_schedule.warmup_steps={args.warmup_steps}'] + args.set
    cmd = [os.path.join(ROOT, 'bin', 'sparkprop'), 'train', '--config', args.config,
           '--run-dir', run_dir, '--progress', 'lines']
    for s in sets:
        cmd += ['--set', s]
    log = open(run_dir + '.log', 'w')
    rc = subprocess.call(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    if rc != 0:
        return {'error': f'exit {rc}, see {run_dir}.log'}
    train, evals = [], []
    with open(os.path.join(run_dir, 'metrics.jsonl')) as f:
        for line in f:
            r = json.loads(line)
            if r.get('type') == 'eval':
                evals.append([r['epoch'], r['train_s'], r['test_accuracy']])
            elif 'compute_ms' in r:
                train.append(r)
    with open(os.path.join(run_dir, 'summary.json')) as f:
        summary = json.load(f)
    # a line per log_every (5) steps, its compute_ms the mean of their slower task's: the
    # median of the windows in the last third (per-step lines would add a wait for Spark's
    # listener bus after every step, outside the timed step)
    steps = summary['steps']
    late = sorted(r['compute_ms'] for r in train if r['step'] > steps * 2 / 3)
    return {'samples_per_s': summary['samples_per_s'], 'step_ms': summary['ms_per_step'],
            'compute_ms': summary['ms_slowest_compute_per_step'],
            'late_compute_ms': late[len(late) // 2] if late else None,
            'evals': evals, 'test_accuracy': summary.get('test_accuracy')}


def run_ddp(args, batch, lr, epochs, out_dir):
    cmd = [sys.executable, os.path.join(ROOT, 'examples', 'ddp', 'ddp_mnist.py'),
           '--data', args.data, '--batch', str(batch), '--lr', str(lr), '--epochs', str(epochs),
           '--optimizer', args.optimizer if args.optimizer in ('adam', 'adamw') else 'adam',
           '--warmup-steps', str(args.warmup_steps), '--hidden', *map(str, args.hidden),
           '--target', *map(str, args.target)]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        return {'error': (p.stderr.strip().splitlines() or [f'exit {p.returncode}'])[-1]}
    r = json.loads(p.stdout.strip().splitlines()[-1])
    with open(os.path.join(out_dir, 'ddp.jsonl'), 'a') as f:
        f.write(json.dumps(r) + '\n')
    return r


def fmt(v, spec):
    return '-' if v is None else format(v, spec)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--config', default='conf/examples/mnist-mlp.conf')
    p.add_argument('--data', default='data/mnist')
    p.add_argument('--hidden', type=int, nargs='+', default=[256])
    p.add_argument('--optimizer', default='adam',
                   help="sparkprop's optimizer (DDP runs Adam unless this is adamw)")
    p.add_argument('--batches', type=int, nargs='+', default=[256, 1024, 2048, 4096])
    p.add_argument('--lrs', type=float, nargs='+', default=[0.001, 0.002, 0.004, 0.008])
    p.add_argument('--epochs', nargs='*', default=[], metavar='BATCH=EPOCHS',
                   help='epochs per batch (default 256=6 1024=8 2048=12 4096=16)')
    p.add_argument('--warmup-steps', type=int, default=0)
    p.add_argument('--target', type=float, nargs='+', default=[0.97])
    p.add_argument('--set', action='append', default=[], help='more sparkprop --set KEY=VALUE')
    p.add_argument('--systems', nargs='+', default=['sparkprop', 'ddp'])
    args = p.parse_args()
    overrides = {int(k): float(v) for k, v in (e.split('=') for e in args.epochs)}
    out_dir = os.path.join(ROOT, 'runs', 'sweep-' + time.strftime('%Y%m%d-%H%M%S'))
    os.makedirs(out_dir)
    systems = list(args.systems)
    if 'ddp' in systems:
        try:
            import torch  # noqa: F401
        except ImportError:
            print('sweep: PyTorch is not installed here: the DDP column is skipped', flush=True)
            systems.remove('ddp')
    targets = ' '.join(f'to {t:.0%}' for t in args.target)
    print(f'{"system":10} {"batch":>5} {"lr":>7} {"epochs":>6} {"samples/s":>10} {"step ms":>8} '
          f'{"compute ms":>10} {"p50":>6}  {targets}  final', flush=True)
    results = []
    for batch in args.batches:
        epochs = epochs_for(batch, overrides)
        for lr in args.lrs:
            for system in systems:
                run = run_sparkprop if system == 'sparkprop' else run_ddp
                r = run(args, batch, lr, epochs, out_dir)
                if 'error' in r:
                    print(f'{system:10} {batch:5} {lr:7g} {epochs:6g}  failed: {r["error"]}',
                          flush=True)
                    continue
                r.update(system=system, batch=batch, lr=lr, epochs=epochs)
                r['to'] = {t: first_at(r['evals'], t) for t in args.target}
                results.append(r)
                to = '  '.join(fmt(r['to'][t], '6.1f') for t in args.target)
                print(f'{system:10} {batch:5} {lr:7g} {epochs:6g} {r["samples_per_s"]:10,.0f} '
                      f'{r["step_ms"]:8.2f} {r["compute_ms"]:10.2f} '
                      f'{fmt(r.get("late_compute_ms", r["compute_ms"]), "6.2f")}  {to}  '
                      f'{100 * r["test_accuracy"]:.2f}%', flush=True)
    print()
    for t in args.target:
        for system in systems:
            reached = [r for r in results if r['system'] == system and r['to'][t] is not None]
            if not reached:
                print(f'{system}: {t:.0%} not reached on this grid')
                continue
            best = min(reached, key=lambda r: r['to'][t])
            print(f'{system}: fastest to {t:.0%}: {best["to"][t]:.1f} s '
                  f'(batch {best["batch"]}, lr {best["lr"]:g}, {best["samples_per_s"]:,.0f} '
                  f'samples/s)')
    with open(os.path.join(out_dir, 'results.json'), 'w') as f:
        json.dump(results, f, indent=1, default=str)
    print(f'runs and results.json in {out_dir}')


if __name__ == '__main__':
    main()
