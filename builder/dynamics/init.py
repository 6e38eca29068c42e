"""Weight initialization schemes: naive uniform/normal, Xavier (Glorot) and He."""

from __future__ import annotations

import numpy as np

#: Scheme name -> one-line description (used in figure labels).
INITS: dict[str, str] = {
    "naive_uniform": "U[0, 1]",
    "naive_normal": "N(0, 1)",
    "xavier": "N(0, 1/n_in)",
    "he": "N(0, 2/n_in)",
}


def init_weights(scheme: str, n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """Draw an (n_in, n_out) weight matrix from the named scheme."""
    if scheme == "naive_uniform":
        return rng.uniform(0.0, 1.0, size=(n_in, n_out))
    if scheme == "naive_normal":
        return rng.standard_normal((n_in, n_out))
    if scheme == "xavier":
        return rng.standard_normal((n_in, n_out)) * np.sqrt(1.0 / n_in)
    if scheme == "he":
        return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)
    raise ValueError(f"unknown init {scheme!r}; known: {', '.join(INITS)}")


def weight_variance(scheme: str, n_in: int) -> float:
    """The variance of one weight under the named scheme (U[0,1] has variance 1/12)."""
    table = {"naive_uniform": 1.0 / 12.0, "naive_normal": 1.0, "xavier": 1.0 / n_in, "he": 2.0 / n_in}
    if scheme not in table:
        raise ValueError(f"unknown init {scheme!r}; known: {', '.join(INITS)}")
    return table[scheme]
