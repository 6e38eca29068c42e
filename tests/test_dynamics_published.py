"""The model against the published results it illustrates (measured, not assumed).

Glorot & Bengio 2010 (sigmoid/tanh with normalized init), He et al. 2015 (ReLU: 2/n keeps the
variance, 1/n halves it per layer), Ioffe & Szegedy 2015 (batch norm restores gradient flow through
saturating nonlinearities and makes it insensitive to the weight scale). Also the lesson's own claims.
"""

from __future__ import annotations

import numpy as np
import pytest

from builder.dynamics import activation_profile, gradient_profile, sigmoid_grad

SEEDS = range(4)


def per_layer_ratio(values: np.ndarray) -> float:
    """Geometric-mean change per layer from the first to the last layer."""
    return float((values[-1] / values[0]) ** (1.0 / (len(values) - 1)))


def mean_ratio(fn, *args, **kw) -> float:
    """per_layer_ratio averaged (geometrically) over a few random networks."""
    return float(np.exp(np.mean([np.log(per_layer_ratio(fn(*args, seed=s, **kw))) for s in SEEDS])))


def test_relu_xavier_activation_variance_halves_per_layer():
    assert 0.4 < mean_ratio(activation_profile, 10, "relu", "xavier") < 0.6


def test_relu_he_activation_variance_is_kept():
    assert 0.85 < mean_ratio(activation_profile, 10, "relu", "he") < 1.15
    assert 0.9 < mean_ratio(activation_profile, 10, "relu", "he", width=256) < 1.1  # wider: closer to 1


def test_he_keeps_relu_gradients_at_depth_where_xavier_shrinks_them():
    he = gradient_profile(30, "relu", "he")
    xavier = gradient_profile(30, "relu", "xavier")
    assert np.median(xavier) < 1e-3 * np.median(he)


def test_sigmoid_xavier_layer1_gradient_is_orders_of_magnitude_below_layer10():
    g = gradient_profile(10, "sigmoid", "xavier")
    assert g[0] / g[-1] < 1e-4
    # each hop back towards the input multiplies by roughly sigmoid's typical slope (about 0.2-0.25)
    hops = g[1:-1] / g[2:]
    assert np.all((hops > 0.15) & (hops < 0.35))


def test_tanh_xavier_keeps_gradients_within_an_order_of_magnitude():
    for seed in SEEDS:
        g = gradient_profile(10, "tanh", "xavier", seed=seed)
        assert g.max() / g.min() < 10


def test_batchnorm_restores_sigmoid_gradient_flow():
    without = gradient_profile(10, "sigmoid", "xavier")
    with_bn = gradient_profile(10, "sigmoid", "xavier", batchnorm=True)
    assert 0.1 < with_bn[0] / with_bn[-1] < 10
    assert with_bn[0] / with_bn[-1] > 1e4 * (without[0] / without[-1])


def test_batchnorm_makes_gradient_flow_insensitive_to_the_weight_scale():
    """tanh with N(0, 1) weights (8x too large at width 64) explodes backwards; with batch norm it does not."""
    plain = gradient_profile(10, "tanh", "naive_normal")
    assert plain[0] / plain[-1] > 100
    for init in ("naive_normal", "xavier", "he"):
        g = gradient_profile(10, "tanh", init, batchnorm=True)
        assert 0.3 < g[0] / g[-1] < 3, init


def test_naive_uniform_explodes_relu_activations():
    v = activation_profile(10, "relu", "naive_uniform")
    assert v[-1] / v[0] > 1e20
    assert np.all(np.diff(np.log10(v)) > 2)  # more than 100x per layer


def test_naive_uniform_saturates_sigmoid_and_kills_its_gradients():
    assert activation_profile(10, "sigmoid", "naive_uniform")[-1] < 1e-10  # every unit stuck at 1
    g = gradient_profile(10, "sigmoid", "naive_uniform")
    assert g[0] / g[-1] < 1e-50


def test_tanh_with_oversized_weights_explodes_gradients_backwards():
    g = gradient_profile(10, "tanh", "naive_normal")
    assert g[0] / g[-1] > 100


def test_sigmoid_derivative_facts():
    z = np.linspace(-10, 10, 20001)
    d = sigmoid_grad(z)
    assert d.max() == pytest.approx(0.25) and z[np.argmax(d)] == pytest.approx(0.0)
    assert 0.25 ** 10 == pytest.approx(9.54e-7, rel=1e-3)
