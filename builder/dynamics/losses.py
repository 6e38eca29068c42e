"""Losses, each returning (scalar loss, gradient with respect to the network output)."""

from __future__ import annotations

import numpy as np


def mse(y: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error 1/N sum (y - t)^2 over all N entries, and its gradient (per network if stacked)."""
    diff = y - np.asarray(target).reshape(y.shape[-2:])
    n = y.shape[-2] * y.shape[-1]
    per_model = np.add.reduce((diff * diff).reshape(*diff.shape[:-2], -1), axis=-1) / n
    value = float(per_model) if diff.ndim == 2 else per_model
    return value, 2.0 * diff / n


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, shifted by the row maximum for stability."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of integer labels under softmax(logits), and its gradient.

    logits (batch, classes) gives a float; (..., batch, classes), a stack of networks sharing the
    labels, gives one loss per network.
    """
    n = logits.shape[-2]
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    onehot = np.zeros(logits.shape[-2:])
    onehot[np.arange(n), np.asarray(labels).astype(int)] = 1.0
    per_model = -np.add.reduce((log_probs * onehot).sum(axis=-1), axis=-1) / n
    value = float(per_model) if logits.ndim == 2 else per_model
    return value, (np.exp(log_probs) - onehot) / n


LOSSES = {"mse": mse, "cross_entropy": softmax_cross_entropy}


def get_loss(name: str):
    """Look a loss up by name ('mse' or 'cross_entropy')."""
    try:
        return LOSSES[name]
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; known: {', '.join(LOSSES)}") from None
