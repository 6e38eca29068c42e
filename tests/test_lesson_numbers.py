"""Numbers the lessons state, recomputed with the dynamics model (builder.dynamics) and found in the text."""

from __future__ import annotations

import functools
import inspect

import numpy as np
import pytest
import yaml

import builder.dynamics as dyn
from conftest import REPO, course_module

LESSONS = REPO / "lessons" / "1.3"
NUMBERS = yaml.safe_load((REPO / "tests/data/lesson2_numbers.yaml").read_text())


def text_of(name: str) -> str:
    return next(LESSONS.glob(f"*-{name}.md")).read_text(encoding="utf-8").replace("\u2212", "-")


def two_layer(case: dict) -> dyn.MLP:
    p = case["params"]
    return dyn.MLP([np.array([[p["w1"]]]), np.array([[p["w2"]]])], [np.array([p["b1"]]), np.array([p["b2"]])],
                   activation=case["activation"])


@pytest.mark.parametrize("name", sorted(NUMBERS["cases"]))
def test_lesson2_gradients_match_the_models_backward_pass(name):
    case = NUMBERS["cases"][name]
    net = two_layer(case)
    x, y = case["inputs"]["x"], case["inputs"]["y"]
    y_hat = net.forward(np.array([[x]]))[0, 0]
    grads = net.backward(np.array([[2 * (y_hat - y)]]))  # loss (y_hat - y)^2, no 1/2 factor
    expected = case["gradients"]
    assert y_hat == pytest.approx(case["forward"]["y_hat"], abs=1e-8)
    assert (y_hat - y) ** 2 == pytest.approx(case["forward"]["loss"], abs=1e-8)
    assert grads.W[0][0, 0] == pytest.approx(expected["dL_dw1"], abs=1e-8)
    assert grads.b[0][0] == pytest.approx(expected["dL_db1"], abs=1e-8)
    assert grads.W[1][0, 0] == pytest.approx(expected["dL_dw2"], abs=1e-8)
    assert grads.b[1][0] == pytest.approx(expected["dL_db2"], abs=1e-8)


def test_lesson2_update_step_and_text():
    case = NUMBERS["cases"]["main"]
    update = case["updates"][0]
    net = two_layer(case)
    y_hat = net.forward(np.array([[2.0]]))[0, 0]
    g = net.backward(np.array([[2 * (y_hat - 1.0)]]))
    lr = update["lr"]
    new = {"w1": 0.5 - lr * g.W[0][0, 0], "b1": 0.1 - lr * g.b[0][0], "w2": -0.3 - lr * g.W[1][0, 0], "b2": 0.2 - lr * g.b[1][0]}
    for key, value in update["params"].items():
        assert new[key] == pytest.approx(value, abs=1e-8)
    text = text_of("backprop-worked-example")
    for shown in ("1.2769", "1.356", "0.678", "-2.486", "-2.26", "-0.13", "0.3644", "0.0322", "-0.0514", "0.426", "-1.9"):
        assert shown in text, shown


def test_dying_relu_case_gives_exact_zeros():
    case = NUMBERS["cases"]["dying_relu"]
    net = two_layer(case)
    y_hat = net.forward(np.array([[2.0]]))[0, 0]
    g = net.backward(np.array([[2 * (y_hat - 1.0)]]))
    assert g.W[0][0, 0] == 0.0 and g.b[0][0] == 0.0 and g.W[1][0, 0] == 0.0
    assert g.b[1][0] == pytest.approx(case["gradients"]["dL_db2"])


