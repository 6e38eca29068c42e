"""Training loops: per-step training and epoch-based fitting with validation and early stopping."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .losses import get_loss
from .network import MLP, Gradients
from .optimizers import Optimizer, clip_by_norm, clip_by_value, make_optimizer
from .tasks import Task


def loss_and_grads(
    model: MLP, x: np.ndarray, y: np.ndarray, loss: str, rng: np.random.Generator | None = None,
    weight_decay: float = 0.0, train: bool = True,
) -> tuple[float, Gradients]:
    """Forward, loss, backward; L2 weight decay adds wd/2 * sum W^2 (weights only, not biases)."""
    out = model.forward(x, train=train, rng=rng)
    value, dout = get_loss(loss)(out, y)
    grads = model.backward(dout)
    if weight_decay:
        value += 0.5 * weight_decay * sum(np.sum(W * W, axis=(-2, -1)) for W in model.W)
        grads.W = [g + weight_decay * W for g, W in zip(grads.W, model.W)]
    return value, grads


def evaluate(model: MLP, task: Task) -> float:
    """Loss of the model on a whole task in inference mode (no dropout, BN running statistics)."""
    out = model.forward(task.x, train=False)
    return get_loss(task.loss)(out, task.y)[0]


def _clip(grads: list[np.ndarray], clip_norm: float | None, clip_value: float | None) -> list[np.ndarray]:
    """Apply the requested clipping (by value first, then by global norm)."""
    if clip_value is not None:
        grads = clip_by_value(grads, clip_value)
    if clip_norm is not None:
        grads, _ = clip_by_norm(grads, clip_norm)
    return grads


def train_steps(
    model: MLP, task: Task, optimizer: Optimizer, steps: int, batch_size: int | None = None,
    rng: np.random.Generator | None = None, clip_norm: float | None = None, clip_value: float | None = None,
    weight_decay: float = 0.0,
) -> np.ndarray:
    """Run `steps` updates; returns each step's batch loss before its update (NaN once it overflows).

    For a stacked model (K networks) the result is (K, steps); the networks share the batches.
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    n = task.x.shape[0]
    k = model.W[0].shape[:-2]
    losses = np.full((*k, steps), np.nan)
    alive = np.ones(k, dtype=bool)
    params = model.parameters()
    with np.errstate(all="ignore"):
        for s in range(steps):
            if batch_size is None or batch_size >= n:
                xb, yb = task.x, task.y
            else:
                idx = rng.choice(n, size=batch_size, replace=False)
                xb, yb = task.x[idx], task.y[idx]
            value, grads = loss_and_grads(model, xb, yb, task.loss, rng, weight_decay)
            alive = alive & np.isfinite(value)
            if not alive.any():
                break
            losses[..., s] = np.where(alive, value, np.nan)
            optimizer.step(params, _clip(grads.flat(), clip_norm, clip_value))
    return losses


@dataclass
class History:
    """Per-epoch losses of fit(); best_epoch / stopped_epoch are 1-based epoch numbers."""

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_epoch: int | None = None


def fit(
    model: MLP, train: Task, val: Task | None = None, optimizer: str | Optimizer = "sgd", lr: float | None = None,
    epochs: int = 100, batch_size: int | None = None, weight_decay: float = 0.0, patience: int | None = None,
    clip_norm: float | None = None, clip_value: float | None = None, rng: np.random.Generator | None = None,
    restore_best: bool = True,
) -> History:
    """Mini-batch training by epochs; with val and patience, stop after `patience` epochs without improvement."""
    rng = rng if rng is not None else np.random.default_rng(0)
    opt = optimizer if isinstance(optimizer, Optimizer) else make_optimizer(optimizer, lr)
    params = model.parameters()
    n = train.x.shape[0]
    bs = n if batch_size is None else min(batch_size, n)
    hist = History()
    best, best_state, waited = np.inf, None, 0
    with np.errstate(all="ignore"):
        for epoch in range(1, epochs + 1):
            order = rng.permutation(n)
            for start in range(0, n, bs):
                idx = order[start:start + bs]
                _, grads = loss_and_grads(model, train.x[idx], train.y[idx], train.loss, rng, weight_decay)
                opt.step(params, _clip(grads.flat(), clip_norm, clip_value))
            hist.train_loss.append(evaluate(model, train))
            if val is None:
                continue
            v = evaluate(model, val)
            hist.val_loss.append(v)
            if v < best:
                best, waited, hist.best_epoch = v, 0, epoch
                best_state = [p.copy() for p in params]
            else:
                waited += 1
            if patience is not None and waited >= patience:
                hist.stopped_epoch = epoch
                break
    if restore_best and patience is not None and best_state is not None:
        for p, saved in zip(params, best_state):
            p[...] = saved
    return hist
