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
    """Normalize z over the batch axis (-2), then scale by gamma and shift by beta.

    z is (batch, units), or (..., batch, units) for a stack of independent networks.
    Returns (output, cache, batch mean, batch variance); mean and variance keep the batch axis.
    """
    n = z.shape[-2]
    mean = np.add.reduce(z, axis=-2, keepdims=True) / n
    zc = z - mean
    var = np.add.reduce(zc * zc, axis=-2, keepdims=True) / n
    inv_std = 1.0 / np.sqrt(var + eps)
    zhat = zc * inv_std
    return gamma * zhat + beta, BNCache(zhat, inv_std, gamma), mean, var


def batchnorm_backward(dout: np.ndarray, cache: BNCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients (dz, dgamma, dbeta), differentiating through the batch mean and variance."""
    zhat, inv_std, gamma = cache.zhat, cache.inv_std, cache.gamma
    n = dout.shape[-2]
    dbeta = np.add.reduce(dout, axis=-2, keepdims=True)
    dgamma = np.add.reduce(dout * zhat, axis=-2, keepdims=True)
    # with dzhat = gamma * dout: dz = inv_std * (dzhat - mean(dzhat) - zhat * mean(dzhat * zhat))
    dz = (dout - (dbeta + zhat * dgamma) / n) * (gamma * inv_std)
    return dz, dgamma.reshape(gamma.shape), dbeta.reshape(gamma.shape)


def batchnorm_inference(
    z: np.ndarray, gamma: np.ndarray, beta: np.ndarray, mean: np.ndarray, var: np.ndarray, eps: float = BN_EPS
) -> np.ndarray:
    """Normalize with fixed (running) statistics, as at test time."""
    return gamma * (z - mean) / np.sqrt(var + eps) + beta
