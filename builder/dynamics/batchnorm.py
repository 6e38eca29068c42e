"""Batch normalization (Ioffe & Szegedy 2015): forward and backward through the batch statistics."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BN_EPS = 1e-5


@dataclass
class BNCache:
    """What the backward pass needs from one batch-norm forward pass."""

    zhat: np.ndarray
    inv_std: np.ndarray
    gamma: np.ndarray


def batchnorm_forward(
    z: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = BN_EPS
) -> tuple[np.ndarray, BNCache, np.ndarray, np.ndarray]:
    """Normalize z over the batch axis, then scale by gamma and shift by beta.

    Returns (output, cache, batch mean, batch variance).
    """
    mean = z.mean(axis=0)
    var = z.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    zhat = (z - mean) * inv_std
    return gamma * zhat + beta, BNCache(zhat, inv_std, gamma), mean, var


def batchnorm_backward(dout: np.ndarray, cache: BNCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients (dz, dgamma, dbeta), differentiating through the batch mean and variance."""
    zhat, inv_std = cache.zhat, cache.inv_std
    n = dout.shape[0]
    dgamma = (dout * zhat).sum(axis=0)
    dbeta = dout.sum(axis=0)
    dzhat = dout * cache.gamma
    dz = (inv_std / n) * (n * dzhat - dzhat.sum(axis=0) - zhat * (dzhat * zhat).sum(axis=0))
    return dz, dgamma, dbeta


def batchnorm_inference(
    z: np.ndarray, gamma: np.ndarray, beta: np.ndarray, mean: np.ndarray, var: np.ndarray, eps: float = BN_EPS
) -> np.ndarray:
    """Normalize with fixed (running) statistics, as at test time."""
    return gamma * (z - mean) / np.sqrt(var + eps) + beta
