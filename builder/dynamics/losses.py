"""Losses, each returning (scalar loss, gradient with respect to the network output)."""

from __future__ import annotations

import numpy as np


def mse(y: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error 1/N sum (y - t)^2 over all entries, and its gradient."""
    diff = y - target.reshape(y.shape)
    n = diff.size
    return float(np.sum(diff * diff) / n), 2.0 * diff / n


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, shifted by the row maximum for stability."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of integer labels under softmax(logits), and its gradient."""
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    labels = labels.astype(int)
    loss = -float(log_probs[np.arange(n), labels].mean())
    grad = np.exp(log_probs)
    grad[np.arange(n), labels] -= 1.0
    return loss, grad / n


LOSSES = {"mse": mse, "cross_entropy": softmax_cross_entropy}


def get_loss(name: str):
    """Look a loss up by name ('mse' or 'cross_entropy')."""
    try:
        return LOSSES[name]
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; known: {', '.join(LOSSES)}") from None
