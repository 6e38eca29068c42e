"""Optimizers (SGD, momentum, RMSProp, Adam, AdamW) and gradient clipping.

Each optimizer updates a list of parameter arrays in place from a matching list of gradients.
"""

from __future__ import annotations

import numpy as np

#: lr used by train() when lr=None: a shallow ReLU + He network visibly learns with each.
DEFAULT_TRAIN_LR = {"sgd": 0.1, "momentum": 0.02, "rmsprop": 0.001, "adam": 0.002}


class Optimizer:
    """Base class: step(params, grads) updates params in place."""

    name = "optimizer"

    def __init__(self, lr: float) -> None:
        """Store the learning rate."""
        if not lr > 0:
            raise ValueError("learning rate must be positive")
        self.lr = float(lr)
        self.t = 0
        self.state: dict[int, dict[str, np.ndarray]] = {}

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        """Apply one update to every parameter in place."""
        self.t += 1
        for i, (p, g) in enumerate(zip(params, grads)):
            p -= self.delta(i, np.asarray(g, dtype=float))

    def delta(self, i: int, g: np.ndarray) -> np.ndarray:
        """The amount subtracted from parameter i for gradient g."""
        raise NotImplementedError


class SGD(Optimizer):
    """Plain (stochastic) gradient descent: p -= lr * g."""

    name = "sgd"

    def __init__(self, lr: float = 0.01) -> None:
        """SGD with learning rate lr."""
        super().__init__(lr)

    def delta(self, i: int, g: np.ndarray) -> np.ndarray:
        """lr * g."""
        return self.lr * g


class Momentum(Optimizer):
    """SGD with momentum: v = beta v + g; p -= lr v (an exponential average of past gradients)."""

    name = "momentum"

    def __init__(self, lr: float = 0.01, beta: float = 0.9) -> None:
        """Momentum with learning rate lr and decay beta."""
        super().__init__(lr)
        self.beta = beta

    def delta(self, i: int, g: np.ndarray) -> np.ndarray:
        """lr * velocity."""
        st = self.state.setdefault(i, {"v": np.zeros_like(g)})
        st["v"] = self.beta * st["v"] + g
        return self.lr * st["v"]


class RMSProp(Optimizer):
    """RMSProp: divide each parameter's step by a running RMS of its own gradients."""

    name = "rmsprop"

    def __init__(self, lr: float = 0.001, rho: float = 0.9, eps: float = 1e-8) -> None:
        """RMSProp with learning rate lr, decay rho and stabilizer eps."""
        super().__init__(lr)
        self.rho, self.eps = rho, eps

    def delta(self, i: int, g: np.ndarray) -> np.ndarray:
        """lr * g / (sqrt(s) + eps), s the running mean of g^2."""
        st = self.state.setdefault(i, {"s": np.zeros_like(g)})
        st["s"] = self.rho * st["s"] + (1.0 - self.rho) * g * g
        return self.lr * g / (np.sqrt(st["s"]) + self.eps)


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015): momentum + RMSProp scaling + bias correction."""

    name = "adam"

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        """Adam with the paper's defaults."""
        super().__init__(lr)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps

    def delta(self, i: int, g: np.ndarray) -> np.ndarray:
        """lr * m_hat / (sqrt(v_hat) + eps)."""
        st = self.state.setdefault(i, {"m": np.zeros_like(g), "v": np.zeros_like(g)})
        st["m"] = self.beta1 * st["m"] + (1.0 - self.beta1) * g
        st["v"] = self.beta2 * st["v"] + (1.0 - self.beta2) * g * g
        m_hat = st["m"] / (1.0 - self.beta1 ** self.t)
        v_hat = st["v"] / (1.0 - self.beta2 ** self.t)
        return self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamW(Adam):
    """Adam with decoupled weight decay (AdamW, Loshchilov & Hutter 2019).

    Every step shrinks each decaying parameter by lr * weight_decay * p, applied to the weights directly and
    outside Adam's per-parameter scaling; the gradient itself gets no penalty term. (An L2 penalty under plain
    Adam instead adds weight_decay * p to the gradient, which Adam then divides by sqrt(v_hat) like the rest.)
    mask: one bool per parameter, True for those that decay (MLP.weight_mask(): the weight matrices, not the
    biases); None decays every parameter. Not in OPTIMIZERS (the figures' optimizer lists stay as they are).
    """

    name = "adamw"

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                 weight_decay: float = 0.01, mask: list[bool] | None = None) -> None:
        """AdamW with Adam's defaults and PyTorch's default weight_decay 0.01."""
        super().__init__(lr, beta1, beta2, eps)
        if weight_decay < 0:
            raise ValueError("weight_decay must be non-negative")
        self.weight_decay = float(weight_decay)
        self.mask = None if mask is None else list(mask)

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        """Shrink each decaying parameter by the factor 1 - lr * weight_decay, then take Adam's step."""
        self.t += 1
        if self.mask is not None and len(self.mask) != len(params):
            raise ValueError("mask needs one entry per parameter")
        for i, (p, g) in enumerate(zip(params, grads)):
            step = self.delta(i, np.asarray(g, dtype=float))
            if self.mask is None or self.mask[i]:
                p *= 1.0 - self.lr * self.weight_decay
            p -= step


OPTIMIZERS: dict[str, type[Optimizer]] = {"sgd": SGD, "momentum": Momentum, "rmsprop": RMSProp, "adam": Adam}


def make_optimizer(name: str, lr: float | None = None, **kwargs) -> Optimizer:
    """Optimizer by name; lr=None uses the class default (Adam/RMSProp 0.001, SGD/momentum 0.01)."""
    try:
        cls = OPTIMIZERS[name]
    except KeyError:
        raise ValueError(f"unknown optimizer {name!r}; known: {', '.join(OPTIMIZERS)}") from None
    return cls(**kwargs) if lr is None else cls(lr=lr, **kwargs)


def global_norm(grads: list[np.ndarray]) -> float:
    """L2 norm of all gradients taken together."""
    return float(np.sqrt(sum(float(np.sum(g * g)) for g in grads)))


def clip_by_norm(grads: list[np.ndarray], max_norm: float) -> tuple[list[np.ndarray], float]:
    """Rescale all gradients together so their global norm is at most max_norm; returns (grads, norm before)."""
    norm = global_norm(grads)
    if not np.isfinite(norm) or norm <= max_norm:
        return list(grads), norm
    scale = max_norm / norm
    return [g * scale for g in grads], norm


def clip_by_value(grads: list[np.ndarray], limit: float) -> list[np.ndarray]:
    """Clamp every gradient entry to [-limit, limit] (changes the direction, unlike clip_by_norm)."""
    return [np.clip(g, -limit, limit) for g in grads]
