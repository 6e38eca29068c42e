"""Optimizers, clipping, the 2-D surfaces and the 2-parameter regression of lessons 4 and 5."""

from __future__ import annotations

import numpy as np
import pytest

from builder.dynamics import (
    SURFACES, Adam, AdamW, Momentum, RMSProp, SGD, clip_by_norm, clip_by_value, get_surface, global_norm, linear_data,
    linreg_loss, make_optimizer, optimize_path, sgd_linreg_path, surface_path,
)


@pytest.mark.parametrize("scale", [1e-4, 1e-2, 1.0, 1e4])
def test_adam_first_step_is_about_lr_whatever_the_gradient_scale(scale):
    p = np.zeros(3)
    g = np.array([1.0, -2.0, 0.5]) * scale
    Adam(lr=0.001).step([p], [g])
    assert np.allclose(np.abs(p), 0.001, rtol=1e-2)
    assert np.all(np.sign(p) == -np.sign(g))


def test_adam_steps_shrink_only_when_gradients_approach_eps():
    p = np.zeros(1)
    Adam(lr=0.001).step([p], [np.array([1e-8])])
    assert abs(p[0]) == pytest.approx(0.0005, rel=1e-6)  # g / (|g| + eps) = 1/2


def test_defaults_match_the_lesson():
    a = Adam()
    assert (a.lr, a.beta1, a.beta2, a.eps) == (0.001, 0.9, 0.999, 1e-8)


def test_sgd_momentum_rmsprop_updates_by_formula():
    p, g = np.array([1.0]), np.array([2.0])
    SGD(lr=0.1).step([p], [g])
    assert p[0] == pytest.approx(0.8)
    p, m = np.array([0.0]), Momentum(lr=0.1, beta=0.9)
    m.step([p], [np.array([1.0])])
    m.step([p], [np.array([1.0])])
    assert p[0] == pytest.approx(-(0.1 + 0.1 * 1.9))  # velocity 1, then 1.9
    p = np.array([0.0])
    RMSProp(lr=0.01, rho=0.9).step([p], [np.array([5.0])])
    assert p[0] == pytest.approx(-0.01 / np.sqrt(0.1), rel=1e-6)  # s = 0.1 g^2 after one step


def test_momentum_beats_sgd_on_the_ravine():
    s = get_surface("ravine")
    for lr in (0.03, 0.1, 0.2):
        sgd, mom = surface_path("ravine", "sgd", lr), surface_path("ravine", "momentum", lr)
        assert s.f(*mom[-1]) < 0.1 * s.f(*sgd[-1]), lr


def test_adaptive_methods_escape_the_saddle_where_sgd_lingers():
    s = get_surface("saddle")
    sgd = surface_path("saddle", "sgd", 0.03)
    assert abs(sgd[-1, 1]) < 0.1  # still near y = 0 after 100 steps
    for opt in ("momentum", "rmsprop", "adam"):
        assert abs(surface_path("saddle", opt, 0.03)[-1, 1]) > 0.9, opt
    assert s.f(0.0, 1.0) == pytest.approx(-0.25)


def test_sgd_diverges_on_the_ravine_above_two_over_curvature():
    assert len(surface_path("ravine", "sgd", 0.2)) == 101
    assert len(surface_path("ravine", "sgd", 0.3)) < 101  # 0.3 > 2/8: stopped early, diverged


def test_optimize_path_on_any_function():
    path = optimize_path(lambda x, y: (2 * (x - 1), 2 * (y + 2)), (0.0, 0.0), "sgd", lr=0.25, steps=40)
    assert path.shape == (41, 2)
    assert path[-1] == pytest.approx([1.0, -2.0], abs=1e-6)
    assert set(SURFACES) == {"bowl", "ravine", "saddle"}


def test_clip_by_norm_rescales_together_and_clip_by_value_clamps():
    grads = [np.array([3.0, 0.0]), np.array([[0.0], [4.0]])]
    clipped, before = clip_by_norm(grads, 1.0)
    assert before == pytest.approx(5.0) and global_norm(clipped) == pytest.approx(1.0)
    assert clipped[0][0] / clipped[1][1, 0] == pytest.approx(0.75)  # direction kept
    same, _ = clip_by_norm(grads, 10.0)
    assert np.array_equal(same[0], grads[0])
    assert clip_by_value([np.array([-5.0, 0.2, 7.0])], 1.0)[0].tolist() == [-1.0, 0.2, 1.0]


