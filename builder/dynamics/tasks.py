"""Small synthetic tasks: spirals, 3x3 line images, teacher-network regression, 1-D linear regression."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Task:
    """A dataset: inputs x (n, d), targets y ((n,) int labels or (n, k) floats) and its loss name."""

    name: str
    x: np.ndarray
    y: np.ndarray
    loss: str  # "cross_entropy" or "mse"
    n_out: int

    def subset(self, idx: np.ndarray) -> "Task":
        """The same task restricted to rows idx."""
        return Task(self.name, self.x[idx], self.y[idx], self.loss, self.n_out)


def spirals(n: int = 200, noise: float = 0.1, turns: float = 1.5, rng: np.random.Generator | None = None) -> Task:
    """Two interleaved spirals in the plane, n points, labels 0/1, inputs roughly unit scale."""
    rng = rng if rng is not None else np.random.default_rng(0)
    half = n // 2
    t = np.sqrt(rng.uniform(0.0, 1.0, size=n)) * turns * 2.0 * np.pi
    labels = np.r_[np.zeros(half, dtype=int), np.ones(n - half, dtype=int)]
    angle = t + np.pi * labels
    r = t / (turns * 2.0 * np.pi) * 2.0
    x = np.c_[r * np.cos(angle), r * np.sin(angle)] + rng.normal(0.0, noise, size=(n, 2))
    return Task("spirals", x, labels, "cross_entropy", 2)


def line_images(n: int = 100, noise: float = 0.0, rng: np.random.Generator | None = None) -> Task:
    """3x3 images of one vertical (label 1) or horizontal (label 0) line, flattened to 9 pixels.

    As in the "Growing Pains" notebook: the first half vertical (random column), the second half
    horizontal (random row), Gaussian pixel noise clipped to [0, 1], then shuffled.
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    xs, ys = [], []
    for i in range(n):
        img = np.zeros((3, 3))
        vertical = i < n // 2
        k = rng.integers(0, 3)
        if vertical:
            img[:, k] = 1.0
        else:
            img[k, :] = 1.0
        if noise > 0:
            img = np.clip(img + rng.standard_normal((3, 3)) * noise, 0.0, 1.0)
        xs.append(img.reshape(-1))
        ys.append(1 if vertical else 0)
    order = rng.permutation(n)
    return Task("line_images", np.array(xs)[order], np.array(ys, dtype=int)[order], "cross_entropy", 2)


def teacher_regression(
    n: int = 256, d: int = 8, hidden: int = 16, noise: float = 0.0, rng: np.random.Generator | None = None
) -> Task:
    """Targets from a random 1-hidden-layer tanh 'teacher' network, scaled to unit variance, plus noise."""
    rng = rng if rng is not None else np.random.default_rng(0)
    x = rng.standard_normal((n, d))
    w1 = rng.standard_normal((d, hidden)) / np.sqrt(d)
    w2 = rng.standard_normal((hidden, 1)) / np.sqrt(hidden)
    y = np.tanh(2.0 * x @ w1) @ w2
    y = (y - y.mean()) / y.std()
    y = y + noise * rng.standard_normal(y.shape)
    return Task("teacher", x, y, "mse", 1)


def noisy_curve(n: int = 20, noise: float = 0.3, rng: np.random.Generator | None = None) -> Task:
    """1-D regression y = sin(2.5 x) + noise on x in [-1.5, 1.5]: few points, easy to overfit."""
    rng = rng if rng is not None else np.random.default_rng(0)
    x = rng.uniform(-1.5, 1.5, size=(n, 1))
    y = np.sin(2.5 * x) + noise * rng.standard_normal((n, 1))
    return Task("noisy_curve", x, y, "mse", 1)


def linear_data(
    n: int = 256, w: float = 2.0, b: float = -1.0, noise: float = 0.5, rng: np.random.Generator | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Points (x, y) with y = w x + b + noise, x standard normal (for the 2-parameter regression)."""
    rng = rng if rng is not None else np.random.default_rng(0)
    x = rng.standard_normal(n)
    return x, w * x + b + noise * rng.standard_normal(n)