def test_lesson2_network_figure_draws_the_models_numbers():
    """The backprop-network figure (content/figures/network.py) computes the worked example with the lesson's rule;
    its numbers are the model's backward pass, written as the lesson writes them, for w1 = 0.5 and w1 = -1."""
    network = course_module("network")
    text = text_of("backprop-worked-example")
    for name, w1 in (("main", 0.5), ("dying_relu", -1.0)):
        case = NUMBERS["cases"][name]
        net = two_layer(case)
        y_hat = net.forward(np.array([[2.0]]))[0, 0]
        g = net.backward(np.array([[2 * (y_hat - 1.0)]]))
        drawn = network.run(w1)
        assert drawn.y_hat == pytest.approx(y_hat) and drawn.loss == pytest.approx((y_hat - 1.0) ** 2)
        assert (drawn.d_w1, drawn.d_b1, drawn.d_w2, drawn.d_b2) == pytest.approx(
            (g.W[0][0, 0], g.b[0][0], g.W[1][0, 0], g.b[1][0]))
        fig, summary = network.backprop_network(w1=w1, show="backward")
        labels = " ".join(a["text"] for a in fig.to_dict()["layout"]["annotations"]).replace("\u2212", "-")
        for value in (drawn.z1, drawn.a1, drawn.y_hat, drawn.loss, drawn.d_y_hat, drawn.d_a1, drawn.d_z1,
                      drawn.d_w1, drawn.d_b1, drawn.d_w2, drawn.d_b2):
            shown = network.num(value).replace("\u2212", "-")
            assert f"= {shown}" in labels and f"= {network.num(value)}" in summary, shown
            assert shown in text, shown  # every number the figure draws is one the lesson states
    assert network.num(1.2769000000000001) == "1.2769" and network.num(-0.13000000000000003) == "\u22120.13"
    assert "{figure} backprop-network\n:show: network" in text and "{figure} backprop-network\n:w1: -1" in text
    assert "```text" not in text  # the ASCII diagrams are gone


def test_sigmoid_bound_and_powers_in_lesson6():
    z = np.linspace(-10, 10, 20001)
    peak = dyn.sigmoid_grad(z).max()
    assert peak == pytest.approx(0.25)
    mantissa, exponent = f"{peak ** 10:.1e}".split("e")  # the model's bound, ten layers deep, as the lesson writes it
    text = text_of("training-dynamics")
    assert f"0.25^{{10}} \\approx {mantissa} \\times 10^{{{int(exponent)}}}" in text and "2^{10} = 1024" in text


def test_lesson6_measured_claims():
    sig = dyn.gradient_profile(10, "sigmoid", "xavier")
    assert 1e-7 <= sig[0] / sig[-1] <= 1e-6  # "roughly 1e-7 to 1e-6 of layer 10's"
    per_layer = np.exp(np.mean(np.log(sig[1:] / sig[:-1])))
    assert 3.5 <= per_layer <= 5.5  # "shrank roughly 4 to 5 times per layer back"
    uniform = dyn.activation_profile(10, "relu", "naive_uniform")
    assert 500 <= np.exp(np.mean(np.log(uniform[1:] / uniform[:-1]))) <= 2000  # "about 1000-fold per layer"
    normal = dyn.activation_profile(10, "relu", "naive_normal")
    assert 15 <= np.exp(np.mean(np.log(normal[1:] / normal[:-1]))) <= 50  # "about 30-fold per layer"
    xavier = dyn.activation_profile(10, "relu", "xavier")
    he = dyn.activation_profile(10, "relu", "he")
    assert 0.4 <= np.exp(np.mean(np.log(xavier[1:] / xavier[:-1]))) <= 0.6  # halves per layer
    assert 0.8 <= np.exp(np.mean(np.log(he[1:] / he[:-1]))) <= 1.2  # He keeps it
    text = text_of("training-dynamics")
    assert "about 0.23" in text and "4 to 5 times per layer" in text and "1000-fold" in text and "30-fold" in text


