"""A dense multi-layer perceptron with an explicit forward pass (cached) and backward pass.

Layout: hidden layers ``z = a W + b`` -> [batch norm] -> activation -> [dropout], then a linear
readout (optionally followed by ``output_activation``). Weights are (n_in, n_out) matrices, so a
batch is a (batch, features) array.

Stacks: MLP.create_stack() builds K independent networks of one shape whose weights are
(K, n_in, n_out) arrays (biases, gammas, betas (K, 1, n)); inputs are then (batch, features)
(shared) or (K, batch, features), and every operation acts on each network separately. The
explorer grid trains the four initializations of a configuration together this way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .activations import get_activation
from .batchnorm import BN_EPS, BNCache, batchnorm_backward, batchnorm_forward, batchnorm_inference
from .init import init_weights


@dataclass
class LayerCache:
    """Intermediate values of one layer from the last forward pass."""

    a_in: np.ndarray  # the layer's input
    z: np.ndarray  # a_in @ W + b
    u: np.ndarray  # after batch norm (z itself without it)
    out: np.ndarray  # activation(u), before dropout
    bn: BNCache | None = None
    mask: np.ndarray | None = None  # inverted-dropout mask (already divided by keep prob)


@dataclass
class Gradients:
    """Gradients of the loss for every parameter, plus the input; index 0 = first layer."""

    W: list[np.ndarray]
    b: list[np.ndarray | None]
    gamma: list[np.ndarray] = field(default_factory=list)
    beta: list[np.ndarray] = field(default_factory=list)
    x: np.ndarray | None = None
    #: dLoss/dz for each layer (the "error signal" arriving at each layer)
    delta: list[np.ndarray] = field(default_factory=list)

    def flat(self) -> list[np.ndarray]:
        """All parameter gradients in MLP.parameters() order."""
        out = list(self.W) + [g for g in self.b if g is not None]
        return out + list(self.gamma) + list(self.beta)


class MLP:
    """Dense network with explicit weights; forward() caches, backward() returns all gradients."""

    def __init__(
        self,
        weights: list[np.ndarray],
        biases: list[np.ndarray | None] | None = None,
        activation: str = "relu",
        output_activation: str = "identity",
        batchnorm: bool = False,
        gammas: list[np.ndarray] | None = None,
        betas: list[np.ndarray] | None = None,
        dropout: float = 0.0,
        bn_eps: float = BN_EPS,
    ) -> None:
        """Build from weight matrices (n_in, n_out), last one the readout; biases may be None."""
        self.W = [np.array(w, dtype=float, ndmin=2) for w in weights]
        lead = self.W[0].shape[:-2]  # () for one network, (K,) for a stack
        shape = lambda n: (*lead, 1, n) if lead else (n,)  # noqa: E731
        if biases is None:
            biases = [np.zeros(shape(w.shape[-1])) for w in self.W]
        self.b = [None if b is None else np.array(b, dtype=float).reshape(shape(w.shape[-1]))
                  for b, w in zip(biases, self.W)]
        if len(self.b) != len(self.W):
            raise ValueError("need one bias (or None) per weight matrix")
        self.activation = get_activation(activation)
        self.output_activation = get_activation(output_activation)
        self.batchnorm = batchnorm
        n_hidden = len(self.W) - 1
        if batchnorm:
            self.gamma = [np.array(g, dtype=float).reshape(shape(w.shape[-1])) for g, w in zip(gammas, self.W)] \
                if gammas else [np.ones(shape(w.shape[-1])) for w in self.W[:-1]]
            self.beta = [np.array(b, dtype=float).reshape(shape(w.shape[-1])) for b, w in zip(betas, self.W)] \
                if betas else [np.zeros(shape(w.shape[-1])) for w in self.W[:-1]]
            if len(self.gamma) != n_hidden or len(self.beta) != n_hidden:
                raise ValueError("need one gamma and beta per hidden layer")
        else:
            self.gamma, self.beta = [], []
        self.running_mean = [np.zeros(shape(w.shape[-1])) for w in self.W[:-1]] if batchnorm else []
        self.running_var = [np.ones(shape(w.shape[-1])) for w in self.W[:-1]] if batchnorm else []
        self.bn_momentum = 0.1
        self.dropout = float(dropout)
        self.bn_eps = bn_eps
        self.cache: list[LayerCache] = []

    @classmethod
    def create(
        cls,
        sizes: list[int],
        activation: str,
        init: str,
        rng: np.random.Generator,
        batchnorm: bool = False,
        dropout: float = 0.0,
        output_activation: str = "identity",
    ) -> "MLP":
        """Random network with layer sizes [n_in, h1, ..., n_out]; hidden biases dropped under BN."""
        weights = [init_weights(init, a, b, rng) for a, b in zip(sizes[:-1], sizes[1:])]
        biases: list[np.ndarray | None] = [np.zeros(b) for b in sizes[1:]]
        if batchnorm:
            biases = [None] * (len(sizes) - 2) + [np.zeros(sizes[-1])]
        return cls(weights, biases, activation, output_activation, batchnorm, dropout=dropout)

    @classmethod
    def create_stack(cls, nets: list["MLP"]) -> "MLP":
        """Stack networks of identical shape and settings into one (K leading axis) network."""
        first = nets[0]
        stack = lambda arrs: np.stack([a.reshape(1, -1) if a.ndim == 1 else a for a in arrs])  # noqa: E731
        weights = [np.stack([n.W[i] for n in nets]) for i in range(len(first.W))]
        biases = [None if b is None else stack([n.b[i] for n in nets]) for i, b in enumerate(first.b)]
        gammas = [stack([n.gamma[i] for n in nets]) for i in range(len(first.gamma))] or None
        betas = [stack([n.beta[i] for n in nets]) for i in range(len(first.beta))] or None
        return cls(weights, biases, first.activation.name, first.output_activation.name, first.batchnorm,
                   gammas, betas, first.dropout, first.bn_eps)

    def unstack(self, k: int) -> "MLP":
        """Network k of a stack, as an ordinary (copied) MLP."""
        flat = lambda a: None if a is None else a[k].reshape(-1) if a.shape[-2] == 1 else a[k]  # noqa: E731
        return MLP([w[k].copy() for w in self.W], [None if b is None else flat(b).copy() for b in self.b],
                   self.activation.name, self.output_activation.name, self.batchnorm,
                   [flat(g).copy() for g in self.gamma] or None, [flat(b).copy() for b in self.beta] or None,
                   self.dropout, self.bn_eps)

    @property
    def depth(self) -> int:
        """Number of hidden layers (the readout is not counted)."""
        return len(self.W) - 1

    def parameters(self) -> list[np.ndarray]:
        """All trainable arrays (updated in place by optimizers): W, biases, gammas, betas."""
        return list(self.W) + [b for b in self.b if b is not None] + list(self.gamma) + list(self.beta)

    def weight_mask(self) -> list[bool]:
        """For each entry of parameters(): True for weight matrices (the ones L2 decay applies to)."""
        n_w = len(self.W)
        return [i < n_w for i in range(len(self.parameters()))]

    def forward(self, x: np.ndarray, train: bool = True, rng: np.random.Generator | None = None) -> np.ndarray:
        """Output for a batch x; caches intermediates. train=False: BN running stats, no dropout."""
        a = np.asarray(x, dtype=float)
        if a.ndim == 1:
            a = a.reshape(1, -1)
        self.cache = []
        last = len(self.W) - 1
        for i, W in enumerate(self.W):
            z = a @ W
            if self.b[i] is not None:
                z = z + self.b[i]
            if i == last:
                out = self.output_activation.fn(z)
                self.cache.append(LayerCache(a, z, z, out))
                return out
            u, bn = z, None
            if self.batchnorm:
                if train:
                    u, bn, mean, var = batchnorm_forward(z, self.gamma[i], self.beta[i], self.bn_eps)
                    m = self.bn_momentum
                    self.running_mean[i] += m * (mean.reshape(self.running_mean[i].shape) - self.running_mean[i])
                    self.running_var[i] += m * (var.reshape(self.running_var[i].shape) - self.running_var[i])
                else:
                    u = batchnorm_inference(z, self.gamma[i], self.beta[i], self.running_mean[i],
                                            self.running_var[i], self.bn_eps)
            h = self.activation.fn(u)
            mask = None
            if train and self.dropout > 0.0:
                if rng is None:
                    raise ValueError("dropout in training mode needs an rng")
                keep = 1.0 - self.dropout
                mask = (rng.random(h.shape) < keep) / keep
                h_out = h * mask
            else:
                h_out = h
            self.cache.append(LayerCache(a, z, u, h, bn, mask))
            a = h_out
        raise AssertionError("unreachable")

    def backward(self, dout: np.ndarray) -> Gradients:
        """Gradients of the loss given dLoss/dOutput, by the chain rule through the cached pass."""
        if not self.cache:
            raise RuntimeError("backward() before forward()")
        n_layers = len(self.W)
        dW: list = [None] * n_layers
        db: list = [None] * n_layers
        dgamma: list = [None] * (n_layers - 1) if self.batchnorm else []
        dbeta: list = [None] * (n_layers - 1) if self.batchnorm else []
        deltas: list = [None] * n_layers
        top = self.cache[-1]
        g = np.asarray(dout, dtype=float).reshape(top.z.shape) * self.output_activation.grad_zo(top.z, top.out)
        for i in range(n_layers - 1, -1, -1):
            c = self.cache[i]
            if i < n_layers - 1:
                if c.mask is not None:
                    g = g * c.mask
                g = g * self.activation.grad_zo(c.u, c.out)
                if c.bn is not None:
                    g, dgamma[i], dbeta[i] = batchnorm_backward(g, c.bn)
            deltas[i] = g
            a_t = c.a_in.swapaxes(-1, -2)
            if a_t.ndim < g.ndim:  # shared input for a stack
                a_t = np.broadcast_to(a_t, g.shape[:-2] + a_t.shape)
            dW[i] = a_t @ g
            b = self.b[i]
            db[i] = None if b is None else np.add.reduce(g, axis=-2, keepdims=b.ndim > 1).reshape(b.shape)
            g = g @ self.W[i].swapaxes(-1, -2)
        return Gradients(dW, db, dgamma, dbeta, x=g, delta=deltas)

    def activations(self) -> list[np.ndarray]:
        """Post-nonlinearity activations of each hidden layer from the last forward pass."""
        return [c.out if c.mask is None else c.out * c.mask for c in self.cache[:-1]]
