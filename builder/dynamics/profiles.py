"""The public profile functions: per-layer gradients and activations at initialization, and train()."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .activations import get_activation
from .fused import is_fusable, train_sgd_stack
from .init import INITS
from .losses import mse
from .network import MLP
from .optimizers import DEFAULT_TRAIN_LR, make_optimizer
from .tasks import Task, spirals
from .training import train_steps

#: The fixed task of train(): 2-class spirals, 128 points, built from its own seed (not train's).
TRAIN_TASK_SEED = 20150211
TRAIN_TASK_POINTS = 64


def _check(depth: int, activation: str, init: str, width: int) -> None:
    """Validate the shared arguments."""
    if depth < 1:
        raise ValueError("depth must be at least 1")
    if width < 1:
        raise ValueError("width must be at least 1")
    get_activation(activation)
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; known: {', '.join(INITS)}")


@lru_cache(maxsize=256)
def _profile(depth: int, activation: str, init: str, batchnorm: bool, width: int, batch: int,
             seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One forward/backward pass at initialization: (|dL/dW| per layer, activation variance per layer)."""
    _check(depth, activation, init, width)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, width))
    model = MLP.create([width] * (depth + 1) + [1], activation, init, rng, batchnorm=batchnorm)
    target = rng.standard_normal((batch, 1))
    with np.errstate(all="ignore"):
        out = model.forward(x, train=True)
        _, dout = mse(out, target)
        grads = model.backward(dout)
        gnorm = np.array([np.sqrt(np.sum(g * g)) for g in grads.W[:depth]])
        var = np.array([a.var() for a in model.activations()])
    gnorm.setflags(write=False)
    var.setflags(write=False)
    return gnorm, var


def gradient_profile(depth: int, activation: str, init: str, batchnorm: bool = False, width: int = 64,
                     batch: int = 256, seed: int = 0) -> np.ndarray:
    """L2 norm of dLoss/dW for each layer (index 0 = first layer) at initialization.

    `depth` square dense layers of `width` units (a batch-norm layer before each nonlinearity when
    batchnorm=True), a batch of standard-normal inputs, and an MSE loss against standard-normal
    targets on a linear readout of the last layer (initialized by the same scheme).
    """
    return _profile(depth, activation, init, bool(batchnorm), width, batch, seed)[0].copy()


def activation_profile(depth: int, activation: str, init: str, batchnorm: bool = False, width: int = 64,
                       batch: int = 256, seed: int = 0) -> np.ndarray:
    """Variance (over batch and units) of each hidden layer's activations, post nonlinearity, at init."""
    return _profile(depth, activation, init, bool(batchnorm), width, batch, seed)[1].copy()


@lru_cache(maxsize=1)
def train_task() -> Task:
    """The fixed synthetic task of train(): two interleaved spirals (cross-entropy, chance = ln 2)."""
    return spirals(TRAIN_TASK_POINTS, noise=0.05, turns=1.0, rng=np.random.default_rng(TRAIN_TASK_SEED))


def train(depth: int, activation: str, init: str, batchnorm: bool = False, width: int = 64, steps: int = 200,
          optimizer: str = "sgd", lr: float | None = None, seed: int = 0) -> np.ndarray:
    """Per-step training loss (full batch) of a `depth`-hidden-layer net on the fixed spirals task.

    lr=None uses DEFAULT_TRAIN_LR[optimizer]. A step whose loss overflows ends the run; the rest of
    the array is NaN (the 'loss became NaN' symptom of exploding gradients).
    """
    return train_stack(depth, activation, [init], batchnorm, width, steps, optimizer, lr, seed)[0]


def train_stack(depth: int, activation: str, inits: list[str], batchnorm: bool = False, width: int = 64,
                steps: int = 200, optimizer: str = "sgd", lr: float | None = None, seed: int = 0) -> np.ndarray:
    """train() for several initializations at once, trained side by side as one stack: (len(inits), steps).

    Row k equals train(depth, activation, inits[k], ...): each network is drawn from its own
    default_rng(seed), exactly as train() draws it.
    """
    for init in inits:
        _check(depth, activation, init, width)
    if optimizer not in DEFAULT_TRAIN_LR:
        raise ValueError(f"unknown optimizer {optimizer!r}; known: {', '.join(DEFAULT_TRAIN_LR)}")
    task = train_task()
    sizes = [task.x.shape[1]] + [width] * depth + [task.n_out]
    nets = [MLP.create(sizes, activation, init, np.random.default_rng(seed), batchnorm=batchnorm) for init in inits]
    model = MLP.create_stack(nets)
    lr = DEFAULT_TRAIN_LR[optimizer] if lr is None else lr
    if optimizer == "sgd" and is_fusable(model, task):
        return train_sgd_stack(model, task, lr, steps)
    return train_steps(model, task, make_optimizer(optimizer, lr), steps, batch_size=None)
