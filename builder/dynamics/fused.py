"""Full-batch SGD of a stack of networks with each layer's forward, backward and update fused: train_stack()'s fast
path (the training-dynamics explorer trains its 456 networks with it).

The arithmetic is MLP.forward, MLP.backward and SGD.step's, operation for operation and in the same order, so the
losses are the same numbers; what is left out is the bookkeeping a general training loop needs and a stack of
full-batch SGD runs does not: per-layer cache objects, gradient lists, the optimizer's per-parameter calls, batch
norm's running statistics (only inference reads them), a fresh array for every intermediate (the work is done in
place), the input gradient of the first layer, and the networks whose loss has overflowed (dropped from the stack
at the next step: their losses are NaN from then on whatever they compute).
"""

from __future__ import annotations

import numpy as np

from .losses import softmax_cross_entropy
from .network import MLP
from .tasks import Task

FUSED_ACTIVATIONS = ("sigmoid", "tanh", "relu")
"""Hidden activations with an in-place forward and a derivative from the output alone."""


def is_fusable(model: MLP, task: Task) -> bool:
    """Whether train_sgd_stack() can train this model on this task (else use train_steps())."""
    return (model.W[0].ndim == 3 and model.activation.name in FUSED_ACTIVATIONS and model.dropout == 0.0
            and model.output_activation.name == "identity" and task.loss == "cross_entropy")


def train_sgd_stack(model: MLP, task: Task, lr: float, steps: int) -> np.ndarray:
    """Each step's loss (K, steps) of full-batch SGD on a stacked model, as train_steps() gives it.

    Trains copies of the model's parameters (the model itself is left as it was).
    """
    if not is_fusable(model, task):
        raise ValueError("train_sgd_stack() needs a stack, a sigmoid, tanh or relu hidden activation, no dropout, "
                         "a linear readout and a cross-entropy task")
    k = model.W[0].shape[0]
    W = [w.copy() for w in model.W]
    b = [None if v is None else v.copy() for v in model.b]
    gamma = [g.copy() for g in model.gamma]
    beta = [v.copy() for v in model.beta]
    act, bn, eps = model.activation.name, model.batchnorm, model.bn_eps
    x, labels = np.asarray(task.x, dtype=float), task.y
    n, last = x.shape[0], len(W) - 1
    x_t = x.T
    losses = np.full((k, steps), np.nan)
    rows = np.arange(k)  # which network of the stack each row still is
    with np.errstate(all="ignore"):
        for s in range(steps):
            outs, norms = [], []  # per hidden layer: its activation; with batch norm (zhat, inv_std)
            a = x
            for i in range(last):
                z = a @ W[i]
                if bn:
                    u = _batchnorm(z, gamma[i], beta[i], eps, n, norms)
                else:
                    z += b[i]
                    u = z
                _activate(act, u)
                outs.append(u)
                a = u
            logits = a @ W[last]
            logits += b[last]
            value, g = softmax_cross_entropy(logits, labels)
            ok = np.isfinite(value)
            losses[rows[ok], s] = value[ok]
            if not ok.any():
                break
            # Backward and update, top layer first; W[i] is updated once the gradient below it has used it.
            for i in range(last, -1, -1):
                if i < last:
                    g *= _derivative(act, outs[i])
                    if bn:
                        g, dgamma, dbeta = _batchnorm_backward(g, gamma[i], *norms[i], n)
                        gamma[i] -= lr * dgamma
                        beta[i] -= lr * dbeta
                a_t = outs[i - 1].swapaxes(-1, -2) if i else np.broadcast_to(x_t, (len(rows), *x_t.shape))
                dW = a_t @ g
                if b[i] is not None:
                    b[i] -= lr * np.add.reduce(g, axis=-2, keepdims=True)
                if i:
                    g = g @ W[i].swapaxes(-1, -2)
                W[i] -= lr * dW
            if not ok.all():
                rows = rows[ok]
                W, gamma, beta = [w[ok] for w in W], [v[ok] for v in gamma], [v[ok] for v in beta]
                b = [None if v is None else v[ok] for v in b]
    return losses


def _activate(name: str, u: np.ndarray) -> None:
    """The activation, in place (sigmoid as 0.5 (1 + tanh(z / 2)), the same steps as activations.sigmoid)."""
    if name == "sigmoid":
        u *= 0.5
        np.tanh(u, out=u)
        u += 1.0
        u *= 0.5
    elif name == "tanh":
        np.tanh(u, out=u)
    else:
        np.maximum(u, 0.0, out=u)


def _derivative(name: str, out: np.ndarray) -> np.ndarray:
    """The activation's derivative from its output (relu: out > 0 is z > 0, NaN included)."""
    if name == "sigmoid":
        d = 1.0 - out
        d *= out
        return d
    if name == "tanh":
        d = out * out
        return np.subtract(1.0, d, out=d)
    return out > 0


def _batchnorm(z: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float, n: int, norms: list) -> np.ndarray:
    """batchnorm_forward's steps, in place on z (which becomes zhat); appends (zhat, inv_std) to norms."""
    mean = np.add.reduce(z, axis=-2, keepdims=True) / n
    z -= mean
    var = np.add.reduce(z * z, axis=-2, keepdims=True) / n
    inv_std = 1.0 / np.sqrt(var + eps)
    z *= inv_std
    norms.append((z, inv_std))
    u = gamma * z
    u += beta
    return u


def _batchnorm_backward(g: np.ndarray, gamma: np.ndarray, zhat: np.ndarray, inv_std: np.ndarray,
                        n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """batchnorm_backward's steps: (dz, dgamma, dbeta), dz in a new array."""
    dbeta = np.add.reduce(g, axis=-2, keepdims=True)
    dgamma = np.add.reduce(g * zhat, axis=-2, keepdims=True)
    t = zhat * dgamma
    t += dbeta
    t /= n
    np.subtract(g, t, out=t)
    t *= gamma * inv_std
    return t, dgamma, dbeta
