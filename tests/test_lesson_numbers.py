"""Numbers the lessons state, recomputed with the dynamics model (builder.dynamics) and found in the text."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import yaml

import builder.dynamics as dyn
from conftest import REPO

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


def test_sigmoid_bound_and_powers_in_lesson6():
    z = np.linspace(-10, 10, 20001)
    assert dyn.sigmoid_grad(z).max() == pytest.approx(0.25)
    assert f"{0.25 ** 10:.1e}" == "9.5e-07"
    text = text_of("training-dynamics")
    assert "0.25^{10} \\approx 9.5 \\times 10^{-7}" in text and "2^{10} = 1024" in text


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