def test_adam_defaults_and_first_step_in_lesson5():
    defaults = {k: v.default for k, v in inspect.signature(dyn.Adam).parameters.items()}
    assert defaults == {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    text = text_of("optimizers")
    assert "$\\alpha = 0.001$, $\\beta_1 = 0.9$, $\\beta_2 = 0.999$, $\\epsilon = 10^{-8}$" in text
    for g in (1000.0, 0.001):
        opt = dyn.Adam()
        params = [np.array([0.0])]
        opt.step(params, [np.array([g])])
        assert abs(params[0][0]) == pytest.approx(0.001, rel=1e-4)


def test_lesson4_regression_numbers():
    """The regression lesson 4 measures on is the one its figure draws; every number it states is recomputed here."""
    from builder.dynamics.surfaces import linreg_loss, sgd_linreg_path
    regression_data = course_module("sgd").regression_data

    x, y = regression_data()
    text = text_of("batching-and-sgd")
    grad_w = 2 * (-x - 1 - y) * x  # d/dw of (w x + b - y)^2 at w = b = -1
    assert (f"{grad_w.mean():.3f}", f"{(2 * (-x - 1 - y)).mean():.3f}") == ("-5.403", "-3.699")
    assert f"{linreg_loss(-1.0, -1.0, x, y):.2f}" == "11.94"
    fit = np.linalg.lstsq(np.c_[x, np.ones_like(x)], y, rcond=None)[0]
    assert f"{linreg_loss(fit[0], fit[1], x, y):.3f}" == "0.263"
    assert "$-5.403$ for $w$, $-3.699$ for $b$" in text and "starting from loss 11.94" in text

    rng = np.random.default_rng(0)  # 20,000 random batches (distinct points) of each size
    for size, mean, sd in ((1, "-5.44", "9.27"), (8, "-5.40", "3.24"), (64, "-5.41", "1.11"), (256, "-5.40", "0.50")):
        estimates = np.array([grad_w[rng.permutation(len(x))[:size]].mean() for _ in range(20_000)])
        assert (f"{estimates.mean():.2f}", f"{estimates.std():.2f}") == (mean, sd)
        assert f"| ${mean}$ | ${sd}$ |" in text
    n = len(x)  # batches drawn without repeats: the 1/sqrt(B) rule times sqrt((N - B)/(N - 1))
    assert f"{9.27 / 16:.2f}" == "0.58" and f"{9.27 / 16 * np.sqrt((n - 256) / (n - 1)):.2f}" == "0.50"
    assert "which is why $B = 256$ shows 0.50 rather than $9.27/16 \\approx 0.58$" in text

    def final_losses(size, steps):
        return np.array([linreg_loss(*sgd_linreg_path(x, y, size, 0.1, steps, (-1.0, -1.0), np.random.default_rng(seed))[-1], x, y)
                         for seed in range(20)])
    for size, row in ((1, "| 1 | 1,024 | 0.34 | 0.27 to 0.59 |"), (8, "| 8 | 128 | 0.271 | 0.264 to 0.283 |"),
                      (64, "| 64 | 16 | 0.281 | 0.273 to 0.291 |")):
        one_epoch = final_losses(size, 1024 // size)
        digits = 2 if size == 1 else 3
        assert row == f"| {size} | {1024 // size:,} | {one_epoch.mean():.{digits}f} | {one_epoch.min():.{digits}f} to {one_epoch.max():.{digits}f} |"
        assert row in text
    assert f"{final_losses(None, 1)[0]:.2f}" == "8.05"
    for size, row in ((1, "| 1 | 0.568 | 0.279 to 1.91 | 16 |"), (8, "| 8 | 0.294 | 0.263 to 0.365 | 128 |"),
                      (64, "| 64 | 0.281 | 0.273 to 0.291 | 1,024 |"), (None, "| 1,024 (full) | 0.281 | always 0.281 | 16,384 |")):
        sixteen = final_losses(size, 16)
        spread = "always 0.281" if size is None else f"{sixteen.min():.3g} to {sixteen.max():.3g}"
        assert (f"{sixteen.mean():.3f}", spread) == tuple(row.split(" | ")[1:3]) and row in text

    full = sgd_linreg_path(x, y, None, 0.1, 40, (-1.0, -1.0))
    assert int(np.argmax(linreg_loss(full[:, 0], full[:, 1], x, y) < 0.27)) == 19
    one = sgd_linreg_path(x, y, 1, 0.1, 20 * 1024, (-1.0, -1.0), np.random.default_rng(3))
    late = linreg_loss(one[:, 0], one[:, 1], x, y)[10 * 1024 + 1:]
    assert (f"{late.min():.3f}", f"{late.max():.2f}", f"{(late < 0.4).mean():.0%}") == ("0.263", "1.83", "85%")
    sixty_four = sgd_linreg_path(x, y, 64, 0.1, 20 * 16, (-1.0, -1.0), np.random.default_rng(3))
    late = linreg_loss(sixty_four[:, 0], sixty_four[:, 1], x, y)[10 * 16 + 1:]
    assert (f"{late.min():.4f}", f"{late.max():.4f}") == ("0.2633", "0.2662")
    assert "between 0.263 and 1.83" in text and "below 0.4 on 85% of the steps" in text and "between 0.2633 and 0.2662" in text


def test_lesson4_saddle_escape():
    """L(a, b) = a^2 + (b^2 - 1)^2 / 2, learning rate 0.1: stalls on the ridge, escapes with noise."""
    def steps_to_minimum(start, noise_sd, rng, limit=1000):
        p = np.array(start, dtype=float)
        for step in range(1, limit + 1):
            grad = np.array([2 * p[0], 2 * p[1] * (p[1] ** 2 - 1)])
            p -= 0.1 * (grad + (noise_sd * rng.standard_normal(2) if noise_sd else 0))
            if p[0] ** 2 + 0.5 * (p[1] ** 2 - 1) ** 2 < 0.01:
                return step
        return None

    assert steps_to_minimum((1.0, 0.0), 0, None) is None
    assert steps_to_minimum((1.0, 1e-6), 0, None) == 80
    noisy = [steps_to_minimum((1.0, 0.0), 0.1, np.random.default_rng(seed)) for seed in range(100)]
    assert None not in noisy and (np.median(noisy), min(noisy), max(noisy)) == (30, 22, 63)
    text = text_of("batching-and-sgd")
    assert "after 80 steps" in text and "a median of 30 steps (between 22 and 63)" in text


def test_lesson7_missing_middle_row_caps_validation_accuracy():
    """Lesson 7: 20 noisy V/H images that happen to hold no middle-row image; no regularizer fixes the gap."""
    from builder.dynamics.tasks import line_images

    def is_middle_row(x):
        img = x.reshape(-1, 3, 3)
        return (img[:, 1, :].mean(1) > 0.5) & (img[:, 0, :].mean(1) < 0.5) & (img[:, 2, :].mean(1) < 0.5)

    seed = next(s for s in range(100) if not is_middle_row(line_images(20, 0.1, np.random.default_rng(s)).x).any())
    train, val = line_images(20, 0.1, np.random.default_rng(seed)), line_images(200, 0.1, np.random.default_rng(1000))
    for weight_decay, dropout in ((0.0, 0.0), (0.01, 0.0), (0.0, 0.5)):
        rng = np.random.default_rng(0)
        net = dyn.MLP.create([9, 20, 2], "relu", "he", rng, dropout=dropout)  # two logits: the 9-20-1 sigmoid net's twin
        dyn.fit(net, train, val, "adam", 0.01, 300, weight_decay=weight_decay, rng=rng)
        predicted = net.forward(val.x, train=False).argmax(1)
        assert (net.forward(train.x, train=False).argmax(1) == train.y).all()
        assert f"{(predicted == val.y).mean():.0%}" == "84%"
        assert is_middle_row(val.x)[predicted != val.y].all()  # every error is an image of the row never seen
    text = text_of("overfitting-and-regularization")
    assert "validation accuracy stalled at 84%" in text and "every error was a middle-row image" in text


def test_lesson7_figure_captions_match_the_runs():
    run = course_module("regularization").run

    plain = run(400)
    best = int(np.argmin(plain.val_loss)) + 1
    assert best == 78 and plain.val_loss[-1] > 2 * min(plain.val_loss)  # "more than twice its best"
    patient, hasty = run(400, patience=10), run(400, patience=2)
    assert (patient.best_epoch, patient.stopped_epoch, hasty.best_epoch, hasty.stopped_epoch) == (78, 88, 3, 5)
    assert (f"{plain.val_loss[2]:.3f}", f"{plain.val_loss[77]:.3f}") == ("0.486", "0.141")
    assert plain.val_loss[2] > plain.val_loss[-1]  # "worse, even, than never stopping at all"
    l2, dropout = run(400, weight_decay=0.003), run(400, dropout=0.5)
    assert l2.val_loss[-1] < min(plain.val_loss)  # "the L2 run ends lower than the unregularized run ever got"
    for h in (l2, dropout):
        assert h.val_loss[-1] < 1.1 * min(h.val_loss)  # "stays close to its lowest value"
    text = text_of("overfitting-and-regularization")
    assert "best epoch (78)" in text and "ends training at epoch 5" in text and "(0.486 against 0.141)" in text
    assert "$\\lambda = 0.003$" in text and "($p = 0.5$)" in text


def test_lesson6_cross_entropy_and_chance_level():
    """Binary cross-entropy -ln p(true class): the three values lesson 6 shows, and the model's loss agrees."""
    assert (f"{-np.log(0.9):.3f}", f"{-np.log(0.1):.3f}", f"{np.log(2):.3f}") == ("0.105", "2.303", "0.693")
    logits = np.array([[0.0, np.log(9.0)], [0.0, 0.0], [np.log(9.0), 0.0]])  # p(class 1) = 0.9, 0.5, 0.1
    for row, expected in zip(logits, (0.105, 0.693, 2.303)):
        assert dyn.softmax_cross_entropy(row[None, :], np.array([1]))[0] == pytest.approx(expected, abs=5e-4)
        p = dyn.softmax(row[None, :])[0, 1]
        assert -(1 * np.log(p) + 0 * np.log(1 - p)) == pytest.approx(expected, abs=5e-4)  # the y, 1 - y formula
    text = text_of("training-dynamics")
    assert "($-\\ln 0.9 \\approx 0.105$)" in text and "($-\\ln 0.1 \\approx 2.303$)" in text
    assert "$-\\ln 0.5 = \\ln 2 \\approx 0.693$" in text
    seven = text_of("overfitting-and-regularization")
    assert "binary cross-entropy from lesson 6" in seven and "binary cross-entropy" in text


def test_lesson6_equal_starting_weights_stay_equal():
    """A tanh net with every weight 0.1 keeps identical units through 500 SGD steps; a random start learns more."""
    task = dyn.profiles.train_task()
    sizes = [2, 16, 16, 2]
    net = dyn.MLP([np.full((a, b), 0.1) for a, b in zip(sizes[:-1], sizes[1:])], activation="tanh")
    losses = dyn.train_steps(net, task, dyn.SGD(0.1), 500)
    for W in net.W[:-1]:  # each hidden unit is a column of its layer's matrix
        assert np.abs(W - W[:, :1]).max() == 0.0
    assert np.abs(net.W[-1] - net.W[-1][:1]).max() == 0.0  # and the units' outgoing weights (rows) agree
    random = dyn.MLP.create(sizes, "tanh", "xavier", np.random.default_rng(0))
    random_losses = dyn.train_steps(random, task, dyn.SGD(0.1), 500)
    assert (f"{losses[-1]:.3f}", f"{random_losses[-1]:.3f}") == ("0.387", "0.062")
    text = text_of("training-dynamics")
    assert "every weight 0.1, for 500 steps (SGD, learning rate 0.1)" in text
    assert "(largest difference: 0), and the loss was 0.387" in text and "reached 0.062" in text


def test_lesson6_mean_square_not_variance():
    """Var(z) = n Var(w) E[x^2]; ReLU halves the mean square but keeps about 0.34 of the variance."""
    rng = np.random.default_rng(0)
    z = rng.standard_normal(2_000_000)
    relu = np.maximum(z, 0.0)
    assert f"{(relu ** 2).mean():.2f}" == "0.50" and f"{relu.var():.2f}" == "0.34"
    assert f"{0.5 - 1 / (2 * np.pi):.2f}" == "0.34" and f"{2 * (0.5 - 1 / (2 * np.pi)):.2f}" == "0.68"
    # the formula itself, with inputs that are never negative: n Var(w) E[x^2], not n Var(w) Var(x)
    n = 64
    x = np.abs(rng.standard_normal((2_000, n)))
    w = rng.standard_normal((n, 4_000)) * np.sqrt(1 / n)
    var_z = (x @ w).var()
    assert var_z == pytest.approx(n * (1 / n) * (x ** 2).mean(), rel=0.05)
    assert abs(var_z - x.var()) > 0.5  # the zero-mean formula would be off by the squared mean (0.64)
    # He: layer 1's pre-activations have variance 2 for standardized inputs, its activations about 0.34 of that
    first = np.mean([dyn.activation_profile(10, "relu", "he", seed=s)[0] for s in range(5)])  # the figure's mean
    assert f"{first:.2f}" == "0.66" and f"{dyn.activation_profile(10, 'relu', 'he')[0]:.2f}" == "0.66"
    # "He's drifted down by a factor of about two (0.66 to 0.37, the mean of five networks), and by up to about four"
    profiles = [dyn.activation_profile(10, "relu", "he", seed=s) for s in range(5)]
    last = np.mean([p[-1] for p in profiles])
    assert f"{last:.2f}" == "0.37" and round(first / last) == 2
    assert round(max(p[0] / p[-1] for p in profiles)) == 4
    net = dyn.MLP.create([64, 64, 1], "relu", "he", np.random.default_rng(1))
    net.forward(np.random.default_rng(2).standard_normal((4096, 64)))
    assert net.cache[0].z.var() == pytest.approx(2.0, rel=0.1)
    assert 2 / (64 + 64) == 1 / 64  # Glorot and Bengio's rule equals LeCun's on square layers
    assert f"{np.sqrt(2 / 256):.3f}" == "0.088" and f"{np.sqrt(1 / 256):.4f}" == "0.0625"
    text = text_of("training-dynamics")
    for phrase in ("\\mathrm{Var}(z) = n_{in}\\,\\mathrm{Var}(w)\\,\\mathbb{E}[x^2]", "**LeCun initialization** {cite:p}`lecun1998`",
                   "\\mathrm{Var}(w) = \\frac{2}{n_{in} + n_{out}}", "their mean square is 0.50 of",
                   "their variance only about 0.34", "$0.34 \\times 2 \\approx 0.68$", "starts at 0.66, not 1",
                   "by a factor of about two (0.66 to 0.37, the mean of five networks), and by up to about four"):
        assert phrase in text, phrase


def test_lesson6_twenty_sigmoid_layers():
    g10, g20 = dyn.gradient_profile(10, "sigmoid", "xavier"), dyn.gradient_profile(20, "sigmoid", "xavier")
    assert f"{g10[0] / g10[-1]:.0e}" == "5e-07" and 10 ** -12.5 < g20[0] / g20[-1] < 10 ** -11.5
    text = text_of("training-dynamics")
    assert "About $10^{-12}$: ten more layers" in text


@functools.lru_cache(maxsize=None)
def lesson7_run(weight_decay: float = 0.0, dropout: float = 0.0, adamw: float | None = None,
                patience: int | None = None):
    """Lesson 7's network and data (as its figures): 2-64-64-2 ReLU + He, 400 epochs of full-batch Adam at 0.01."""
    from builder.dynamics.tasks import spirals

    train, val = (spirals(100, 0.25, 1.0, rng=np.random.default_rng(1)),
                  spirals(400, 0.25, 1.0, rng=np.random.default_rng(2)))
    rng = np.random.default_rng(0)
    net = dyn.MLP.create([2, 64, 64, 2], "relu", "he", rng, dropout=dropout)
    opt = dyn.Adam(0.01) if adamw is None else dyn.AdamW(0.01, weight_decay=adamw, mask=net.weight_mask())
    history = dyn.fit(net, train, val, opt, None, 400, weight_decay=weight_decay, patience=patience, rng=rng)
    accuracy = float((net.forward(val.x, train=False).argmax(1) == val.y).mean())
    return net, history, opt, accuracy, dyn.evaluate(net, train), dyn.evaluate(net, val)


def test_lesson7_measured_runs_table():
    text = text_of("overfitting-and-regularization")
    runs = {"no regularization": lesson7_run(), "early stopping, patience 10": lesson7_run(patience=10),
            "L2 penalty, $\\lambda = 0.003$": lesson7_run(weight_decay=0.003),
            "AdamW, $\\lambda = 1$": lesson7_run(adamw=1.0), "dropout, $p = 0.5$": lesson7_run(dropout=0.5)}
    accuracies = []
    for name, (_, h, _, accuracy, train_end, val_end) in runs.items():
        val = np.array(h.val_loss)
        lowest = f"{val.min():.3f} ({int(val.argmin()) + 1})"
        end = f"{val_end:.3f}" + (f" (epoch {h.best_epoch}'s weights)" if h.stopped_epoch else "")
        row = f"| {name} | {lowest} | {end} | {train_end:.3f} |"
        assert row in text, row
        accuracies.append(accuracy)
    assert runs["early stopping, patience 10"][1].stopped_epoch == 88
    assert (f"{min(accuracies):.1%}", f"{max(accuracies):.1%}") == ("94.0%", "95.5%")
    assert "(94.0% to 95.5% across the five runs)" in text
    plain = runs["no regularization"][1]
    assert plain.val_loss[-1] > 2 * min(plain.val_loss) and f"{plain.train_loss[-1]:.3f}" == "0.001"
    assert all(runs[k][4] > 0.03 for k in runs if k != "no regularization")  # "keeping the training loss from zero"


def test_lesson7_what_adamw_changes():
    text = text_of("overfitting-and-regularization")
    l2_net, _, adam, *_ = lesson7_run(weight_decay=0.003)
    sqrt_v = np.concatenate([np.sqrt(adam.state[i]["v"] / (1 - adam.beta2 ** adam.t)).ravel()
                             for i, decays in enumerate(l2_net.weight_mask()) if decays])
    low, high = np.percentile(sqrt_v, [5, 95])
    assert (f"{low:.0e}", f"{high:.0e}") == ("7e-05", "6e-03") and 80 < high / low < 120  # "about 100 times"
    assert "between $7 \\times 10^{-5}$ and $6 \\times 10^{-3}$ for the middle 90% of the weights" in text
    assert "about 100 times harder" in text
    plain_net = lesson7_run()[0]
    weak_net, *_, weak_val = lesson7_run(adamw=0.003)
    assert f"{weak_val:.3f}" == "0.414" and weak_val > lesson7_run()[5]  # "like no regularization at all"
    for W, W0 in zip(weak_net.W, plain_net.W):
        assert abs(np.linalg.norm(W) / np.linalg.norm(W0) - 1) < 0.03
    adamw_net = lesson7_run(adamw=1.0)[0]
    norms = lambda net: tuple(f"{np.linalg.norm(W):.1f}" for W in net.W)  # noqa: E731
    assert norms(l2_net) == ("4.4", "4.4", "4.3") and norms(adamw_net) == ("4.1", "12.7", "2.6")
    assert "nearly equal norms (4.4, 4.4, 4.3)" in text and "kept more (4.1, 12.7, 2.6)" in text
    assert "$\\lambda = 1$ with $\\eta = 0.01$ takes 1% off each weight per step" in text and 1 - 0.01 * 1 == 0.99
    assert "shrinks each weight by 0.003% per step" in text and f"{0.01 * 0.003:.0e}" == "3e-05"


def test_lesson7_watching_a_run():
    """Update-to-weight ratio and activation summaries of lesson 6's 10-layer networks (SGD, step 50)."""
    task = dyn.profiles.train_task()

    def watch(act, init, lr):
        net = dyn.MLP.create([2] + [64] * 10 + [2], act, init, np.random.default_rng(0))
        params, opt, logged, losses = net.parameters(), dyn.SGD(lr), {}, []
        with np.errstate(all="ignore"):
            for step in range(101):
                loss, g = dyn.loss_and_grads(net, task.x, task.y, task.loss)
                if step in (0, 50):
                    ratio = [lr * np.linalg.norm(gw) / np.linalg.norm(W) for gw, W in zip(g.W[:10], net.W[:10])]
                    logged[step] = (np.array(ratio), [a.copy() for a in net.activations()])
                losses.append(loss)
                opt.step(params, g.flat())
        return logged, np.array(losses)

    def span(r):
        return f"{r.min():.0e} to {r.max():.0e}"

    text = text_of("overfitting-and-regularization")
    (ok, losses) = watch("relu", "he", 0.1)
    zeros = [(a <= 0).mean() for a in ok[50][1]]
    assert span(ok[50][0]) == "4e-04 to 2e-03" and 5e-4 < np.median(ok[50][0]) < 2e-3  # "around 1e-3 is healthy"
    assert (f"{min(zeros):.0%}", f"{max(zeros):.0%}", f"{losses[100]:.3f}") == ("50%", "66%", "0.052")
    slow, losses = watch("relu", "he", 0.01)
    zeros = [(a <= 0).mean() for a in slow[50][1]]
    assert span(slow[50][0]) == "2e-05 to 9e-05"
    assert (f"{min(zeros):.0%}", f"{max(zeros):.0%}", f"{losses[100]:.2f}") == ("42%", "58%", "0.28")
    fast, losses = watch("relu", "he", 1.0)
    assert span(fast[0][0]) == "1e-02 to 2e-01" and int(np.flatnonzero(~np.isfinite(losses))[0]) == 4
    frozen, losses = watch("sigmoid", "xavier", 0.1)
    acts = frozen[50][1]
    assert span(frozen[50][0]) == "3e-09 to 2e-08" and f"{losses[100]:.3f}" == "0.693"
    assert all(0.45 < a.mean() < 0.55 and ((a < 0.01) | (a > 0.99)).mean() == 0 for a in acts)  # "none stuck"
    saturated, losses = watch("sigmoid", "naive_uniform", 0.1)
    acts = saturated[50][1]
    assert saturated[50][0].max() < 2e-14 and f"{losses[100]:.2f}" == "1.51"
    assert ((acts[0] > 0.99).mean() < 0.5) and all((a > 0.99).all() for a in acts[1:])  # "layers 2 to 10 stuck at 1"
    for row in ("| ReLU, He, learning rate 0.1 | $4 \\times 10^{-4}$ to $2 \\times 10^{-3}$ | 50% to 66% of units at 0 | 0.052 |",
                "| ReLU, He, learning rate 0.01 | $2 \\times 10^{-5}$ to $9 \\times 10^{-5}$ | 42% to 58% at 0 | 0.28 |",
                "| ReLU, He, learning rate 1 | $10^{-2}$ to $2 \\times 10^{-1}$ at step 0 | | NaN from step 4 |",
                "| sigmoid, Xavier, learning rate 0.1 | $3 \\times 10^{-9}$ to $2 \\times 10^{-8}$ | mean 0.5, none stuck | 0.693 |",
                "| sigmoid, $U[0, 1]$, learning rate 0.1 | at most $10^{-14}$ | layers 2 to 10 all stuck at 1 | 1.51 |"):
        assert row in text, row


def test_quiz_numbers_lessons_1_to_5():
    """Numbers the rewritten quizzes of lessons 1 to 5 state, recomputed."""
    one = text_of("backpropagation")
    d2 = float(dyn.sigmoid_grad(np.array([2.0]))[0])
    assert f"{d2:.3f}" == "0.105" and f"{d2 ** 6:.1e}" == "1.3e-06" and f"{0.25 ** 6:.1e}" == "2.4e-04"
    assert f"{6 * 0.105:.2f}" == "0.63" and 0.5 - 0.1 * 1.2 == pytest.approx(0.38)
    assert "$0.105^6 \\approx 1.3 \\times 10^{-6}$" in one and "$0.25^6 \\approx 2.4 \\times 10^{-4}$" in one

    two = text_of("backprop-worked-example")
    case = NUMBERS["cases"]["main"]

    def loss_at(w1):
        net = two_layer({**case, "params": {**case["params"], "w1": w1}})
        return (net.forward(np.array([[2.0]]))[0, 0] - 1.0) ** 2

    assert f"{(loss_at(0.51) - loss_at(0.5)) / 0.01:.4f}" == "1.3596"
    assert f"{(loss_at(0.501) - loss_at(0.5)) / 0.001:.5f}" == "1.35636"
    net = two_layer(case)
    y_hat = net.forward(np.array([[2.0]]))[0, 0]
    stale_w2 = -0.3 - 0.1 * net.backward(np.array([[2 * (y_hat - 1.0)]])).W[1][0, 0]
    assert f"{stale_w2:.4f}" == "-0.0514"
    early = dyn.MLP([np.array([[0.5]]), np.array([[stale_w2]])], [np.array([0.1]), np.array([0.2])], activation="relu")
    early.forward(np.array([[2.0]]))  # same hidden values (z1 = a1 = 1.1); only w2 is already updated
    assert f"{early.backward(np.array([[2 * (y_hat - 1.0)]])).W[0][0, 0]:.3f}" == "0.232"
    assert "About $1.35636$" in two and "About $0.232$" in two

    four = text_of("batching-and-sgd")
    assert "typically by about 1.1, around an average of about $-5.40$" in four and "| $-5.41$ | $1.11$ |" in four
    assert "Full batch sits at the saddle with loss 0.5" in four and "a median of 30 steps" in four

    five = text_of("optimizers")
    b, a = 1.0, 10.0
    for _ in range(50):
        a, b = a - 0.021 * a, b - 0.021 * 100 * b  # SGD on L = (a^2 + 100 b^2) / 2
    assert (f"{abs(b):.0f}", f"{a:.1f}") == ("117", "3.5")
    assert "grows to about 117 in size, while $a$ has only shrunk from 10 to about 3.5" in five
    p, adam = np.array([0.0]), dyn.Adam()
    adam.step([p], [np.array([4.0])])
    before = p[0]
    adam.step([p], [np.array([4.0])])
    assert before - p[0] == pytest.approx(0.001, rel=1e-6)
    assert adam.state[0]["m"][0] == pytest.approx(0.76) and adam.state[0]["m"][0] / (1 - 0.9 ** 2) == pytest.approx(4)
    assert f"{0.001 * 0.76 / np.sqrt(adam.state[0]['v'][0]):.4f}" == "0.0042"  # without the bias correction
    assert "$\\hat{m}_2 = 0.76$ and about $0.0042$" in five
