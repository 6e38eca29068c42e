"""Two-parameter problems: optimizer paths on 2-D surfaces, and SGD on a 2-parameter linear regression."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .optimizers import make_optimizer


@dataclass(frozen=True)
class Surface:
    """A 2-D loss surface f(x, y) with its gradient, a plotting window and a standard start point."""

    name: str
    f: Callable[[np.ndarray, np.ndarray], np.ndarray]
    grad: Callable[[float, float], tuple[float, float]]
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    start: tuple[float, float]
    minimum: tuple[float, float]
    description: str


SURFACES: dict[str, Surface] = {
    "bowl": Surface(
        "bowl", lambda x, y: 0.5 * (x * x + y * y), lambda x, y: (x, y),
        (-5.0, 5.0), (-5.0, 5.0), (-4.0, 3.0), (0.0, 0.0),
        "f = (x^2 + y^2)/2: the same curvature in every direction"),
    "ravine": Surface(
        "ravine", lambda x, y: 0.5 * (0.05 * x * x + 8.0 * y * y), lambda x, y: (0.05 * x, 8.0 * y),
        (-10.0, 2.0), (-2.0, 2.0), (-9.0, 1.5), (0.0, 0.0),
        "f = (0.05 x^2 + 8 y^2)/2: steep across the valley (y), nearly flat along it (x), 160x apart"),
    "saddle": Surface(
        "saddle", lambda x, y: 0.5 * x * x + 0.25 * y ** 4 - 0.5 * y * y, lambda x, y: (x, y ** 3 - y),
        (-3.0, 3.0), (-2.0, 2.0), (-2.5, 0.001), (0.0, 1.0),
        "f = x^2/2 + y^4/4 - y^2/2: a saddle at (0, 0) between two valleys at y = +-1"),
}


def get_surface(name: str) -> Surface:
    """Look a surface up by name."""
    try:
        return SURFACES[name]
    except KeyError:
        raise ValueError(f"unknown surface {name!r}; known: {', '.join(SURFACES)}") from None


def optimize_path(
    grad: Callable[[float, float], tuple[float, float]], start: tuple[float, float], optimizer: str,
    lr: float | None = None, steps: int = 100, bound: float = 1e3, **kwargs,
) -> np.ndarray:
    """Positions (steps + 1, 2) of an optimizer minimizing f(x, y) from its gradient.

    Stops early (shorter array) once a coordinate leaves [-bound, bound] or becomes non-finite:
    the run diverged.
    """
    opt = make_optimizer(optimizer, lr, **kwargs)
    p = np.array(start, dtype=float)
    path = [p.copy()]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            g = np.array(grad(float(p[0]), float(p[1])), dtype=float)
            opt.step([p], [g])
            path.append(p.copy())
            if not np.all(np.isfinite(p)) or np.any(np.abs(p) > bound):
                break
    return np.array(path)


def surface_path(surface: str, optimizer: str, lr: float | None = None, steps: int = 100,
                 start: tuple[float, float] | None = None) -> np.ndarray:
    """optimize_path on a named surface from its standard start point."""
    s = get_surface(surface)
    return optimize_path(s.grad, s.start if start is None else start, optimizer, lr, steps)


def surface_grid(surface: str, n: int = 60) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs, ys, Z) with Z[i, j] = f(xs[j], ys[i]) over the surface's window, for contour plots."""
    s = get_surface(surface)
    xs = np.linspace(*s.x_range, n)
    ys = np.linspace(*s.y_range, n)
    X, Y = np.meshgrid(xs, ys)
    return xs, ys, s.f(X, Y)


def linreg_loss(w: np.ndarray, b: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mean squared error of y ~ w x + b over the data, for scalar or gridded (w, b)."""
    w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
    # expand the squared residual: mean((w x + b - y)^2) via the data's moments
    sx, sy, sxx, sxy, syy = x.mean(), y.mean(), (x * x).mean(), (x * y).mean(), (y * y).mean()
    return w * w * sxx + b * b + syy + 2 * w * b * sx - 2 * w * sxy - 2 * b * sy


def sgd_linreg_path(
    x: np.ndarray, y: np.ndarray, batch_size: int | None, lr: float, steps: int,
    start: tuple[float, float] = (-1.0, 3.0), rng: np.random.Generator | None = None,
) -> np.ndarray:
    """(w, b) after each of `steps` mini-batch SGD updates on y ~ w x + b; batch_size None = full batch.

    Batches are drawn without replacement, reshuffling at each epoch, as in ordinary mini-batch SGD.
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    n = len(x)
    bs = n if batch_size is None else min(batch_size, n)
    w, b = start
    path = [(w, b)]
    order, pos = rng.permutation(n), 0
    for _ in range(steps):
        if pos + bs > n:
            order, pos = rng.permutation(n), 0
        idx = order[pos:pos + bs]
        pos += bs
        r = w * x[idx] + b - y[idx]
        w, b = w - lr * 2.0 * float(np.mean(r * x[idx])), b - lr * 2.0 * float(np.mean(r))
        path.append((w, b))
    return np.array(path)
