"""Full-batch SGD of a stack of networks with each layer's forward, backward and update fused: train_stack()'s fast
path (the training-dynamics explorer trains its 456 networks with it).

The arithmetic is MLP.forward, MLP.backward and SGD.step's, operation for operation and in the same order, so the
losses are the same numbers to the last bit. That matters: some of these runs are chaotic (SGD at the edge of
stability), and summing a bias gradient in another order changed one explorer curve's final loss twentyfold.

What is left out is the bookkeeping a general training loop needs and a stack of full-batch SGD runs does not:
per-layer cache objects, gradient lists, the optimizer's per-parameter calls, batch norm's running statistics (only
inference reads them), a fresh array for most intermediates (the work is done in place), the input gradient of the
first layer, and the networks whose loss has overflowed (dropped from the stack at the next step: their losses are
NaN from then on whatever they compute). And the layout is chosen for speed without changing a sum: a hidden
layer's values are stored batch-major, (batch, network, unit), so the sums over the batch and the per-unit batch
norm factors run along long rows (the same additions in the same order, in half the time), and each weight matrix
is kept transposed as well, because numpy multiplies by a contiguous matrix faster than by a transposed view.
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
    W = [w.copy() for w in model.W]  # (network, in, out)
    W_t = [np.ascontiguousarray(w.swapaxes(-1, -2)) for w in W]  # (network, out, in): for the gradient below
    # biases, gammas and betas (1, network, units): the batch-major shape of a layer's values
    b = [None if v is None else np.ascontiguousarray(v.swapaxes(0, 1)) for v in model.b]
    gamma = [np.ascontiguousarray(v.swapaxes(0, 1)) for v in model.gamma]
    beta = [np.ascontiguousarray(v.swapaxes(0, 1)) for v in model.beta]
    act, bn, eps = model.activation.name, model.batchnorm, model.bn_eps
    x, labels = np.asarray(task.x, dtype=float), task.y
    n, last = x.shape[0], len(W) - 1
    x_t = x.T
    losses = np.full((k, steps), np.nan)
    rows = np.arange(k)  # which network of the stack each row still is
    with np.errstate(all="ignore"):
        for s in range(steps):
            kk = len(rows)
            outs, norms = [], []  # per hidden layer: its activation; with batch norm (zhat, inv_std)
            a = x
            for i in range(last):
                z = _product(a, W[i], n, kk)
                if bn:
                    z = _batchnorm(z, gamma[i], beta[i], eps, n, norms)
                else:
                    z += b[i]
                _activate(act, z)
                outs.append(z)
                a = z.transpose(1, 0, 2)
            logits = _product(a, W[last], n, kk)
            logits += b[last]
            value, g = softmax_cross_entropy(np.ascontiguousarray(logits.transpose(1, 0, 2)), labels)
            ok = np.isfinite(value)
            losses[rows[ok], s] = value[ok]
            if not ok.any():
                break
            # Backward and update, top layer first; W[i] is updated once the gradient below it has used it.
            b[last] -= lr * np.add.reduce(g, axis=-2, keepdims=True).transpose(1, 0, 2)
            for i in range(last, -1, -1):
                if i < last:  # g: batch-major (batch, network, unit), like the layer's values
                    g *= _derivative(act, outs[i])
                    if bn:
                        g, dgamma, dbeta = _batchnorm_backward(g, gamma[i], *norms[i], n)
                        gamma[i] -= lr * dgamma
                        beta[i] -= lr * dbeta
                    else:
                        b[i] -= lr * np.add.reduce(g, axis=0, keepdims=True)
                    g = g.transpose(1, 0, 2)
                a_t = outs[i - 1].transpose(1, 2, 0) if i else np.broadcast_to(x_t, (kk, *x_t.shape))
                dW = a_t @ g
                if i:
                    g = _product(g, W_t[i], n, kk)
                W[i] -= lr * dW
                if i:
                    np.copyto(W_t[i], W[i].swapaxes(-1, -2))
            if not ok.all():
                rows = rows[ok]
                W, W_t = [w[ok] for w in W], [w[ok] for w in W_t]
                gamma, beta = [v[:, ok] for v in gamma], [v[:, ok] for v in beta]
                b = [None if v is None else v[:, ok] for v in b]
    return losses


def _product(a: np.ndarray, w: np.ndarray, n: int, k: int) -> np.ndarray:
    """a @ w per network ((batch, in) shared or (network, batch, in), times (network, in, out)), batch-major."""
    out = np.empty((n, k, w.shape[-1]))
    np.matmul(a, w, out=out.transpose(1, 0, 2))
    return out


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
    """batchnorm_forward's steps on batch-major z, which becomes zhat in place; appends (zhat, inv_std) to norms."""
    mean = np.add.reduce(z, axis=0, keepdims=True) / n
    z -= mean
    var = np.add.reduce(z * z, axis=0, keepdims=True) / n
    inv_std = 1.0 / np.sqrt(var + eps)
    z *= inv_std
    norms.append((z, inv_std))
    u = gamma * z
    u += beta
    return u


def _batchnorm_backward(g: np.ndarray, gamma: np.ndarray, zhat: np.ndarray, inv_std: np.ndarray,
                        n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """batchnorm_backward's steps on batch-major g: (dz, dgamma, dbeta), dz in a new array."""
    dbeta = np.add.reduce(g, axis=0, keepdims=True)
    dgamma = np.add.reduce(g * zhat, axis=0, keepdims=True)
    t = zhat * dgamma
    t += dbeta
    t /= n
    np.subtract(g, t, out=t)
    t *= gamma * inv_std
    return t, dgamma, dbeta