def test_make_optimizer_rejects_unknown_names_and_bad_lr():
    with pytest.raises(ValueError):
        make_optimizer("adagrad")
    with pytest.raises(ValueError):
        SGD(lr=0.0)


def test_linreg_paths_reach_the_least_squares_fit():
    x, y = linear_data(1024, w=2.0, b=1.0, noise=0.5, rng=np.random.default_rng(0))
    best = np.linalg.lstsq(np.c_[x, np.ones_like(x)], y, rcond=None)[0]
    full = sgd_linreg_path(x, y, None, 0.1, 200, (-1.0, -1.0))
    assert full[-1] == pytest.approx(best, abs=1e-6)
    one = sgd_linreg_path(x, y, 1, 0.1, 200, (-1.0, -1.0), np.random.default_rng(0))
    steps_full = np.hypot(*np.diff(full, axis=0).T)
    steps_one = np.hypot(*np.diff(one, axis=0).T)
    assert steps_one[-50:].mean() > 10 * steps_full[-50:].mean()  # batch size 1 keeps jittering
    w, b = np.meshgrid([best[0], 0.0], [best[1], 0.0])
    grid = linreg_loss(w, b, x, y)
    assert grid[0, 0] == pytest.approx(np.mean((best[0] * x + best[1] - y) ** 2))
    assert grid.min() == grid[0, 0]


def test_adamw_without_decay_is_adam():
    rng = np.random.default_rng(0)
    grads = [[rng.standard_normal((3, 2)), rng.standard_normal(2)] for _ in range(5)]
    a, b = [np.ones((3, 2)), np.zeros(2)], [np.ones((3, 2)), np.zeros(2)]
    adam, adamw = Adam(lr=0.01), AdamW(lr=0.01, weight_decay=0.0)
    for g in grads:
        adam.step(a, g)
        adamw.step(b, g)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


def test_adamw_decay_is_a_fixed_shrink_per_step_outside_adams_scaling():
    """With no data gradient, AdamW multiplies a weight by 1 - lr * wd each step, whatever its size."""
    for w0 in (0.01, 1.0, 100.0):
        p = np.array([w0])
        opt = AdamW(lr=0.01, weight_decay=0.1)
        for _ in range(100):
            opt.step([p], [np.zeros(1)])
        assert p[0] == pytest.approx(w0 * (1 - 0.01 * 0.1) ** 100, rel=1e-12)


def test_l2_under_adam_is_rescaled_but_adamw_is_not():
    """An L2 term added to the gradient is divided by Adam's sqrt(v_hat): a weight with a large (noisy) data
    gradient barely feels it, a weight with none is pushed by a full lr-sized step; AdamW shrinks both alike."""
    noisy = 10.0 * np.random.default_rng(0).standard_normal(200)
    final = {}
    for kind in ("none", "l2", "adamw"):
        p = np.array([1.0, 1.0])  # [weight with a noisy data gradient, weight with no data gradient]
        opt = AdamW(lr=0.001, weight_decay=0.1) if kind == "adamw" else Adam(lr=0.001)
        for g in noisy:
            data = np.array([g, 0.0])
            opt.step([p], [data + 0.1 * p if kind == "l2" else data])
        final[kind] = p
    decay = {k: final["none"] - final[k] for k in ("l2", "adamw")}  # what the regularizer took away
    assert decay["adamw"] == pytest.approx([1 - (1 - 1e-4) ** 200] * 2, rel=0.02)  # 2% for both weights
    assert decay["l2"][1] > 8 * decay["adamw"][1]  # the quiet weight: about lr per step, 0.19 in 200 steps
    assert decay["l2"][0] < decay["adamw"][0] / 5  # the noisy weight: the penalty is drowned by sqrt(v_hat)


def test_adamw_mask_leaves_biases_alone():
    w, b = np.ones((2, 2)), np.ones(2)
    opt = AdamW(lr=0.1, weight_decay=0.5, mask=[True, False])
    opt.step([w, b], [np.zeros((2, 2)), np.zeros(2)])
    assert np.allclose(w, 0.95) and np.allclose(b, 1.0)
    with pytest.raises(ValueError):
        opt.step([w], [np.zeros((2, 2))])
