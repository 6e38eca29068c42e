"""builder.dynamics: backward pass against finite differences, the worked example, training behaviour."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from builder.dynamics import (
    MLP, HIDDEN_ACTIVATIONS, Task, activation_profile, evaluate, fit, gradient_profile, line_images, loss_and_grads,
    noisy_curve, spirals, teacher_regression, train, train_stack,
)

# --------------------------------------------------------------------------- finite differences


def _random_net(activation: str, batchnorm: bool, rng: np.random.Generator, sizes=(4, 5, 5, 3)) -> MLP:
    """Small net with non-zero biases and gammas/betas away from 1/0, so no kink sits exactly at 0."""
    net = MLP.create(list(sizes), activation, "xavier", rng, batchnorm=batchnorm)
    for b in net.b:
        if b is not None:
            b += rng.normal(0.0, 0.3, b.shape)
    for g in net.gamma:
        g += rng.normal(0.0, 0.3, g.shape)
    for be in net.beta:
        be += rng.normal(0.0, 0.3, be.shape)
    return net


def _max_rel_error(net: MLP, x: np.ndarray, y: np.ndarray, loss: str, h: float = 1e-6, seed: int | None = None):
    """Worst relative error between backward() and central differences over every parameter array."""
    rng = (lambda: np.random.default_rng(seed)) if seed is not None else (lambda: None)
    _, grads = loss_and_grads(net, x, y, loss, rng=rng())
    worst = 0.0
    for p, g in zip(net.parameters(), grads.flat()):
        num = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up, _ = loss_and_grads(net, x, y, loss, rng=rng())
            p[idx] = old - h
            down, _ = loss_and_grads(net, x, y, loss, rng=rng())
            p[idx] = old
            num[idx] = (up - down) / (2 * h)
        denom = max(np.linalg.norm(num) + np.linalg.norm(g), 1e-12)
        worst = max(worst, float(np.linalg.norm(num - g) / denom))
    return worst


@pytest.mark.parametrize("batchnorm", [False, True], ids=["plain", "batchnorm"])
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_backward_matches_finite_differences(activation, batchnorm):
    rng = np.random.default_rng(7)
    net = _random_net(activation, batchnorm, rng)
    x = rng.standard_normal((6, 4))
    assert _max_rel_error(net, x, rng.standard_normal((6, 3)), "mse") < 1e-6
    assert _max_rel_error(net, x, rng.integers(0, 3, 6), "cross_entropy") < 1e-6


def test_finite_differences_cover_every_parameter_kind():
    net = _random_net("tanh", True, np.random.default_rng(1))
    shapes = [p.shape for p in net.parameters()]
    # 3 weight matrices, the readout bias only (BN makes hidden biases redundant), 2 gammas, 2 betas
    assert shapes == [(4, 5), (5, 5), (5, 3), (3,), (5,), (5,), (5,), (5,)]
    plain = _random_net("tanh", False, np.random.default_rng(1))
    assert [p.shape for p in plain.parameters()] == [(4, 5), (5, 5), (5, 3), (5,), (5,), (3,)]


def test_backward_with_dropout_and_a_fixed_mask_matches_finite_differences():
    rng = np.random.default_rng(3)
    net = _random_net("relu", False, rng)
    net.dropout = 0.3
    x, y = rng.standard_normal((6, 4)), rng.standard_normal((6, 3))
    assert _max_rel_error(net, x, y, "mse", seed=11) < 1e-6


def test_batchnorm_backward_breaks_if_batch_statistics_are_treated_as_constants():
    """The test above can fail: a backward pass ignoring d(mean)/dz and d(var)/dz is measurably wrong."""
    from builder.dynamics import batchnorm as bn_mod

    rng = np.random.default_rng(5)
    net = _random_net("sigmoid", True, rng)
    x, y = rng.standard_normal((6, 4)), rng.standard_normal((6, 3))
    real = bn_mod.batchnorm_backward

    def naive(dout, cache):
        dz, dgamma, dbeta = real(dout, cache)
        return dout * cache.gamma * cache.inv_std, dgamma, dbeta

    import builder.dynamics.network as net_mod

    net_mod.batchnorm_backward = naive
    try:
        assert _max_rel_error(net, x, y, "mse") > 1e-3
    finally:
        net_mod.batchnorm_backward = real


# --------------------------------------------------------------------------- the lesson-2 worked example


def test_two_layer_worked_example_by_hand():
    """x=2 -> z1 = 0.5*2 + 0.1 = 1.1 -> ReLU 1.1 -> y = 0.8*1.1 - 0.2 = 0.68; L = (y - 1)^2."""
    net = MLP([[[0.5]], [[0.8]]], [[0.1], [-0.2]], activation="relu")
    y = net.forward(np.array([[2.0]]))
    assert y.item() == pytest.approx(0.68)
    loss, grads = loss_and_grads(net, np.array([[2.0]]), np.array([[1.0]]), "mse")
    assert loss == pytest.approx(0.1024)
    dy = 2 * (0.68 - 1.0)  # -0.64
    assert grads.W[1].item() == pytest.approx(dy * 1.1)  # dL/dw2 = dL/dy * a1
    assert grads.b[1].item() == pytest.approx(dy)
    assert grads.W[0].item() == pytest.approx(dy * 0.8 * 1.0 * 2.0)  # through w2, ReLU'(1.1) = 1, x
    assert grads.b[0].item() == pytest.approx(dy * 0.8)
    assert [c.z.item() for c in net.cache] == pytest.approx([1.1, 0.68])


def test_dying_relu_example_gives_zero_gradient_upstream():
    """w1 = -1: z1 = -1*2 + 0.1 = -1.9, ReLU gives 0, so layer 1 gets no gradient at all."""
    net = MLP([[[-1.0]], [[0.8]]], [[0.1], [-0.2]], activation="relu")
    _, grads = loss_and_grads(net, np.array([[2.0]]), np.array([[1.0]]), "mse")
    assert net.cache[0].z.item() == pytest.approx(-1.9)
    assert grads.W[0].item() == 0.0 and grads.b[0].item() == 0.0
    assert grads.b[1].item() != 0.0


# --------------------------------------------------------------------------- stacks, tasks, determinism


def test_a_stack_trains_exactly_like_its_members():
    inits = ["naive_normal", "xavier", "he"]
    stacked = train_stack(4, "tanh", inits, True, width=16, steps=30)
    for k, init in enumerate(inits):
        assert np.array_equal(stacked[k], train(4, "tanh", init, True, width=16, steps=30), equal_nan=True)


def test_train_is_deterministic_per_seed():
    a = train(3, "relu", "he", width=16, steps=40, seed=3)
    b = train(3, "relu", "he", width=16, steps=40, seed=3)
    c = train(3, "relu", "he", width=16, steps=40, seed=4)
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)
    assert np.array_equal(gradient_profile(5, "tanh", "xavier", seed=2), gradient_profile(5, "tanh", "xavier", seed=2))


def test_networks_trained_as_a_stack_equal_networks_trained_alone():
    """The training-dynamics explorer trains the four initializations of a configuration as one stack."""
    from builder.dynamics import train_stack

    inits = ["naive_uniform", "naive_normal", "xavier", "he"]
    for depth, activation, batchnorm in ((3, "relu", False), (4, "tanh", True)):
        stacked = train_stack(depth, activation, inits, batchnorm, width=16, steps=30)
        for k, init in enumerate(inits):
            alone = train(depth, activation, init, batchnorm, width=16, steps=30)
            assert np.allclose(stacked[k], alone, equal_nan=True, rtol=1e-12, atol=0), (depth, activation, init)


def test_tasks_have_the_documented_shapes():
    lines = line_images(12, 0.0, np.random.default_rng(0))
    assert lines.x.shape == (12, 9) and sorted(set(lines.y)) == [0, 1] and lines.y.sum() == 6
    for img, label in zip(lines.x.reshape(-1, 3, 3), lines.y):
        sums = img.sum(axis=0) if label == 1 else img.sum(axis=1)  # vertical line: one full column
        assert sorted(sums) == [0.0, 0.0, 3.0]
    assert spirals(50).x.shape == (50, 2)
    teacher = teacher_regression(64, d=5)
    assert teacher.y.shape == (64, 1) and abs(teacher.y.std() - 1) < 1e-9
    assert noisy_curve(20).x.shape == (20, 1)


def test_profiles_have_one_value_per_layer():
    assert gradient_profile(7, "leaky_relu", "he", width=16, batch=32).shape == (7,)
    assert activation_profile(7, "sigmoid", "xavier", batchnorm=True, width=16, batch=32).shape == (7,)
    with pytest.raises(ValueError):
        gradient_profile(3, "softplus", "he")
    with pytest.raises(ValueError):
        train(3, "relu", "glorot")


def test_import_does_not_need_plotly():
    code = ("import sys; sys.modules['plotly'] = None; import builder.dynamics as d; "
            "print(d.train(2, 'relu', 'he', steps=3, width=8).shape)")
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "(3,)"


# --------------------------------------------------------------------------- training behaviour


def test_shallow_relu_he_network_visibly_learns_with_every_optimizer():
    for opt in ("sgd", "momentum", "rmsprop", "adam"):
        losses = train(2, "relu", "he", optimizer=opt, steps=200)
        assert losses[-1] < 0.5 * losses[0], opt


def test_depth_paradox_and_batchnorm_rescue():
    shallow = train(2, "sigmoid", "xavier", steps=300)
    deep = train(10, "sigmoid", "xavier", steps=300)
    assert shallow[-1] < 0.5
    assert abs(deep[-1] - np.log(2)) < 0.01  # stuck at chance
    deep_bn = train(20, "sigmoid", "xavier", batchnorm=True, width=32, steps=150)
    assert deep_bn[-1] < 0.1


def test_exploding_network_loss_becomes_nan():
    losses = train(5, "relu", "naive_normal", width=32, steps=50)
    assert np.isnan(losses[-1]) and np.isfinite(losses[0])


def _overfit_setup(seed: int = 0, dropout: float = 0.0):
    train_set = noisy_curve(20, 0.3, np.random.default_rng(1))
    val_set = noisy_curve(200, 0.3, np.random.default_rng(2))
    rng = np.random.default_rng(seed)
    return MLP.create([1, 64, 64, 1], "relu", "he", rng, dropout=dropout), train_set, val_set, rng


def test_early_stopping_stops_after_patience_and_restores_the_best_weights():
    net, tr, va, rng = _overfit_setup()
    h = fit(net, tr, va, "adam", 0.01, epochs=400, patience=10, rng=rng)
    assert h.stopped_epoch == h.best_epoch + 10
    assert len(h.val_loss) == h.stopped_epoch
    assert evaluate(net, va) == pytest.approx(min(h.val_loss))
    assert h.val_loss[-1] > min(h.val_loss)


def test_overfitting_then_l2_and_dropout_help():
    net, tr, va, rng = _overfit_setup()
    plain = fit(net, tr, va, "adam", 0.01, epochs=300, rng=rng)
    assert plain.train_loss[-1] < 0.1 and plain.val_loss[-1] > 1.5 * min(plain.val_loss)
    net, tr, va, rng = _overfit_setup()
    decayed = fit(net, tr, va, "adam", 0.01, epochs=300, weight_decay=0.01, rng=rng)
    net_d, tr, va, rng = _overfit_setup(dropout=0.3)
    dropped = fit(net_d, tr, va, "adam", 0.01, epochs=300, rng=rng)
    assert decayed.val_loss[-1] < plain.val_loss[-1] and dropped.val_loss[-1] < plain.val_loss[-1]


def test_weight_decay_shrinks_weights_and_dropout_is_off_at_inference():
    norms = []
    for wd in (0.0, 0.1):
        net, tr, va, rng = _overfit_setup()
        fit(net, tr, va, "adam", 0.01, epochs=100, weight_decay=wd, rng=rng)
        norms.append(sum(float(np.sum(W * W)) for W in net.W))
    assert norms[1] < 0.5 * norms[0]
    net, tr, _, _ = _overfit_setup(dropout=0.5)
    a = net.forward(tr.x, train=False)
    assert np.array_equal(a, net.forward(tr.x, train=False))
    noisy = net.forward(tr.x, train=True, rng=np.random.default_rng(0))
    assert not np.allclose(a, noisy)
    mask = net.cache[0].mask
    assert set(np.unique(mask)) <= {0.0, 2.0}  # inverted dropout: kept units scaled by 1/keep


def test_minibatch_fit_uses_every_example_each_epoch():
    task = Task("toy", np.arange(10.0).reshape(-1, 1), np.zeros((10, 1)), "mse", 1)
    seen: list[float] = []
    net = MLP([[[1.0]]], [[0.0]], output_activation="identity")
    real_forward = net.forward

    def spy(x, train=True, rng=None):
        if train:
            seen.extend(np.asarray(x).ravel().tolist())
        return real_forward(x, train, rng)

    net.forward = spy  # type: ignore[method-assign]
    fit(net, task, None, "sgd", 1e-4, epochs=2, batch_size=4, rng=np.random.default_rng(0))
    assert sorted(seen) == sorted(list(range(10)) * 2)
