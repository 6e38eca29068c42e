"""Activation functions and their derivatives (as functions of the pre-activation z)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

LEAKY_SLOPE = 0.01


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic sigmoid 1 / (1 + e^-z), computed without overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_grad(z: np.ndarray) -> np.ndarray:
    """Derivative of the sigmoid: s(z) * (1 - s(z)), at most 0.25 (at z = 0)."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent."""
    return np.tanh(z)


def tanh_grad(z: np.ndarray) -> np.ndarray:
    """Derivative of tanh: 1 - tanh(z)^2, at most 1 (at z = 0)."""
    t = np.tanh(z)
    return 1.0 - t * t


def relu(z: np.ndarray) -> np.ndarray:
    """Rectified linear unit max(0, z)."""
    return np.maximum(z, 0.0)


def relu_grad(z: np.ndarray) -> np.ndarray:
    """Derivative of ReLU: 1 where z > 0, else 0."""
    return (z > 0).astype(float)


def leaky_relu(z: np.ndarray) -> np.ndarray:
    """Leaky ReLU: z for z > 0, 0.01 z otherwise."""
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def leaky_relu_grad(z: np.ndarray) -> np.ndarray:
    """Derivative of leaky ReLU: 1 where z > 0, else 0.01."""
    return np.where(z > 0, 1.0, LEAKY_SLOPE)


def identity(z: np.ndarray) -> np.ndarray:
    """Identity (a linear layer with no nonlinearity)."""
    return z


def identity_grad(z: np.ndarray) -> np.ndarray:
    """Derivative of the identity: 1 everywhere."""
    return np.ones_like(z, dtype=float)


@dataclass(frozen=True)
class Activation:
    """A named activation function with its derivative."""

    name: str
    fn: Callable[[np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray], np.ndarray]
    #: derivative from (z, fn(z)); cheaper when the output is at hand
    grad_zo: Callable[[np.ndarray, np.ndarray], np.ndarray]


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_grad, lambda z, o: o * (1.0 - o)),
    "tanh": Activation("tanh", tanh, tanh_grad, lambda z, o: 1.0 - o * o),
    "relu": Activation("relu", relu, relu_grad, lambda z, o: z > 0),
    "leaky_relu": Activation("leaky_relu", leaky_relu, leaky_relu_grad, lambda z, o: leaky_relu_grad(z)),
    "identity": Activation("identity", identity, identity_grad, lambda z, o: 1.0),
}

#: The hidden-layer activations a lesson or figure may ask for.
HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")


def get_activation(name: str) -> Activation:
    """Look an activation up by name; ValueError lists the known names."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; known: {', '.join(ACTIVATIONS)}") from None
