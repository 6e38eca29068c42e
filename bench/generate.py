#!/usr/bin/env python3
"""Synthetic course generator for the benchmark and the tests (standard library only, Python 3.11).

    python bench/generate.py --lessons N --out DIR [--seed S] [--flavor course|hugo] [--force]

`-n N` is short for `--lessons N`. The same arguments always write byte-identical files: every random
choice comes from a `random.Random` seeded with a string naming the seed and what it is for (string seeds
are hashed with SHA-512, so neither PYTHONHASHSEED nor the clock nor the locale plays a part), and nothing
iterates over a set. An existing non-empty DIR is an error unless `--force` is given, which deletes it first.

Flavors (the SAME content: same seed -> same words, formulas, callouts and links):

  course  (default) a complete project in the layout of docs/lesson-format.md, which
          `course check --strict` passes without a finding and `course build` builds:
            site.yaml, content/concepts.yaml, content/prior.yaml, content/modules/<id>.md,
            lessons/<id>/NN-slug.md
  hugo    the twin for the Hugo baseline in bench/hugo-site/ (shortcodes `callout` and
          `collapsible`, passthrough math, `relref` links; frontmatter also has `slug`,
          `module`, `position`):
            DIR/_index.md, DIR/<id>/_index.md, DIR/<id>/NN-slug.md

Structure: 8 lessons per module; module k (0-based) is "<k//9+1>.<k%9+1>" ("1.1".."1.9", "2.1", ...).

The course is ledger-consistent by construction. The lessons are planned in build order while the
generator keeps the ledger (concept -> depth and the lesson that set it), starting from prior.yaml:

  * a prerequisite needs a depth the ledger has, and its `source` is the lesson that set the ledger's
    depth. A depth below the ledger's is only asked for when that same lesson was the first to reach
    it, so "the lesson that set the current depth" and "the first lesson that reached the required
    depth" name the same lesson. No `gaps`.
  * `teaches` introduces new concepts or strictly raises a depth; never more new concepts than the
    type allows (STRETCH 3, BUILD 2, CONSOLIDATE 3), and never two STRETCH lessons in a row within a
    module.
  * 3-4 misconceptions, each `where` naming the `:name:` of a {misconception} callout in the body
    (unique site-wide); 2-3 positive and 1-2 negative examples; 3-5 modalities.
  * {concept} roles and the concept names written in the prose only name concepts the ledger has
    before the lesson or that the lesson itself needs or teaches. Concept names are built from a
    vocabulary the rest of the prose never uses, so no concept is mentioned by accident.
  * links, their #anchors (the GitHub-style slug of a heading of the target) and {lesson} roles only
    point at lessons of the course; a link's text is the target's title when the target comes
    earlier (its concepts are known by then), and a neutral phrase when it comes later.

Each lesson body: about 2,500 words of templated prose, no `# Title` (the title comes from the
frontmatter), 10 `##` sections, 2 pipe tables, about 15 inline and 6 display formulas (valid KaTeX;
a fixed pool that repeats across lessons plus parametrised ones that vary), 5 callouts of the
format's kinds, the misconception callouts, one `::::{check}`, one `::::{quiz}`, one ```python
block, 3 relative links to other lessons (one with a #heading anchor), one {lesson} role and three
{concept} roles. A lesson's text depends only on the seed and its place in the course, not on N (except
the forward links of the first lessons of a course shorter than about 10 lessons).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

LESSONS_PER_MODULE = 8
MODULES_PER_CHAPTER = 9
DEPTHS = ("MENTIONED", "INTRODUCED", "DEVELOPED")
MENTIONED, INTRODUCED, DEVELOPED = 0, 1, 2
MAX_NEW = {"STRETCH": 3, "BUILD": 2, "CONSOLIDATE": 3}
MODALITIES = ("concrete", "visual", "symbolic", "analogy", "intuitive")
SECTIONS = 10

# ----------------------------------------------------------------------------------------- vocabulary
# Prose words. None of them is a concept-name modifier (CONCEPT_MODIFIERS), so prose never names a
# concept by accident: a concept is only mentioned where the generator means to mention it.
NOUNS = (
    "gradient loss model parameter weight bias neuron layer activation input output vector matrix "
    "batch epoch step rate error variance mean distribution probability estimate sample dataset "
    "feature label prediction derivative slope curve surface minimum point value term sum product "
    "network signal threshold margin boundary optimizer schedule update iteration objective "
    "constraint solution example exercise argument definition quantity ratio factor direction "
    "scale budget baseline curvature residual trajectory region interval average"
).split()
PLURAL_EXCEPTIONS = {"bias": "biases", "matrix": "matrices", "epoch": "epochs", "minimum": "minima"}
ADJECTIVES = (
    "linear nonlinear convex smooth noisy stable unstable sparse dense stochastic deterministic "
    "discrete continuous expected empirical unbiased biased numerical analytic local global hidden "
    "shallow deep small large positive negative symmetric careful rough exact typical extreme "
    "modest steep flat narrow wide sharp gentle"
).split()
VERBS = (
    "compute derive update estimate minimize measure compare combine approximate represent "
    "train evaluate predict sample average normalize differentiate propagate scale shift project "
    "store reuse check verify plot inspect interpret explain bound control reduce amplify track "
    "dominate follow"
).split()
ADVERBS = ("quickly", "slowly", "smoothly", "rarely", "almost always", "in practice", "on average",
           "reliably", "predictably", "at once", "step by step", "without much effort", "only slowly")
PREPOSITIONS = ("for every {n}", "across the {ns}", "at each {n}", "near the {n}", "over many {ns}",
                "under a {a} {n}", "along the {n}", "between two {ns}", "inside the {n}",
                "after the first {n}", "before the next {n}", "within one {n}")
CONNECTIVES = ("In practice,", "Notice that", "As a result,", "For this reason,", "In other words,",
               "By contrast,", "Here,", "At first glance,", "More precisely,", "Put simply,",
               "On the other hand,", "Seen this way,", "Of course,", "Still,")
NUMBERS = ("two", "three", "four", "ten", "a hundred", "a thousand", "8", "16", "32", "64", "128")
CODE_NAMES = ("grad", "loss", "w", "batch_size", "eta", "np.exp", "x_train", "step", "logits", "mu")

SENTENCES = (
    "The {a} {n} {vs} the {n2} {pp}.",
    "{Conn} the {n} {vs} {adv} when the {n2} is {a}.",
    "We {v} the {n} {pp} and {v2} the {ns} that follow.",
    "If the {n} is {a}, the {n2} {vs} {adv}.",
    "A {a} {n} is one whose {ns} {v} {pp}.",
    "This is why {a} {ns} {v} {adv}.",
    "Each {n} {vs} a {a} {n2}, so the {ns} {v} {pp}.",
    "Why does the {n} {v} {pp}?",
    "With {num} {ns}, the {n} {vs} {adv}.",
    "{Conn} a {a} {n} rarely {vs} the {n2}.",
    "The {n} and the {n2} {v} together {pp}.",
    "To {v} the {n}, we first {v2} its {ns}.",
    "Think of the {n} as a {a} {n2} that {vs} {pp}.",
    "Nothing about the {n} {vs} the {n2} unless the {ns} are {a}.",
    "Once the {ns} are {a}, the {n} {vs} {adv}, and the {n2} follows.",
    "It helps to {v} the {n} before we {v2} the {n2}.",
    "Most {ns} {v} {adv}; the {a} ones {v2} {pp}.",
    "Compare a {a} {n} with a {a2} one: the first {vs} the {n2}, the second does not.",
    "{Conn} every {n} we {v} in this section is {a}.",
    "The {ns} {v} {pp}, which is exactly what a {a} {n2} needs.",
    "In code, the {n} is held in `{code}`, and we {v} it {pp}.",
    "A **{a} {n}** {vs} the {n2} {adv}.",
    "The point is not the *{n}* itself but how it {vs} the {n2}.",
    "You can {v} the {n} {adv} after you {v2} the {ns}.",
    "{Conn} the {n} {vs} the {n2}, and the {n2} {vs} the {n3}.",
)
CONCEPT_SENTENCES = (
    "The {C} {vs} the {n} {pp}.",
    "This is where the {C} earns its place: it {vs} the {n2} {adv}.",
    "Recall that the {C} {vs} each {n}.",
    "Without the {C}, the {ns} would {v} {adv}.",
    "{Conn} the {C} is what lets us {v} the {n} {pp}.",
    "We lean on the {C} to {v} the {ns}.",
)
MATH_LEADS = (", where ", ", since ", ", so that ", ", with ", ", as in ", " because ")
MATH_SENTENCES = ("In symbols, {m}.", "Write this as {m}.", "The key relation is {m}.",
                  "Concretely, {m}.", "A quick check: {m}.")

# Concept names are "<Modifier> <head>" ("Lipschitz bound"); no modifier is a prose word.
CONCEPT_MODIFIERS = (
    "Lipschitz Hessian Jacobian Nesterov Xavier Kaiming Bregman Fisher Kullback Hoeffding Chernoff "
    "Markov Bellman Gauss Newton Taylor Laplace Poisson Bernoulli Cauchy Jensen Hebbian Boltzmann "
    "Gibbs Huber Tikhonov Rademacher Vapnik Polyak Armijo Wolfe Cholesky Householder Frobenius "
    "Hadamard Kronecker Dirichlet Gumbel Wasserstein Mahalanobis Hamming Hilbert Banach Fourier "
    "Chebyshev Lagrange Karush Perron Rayleigh Schur Woodbury Hutchinson Glorot Elman Jordan Hopfield "
    "Kohonen Widrow Rosenblatt Cybenko Hornik Barron Tweedie Stein Robbins Kiefer Bayes Shannon "
    "Nadaraya Parzen Mercer Kolmogorov Levenberg Marquardt Metropolis Hastings Sinkhorn Brier Platt"
).split()
CONCEPT_HEADS = (
    "bound estimator update norm criterion trick condition inequality divergence loss schedule "
    "initialization step kernel penalty gap sampler operator decomposition regularizer expansion "
    "identity transform score matrix gradient projection momentum network rule test limit distance "
    "entropy layer activation filter process model weighting"
).split()
PRIOR_CONCEPTS = 12

LESSON_TITLES = ("{T}", "{T} in Practice", "{T} from First Principles", "Understanding the {T}",
                 "{T} Step by Step", "{T} by Example", "Why the {T} Works", "The {T} Revisited",
                 "{T} Under the Hood", "Working with the {T}", "The {T} and Its Limits",
                 "A First Look at the {T}")
SECTION_HEADS = ("Where we are", "The core idea", "A first example", "Building intuition",
                 "The formal definition", "Deriving the update", "A geometric picture",
                 "Numerical behaviour", "A worked example", "Common pitfalls", "When it breaks",
                 "Choosing the parameters", "Practice problems", "A second example", "Edge cases",
                 "Implementation notes", "Measuring the effect", "A small experiment",
                 "Reading the plots", "Connections")
CONCEPT_HEADS_TEXT = ("What the {C} measures", "The {C} in one picture", "Computing the {C} by hand",
                      "Where the {C} breaks down", "The {C} at scale")
OPENING_HEADS = ("Motivation", "Why this lesson", "The question")
CLOSING_HEADS = ("Summary", "Looking back", "Putting it together")
AREAS = ("Optimization", "Probability", "Linear Algebra", "Generalization", "Regularization",
         "Representation Learning", "Estimation", "Numerical Methods", "Kernels", "Sampling",
         "Information Theory", "Sequence Models", "Convolutions", "Initialization", "Calibration",
         "Inference", "Dynamics of Training", "Model Selection")

CALLOUT_KINDS = ("note", "tip", "warning", "insight", "analogy", "try-this", "constraint",
                 "objective", "summary", "next-step", "aside")
CALLOUT_TITLES = {
    "note": ("Why this matters", "Notation", "Remember", "Key idea"),
    "tip": ("Check your intuition", "A quick way to see it", "Try it yourself", "Shortcut"),
    "warning": ("Common mistake", "Watch the sign", "Numerical trap", "Do not confuse"),
    "insight": ("The key insight", "Why it works", "Seeing the pattern", "The big picture"),
    "analogy": ("A ball rolling downhill", "Like a thermostat", "A hiking analogy", "Like compound interest"),
    "try-this": ("Worked example", "Concrete numbers", "A tiny dataset", "Walkthrough"),
    "constraint": ("When this holds", "Assumptions", "Scope", "Limits of the method"),
    "objective": ("By the end of this section", "Goal", "What you will do", "Target skill"),
    "summary": ("In short", "Recap", "What we showed", "Takeaways"),
    "next-step": ("Where this leads", "Coming up", "Next", "Looking ahead"),
    "aside": ("Historical note", "A detour", "For the curious", "Side note"),
}
MISCONCEPTION_TITLES = ("Why the {C} misleads", "The trouble with the {C}", "A closer look at the {C}",
                        "What the {C} does not mean", "Untangling the {C}")
CLAIMS = ("The {C} always {vs} the {n}.", "A larger {n} always means a better {C}.",
          "The {C} and the {n} are the same thing.", "You can ignore the {C} when the {n} is {a}.",
          "The {C} only matters for {a} models.", "The {C} never changes the {n}.")
EXAMPLE_NAMES = ("{A} {n} with {k} {ns}", "A toy dataset of {k} {ns}", "{A} {n} after {k} steps",
                 "Two {a} {ns} side by side", "{A} {n} on a grid of {k} points")

# ----------------------------------------------------------------------------------------- formulas
# A fixed pool (repeats across lessons, as real courses do) plus parametrised templates (vary).
INLINE_FORMULAS = (
    r"\sigma(z) = \frac{1}{1+e^{-z}}",
    r"\sigma'(z) = \sigma(z)\bigl(1-\sigma(z)\bigr)",
    r"\hat{y} = \sigma(w^\top x + b)",
    r"\nabla_\theta \mathcal{L}",
    r"\eta = 0.01",
    r"p(y \mid x)",
    r"\|w\|_2^2",
    r"\mathcal{L}(\theta)",
    r"x_{t+1} = x_t - \eta \nabla f(x_t)",
    r"\alpha \in (0, 1)",
    r"O(n \log n)",
    r"\frac{\partial L}{\partial w_j}",
    r"z = Wx + b",
    r"\mathbb{E}[X] = \mu",
    r"\operatorname{ReLU}(z) = \max(0, z)",
    r"a_{ij}^{(l)}",
    r"\{x_1, \dots, x_n\}",
    r"\lambda \|w\|_1",
    r"\bar{x} = \tfrac{1}{n}\sum_i x_i",
    r"\theta^\ast = \arg\min_\theta \mathcal{L}(\theta)",
    r"\operatorname{Var}(X) = \mathbb{E}[X^2] - \mathbb{E}[X]^2",
    r"\det(A) \neq 0",
    r"A^{-1}A = I",
    r"\lim_{n \to \infty} \tfrac{1}{n} = 0",
    r"\int_0^1 x^2 \, dx = \tfrac{1}{3}",
    r"\prod_{l=1}^{L} W^{(l)}",
    r"\mathbf{x} \in \mathbb{R}^d",
    r"\langle u, v \rangle",
    r"\log p_\theta(x)",
    r"\beta_1 = 0.9",
    r"\epsilon = 10^{-8}",
    r"\sqrt{\hat{v}_t} + \epsilon",
    r"\tanh(z) = 2\sigma(2z) - 1",
    r"\mathrm{KL}(p \,\|\, q) \ge 0",
    r"f(x) \approx f(a) + f'(a)(x-a)",
    r"\Delta w = -\eta \, \partial L / \partial w",
    r"y \in \{0, 1\}",
    r"\lVert \nabla f(x) - \nabla f(y) \rVert \le L \lVert x - y \rVert",
    r"\binom{n}{k}",
    r"\hat{\mu} \pm 1.96\,\hat{\sigma}/\sqrt{n}",
)
TABLE_FORMULAS = tuple(f for f in INLINE_FORMULAS if "|" not in f)  # a `|` would split the table cell
GREEK = (r"\alpha", r"\beta", r"\gamma", r"\lambda", r"\mu", r"\sigma", r"\eta", r"\theta", r"\rho", r"\tau")
VARS = ("x", "w", "z", "h", "v", "u", "g")
SMALL = ("0.001", "0.01", "0.1", "0.5", "0.9", "0.99", "2", "10")


def _inline_variant(rng: random.Random) -> str:
    """A parametrised inline formula (small parameter spaces: some repeat, most vary)."""
    g, g2 = rng.sample(GREEK, 2)
    v, u = rng.sample(VARS, 2)
    k = rng.choice(("n", "N", "m", "k", "10", "100"))
    p = rng.randint(2, 4)
    form = rng.randrange(10)
    if form == 0:
        return rf"\frac{{{g}}}{{{g2}}}"
    if form == 1:
        return rf"\sum_{{i=1}}^{{{k}}} {v}_i^{p}"
    if form == 2:
        return rf"{v}_{{t+1}} = {v}_t - {g}\, g_t"
    if form == 3:
        return rf"\mathbb{{E}}[{v}^{{{p}}}]"
    if form == 4:
        return rf"{g} = {rng.choice(SMALL)}"
    if form == 5:
        return rf"W \in \mathbb{{R}}^{{{rng.randint(2, 5)} \times {rng.choice(('d', 'k', 'n', 'm'))}}}"
    if form == 6:
        return rf"e^{{-{g} t}}"
    if form == 7:
        return rf"\partial {v} / \partial {u}"
    if form == 8:
        return rf"{v}^{{({p})}} = \phi\bigl(W {v}^{{({p - 1})}}\bigr)"
    return rf"\hat{{{v}}}_{{{k}}} \to {v}"


DISPLAY_FORMULAS = (
    r"L(\theta) = -\frac{1}{n}\sum_{i=1}^{n}\left[y_i \log \hat{y}_i + (1-y_i)\log(1-\hat{y}_i)\right]",
    r"\sigma'(z) = \frac{e^{-z}}{(1+e^{-z})^2} = \sigma(z)\,\bigl(1-\sigma(z)\bigr)",
    "\\operatorname{ReLU}'(z) = \\begin{cases}\n  1 & \\text{if } z > 0 \\\\\n  0 & \\text{otherwise}\n\\end{cases}",
    r"\operatorname{Var}(X) = \mathbb{E}\left[(X-\mu)^2\right] = \frac{1}{n}\sum_{i=1}^{n} (x_i - \bar{x})^2",
    r"\frac{\partial L}{\partial w_j} = \frac{1}{n}\sum_{i=1}^{n} (\hat{y}_i - y_i)\, x_{ij}",
    r"\theta_{t+1} = \theta_t - \eta \, \nabla_\theta \mathcal{L}(\theta_t)",
    r"\operatorname{softmax}(z)_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}",
    r"\mathbf{h}^{(l)} = \phi\!\left(W^{(l)} \mathbf{h}^{(l-1)} + \mathbf{b}^{(l)}\right)",
    "\\begin{aligned}\n  \\mathbb{E}[aX+b] &= a\\,\\mathbb{E}[X] + b \\\\\n  \\operatorname{Var}(aX+b) &= a^2 \\operatorname{Var}(X)\n\\end{aligned}",
    r"v_{t+1} = \beta v_t + (1-\beta)\,\nabla_\theta \mathcal{L}(\theta_t), \qquad \theta_{t+1} = \theta_t - \eta\, v_{t+1}",
    "\\begin{aligned}\n  m_t &= \\beta_1 m_{t-1} + (1-\\beta_1)\\, g_t \\\\\n  v_t &= \\beta_2 v_{t-1} + (1-\\beta_2)\\, g_t^2 \\\\\n"
    "  \\theta_t &= \\theta_{t-1} - \\eta\\, \\frac{\\hat{m}_t}{\\sqrt{\\hat{v}_t} + \\epsilon}\n\\end{aligned}",
    "J = \\begin{pmatrix}\n  \\partial_1 f_1 & \\partial_2 f_1 \\\\\n  \\partial_1 f_2 & \\partial_2 f_2\n\\end{pmatrix}",
    "H = \\begin{bmatrix}\n  \\frac{\\partial^2 f}{\\partial x^2} & \\frac{\\partial^2 f}{\\partial x \\partial y} \\\\\n"
    "  \\frac{\\partial^2 f}{\\partial y \\partial x} & \\frac{\\partial^2 f}{\\partial y^2}\n\\end{bmatrix}",
    r"f(x+h) = f(x) + h f'(x) + \frac{h^2}{2} f''(x) + O(h^3)",
    r"\int_{-\infty}^{\infty} e^{-x^2/2}\,dx = \sqrt{2\pi}",
    r"p(\theta \mid x) = \frac{p(x \mid \theta)\,p(\theta)}{p(x)}",
    r"\frac{\partial L}{\partial w} = \frac{\partial L}{\partial a}\,\frac{\partial a}{\partial z}\,\frac{\partial z}{\partial w}",
    r"\mathrm{KL}(p \,\|\, q) = \sum_{x} p(x) \log \frac{p(x)}{q(x)}",
    r"\hat{x}_i = \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}, \qquad y_i = \gamma \hat{x}_i + \beta",
    r"\mathcal{L}_\lambda(w) = \mathcal{L}(w) + \frac{\lambda}{2}\|w\|_2^2",
)


def _display_variant(rng: random.Random) -> str:
    """A parametrised display formula whose numbers are worked out (so it stays true)."""
    form = rng.randrange(5)
    if form == 0:
        a, b, c, d = (rng.randint(-3, 4) for _ in range(4))
        x, y = rng.randint(-2, 3), rng.randint(-2, 3)
        return ("\\begin{bmatrix}\n  %d & %d \\\\\n  %d & %d\n\\end{bmatrix}\n\\begin{bmatrix} %d \\\\ %d \\end{bmatrix}"
                " = \\begin{bmatrix} %d \\\\ %d \\end{bmatrix}" % (a, b, c, d, x, y, a * x + b * y, c * x + d * y))
    if form == 1:
        n = rng.randint(3, 12)
        return rf"\sum_{{i=1}}^{{{n}}} i^2 = \frac{{{n}({n}+1)(2 \cdot {n}+1)}}{{6}} = {n * (n + 1) * (2 * n + 1) // 6}"
    if form == 2:
        q = rng.randint(2, 5)
        return rf"\sum_{{k=0}}^{{\infty}} \left(\frac{{1}}{{{q}}}\right)^k = \frac{{1}}{{1 - 1/{q}}} = \frac{{{q}}}{{{q - 1}}}"
    if form == 3:
        theta, eta, g = rng.choice((0.5, 1.0, 2.0)), rng.choice((0.1, 0.01)), rng.choice((2.0, -1.0, 4.0))
        return rf"\theta_1 = \theta_0 - \eta\, g_0 = {theta} - {eta} \times {g} = {round(theta - eta * g, 4)}"
    d = rng.randint(2, 4)
    return rf"\operatorname{{tr}}(I_{{{d}}}) = \sum_{{i=1}}^{{{d}}} \delta_{{ii}} = {d}"


CODE_TEMPLATES = (
    '''import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Numerically stable logistic function."""
    out = np.empty_like(z, dtype=float)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


z = np.linspace(-{a}, {a}, {n})
print(sigmoid(z).round(3))
print((sigmoid(z) * (1 - sigmoid(z))).max())  # 0.25 at z = 0''',
    '''import numpy as np

rng = np.random.default_rng({seed})
X = rng.normal(size=({n}, 3))
w_true = np.array([1.5, -2.0, 0.5])
y = (X @ w_true + rng.normal(scale=0.3, size={n}) > 0).astype(float)

w = np.zeros(3)
eta = {eta}
for step in range({steps}):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    grad = X.T @ (p - y) / len(y)
    w -= eta * grad
    if step % 50 == 0:
        loss = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))
        print(f"step={{step:4d}} loss={{loss:.4f}}")
print("learned:", w.round(2))''',
    '''from statistics import mean, pvariance

samples = [{xs}]
mu = mean(samples)
var = pvariance(samples, mu)
print(f"mean={{mu:.3f}} var={{var:.3f}}")

# Var(aX + b) = a^2 Var(X)
a, b = {a}, 3.0
scaled = [a * x + b for x in samples]
assert abs(pvariance(scaled) - a * a * var) < 1e-9''',
    '''def momentum_descent(grad, x0: float, eta: float = {eta}, beta: float = 0.9, steps: int = {steps}):
    """Gradient descent with heavy-ball momentum on a one-dimensional function."""
    x, v = x0, 0.0
    path = [x]
    for _ in range(steps):
        v = beta * v + (1 - beta) * grad(x)
        x -= eta * v
        path.append(x)
    return path


path = momentum_descent(lambda x: 2 * (x - {a}), x0=0.0)
print(f"after {{len(path) - 1}} steps: x = {{path[-1]:.4f}} (target {a})")''',
    '''import math


def softmax(logits: list[float]) -> list[float]:
    top = max(logits)
    exps = [math.exp(z - top) for z in logits]  # shift for stability
    total = sum(exps)
    return [e / total for e in exps]


logits = [{xs}]
probs = softmax(logits)
print([round(p, 3) for p in probs], round(sum(probs), 6))''',
)

# ----------------------------------------------------------------------------------------- helpers
_SLUG_DROP = re.compile(r"[^\w\- ]")


def anchor_of(heading: str) -> str:
    """A heading's id: GitHub's rule, as the builder applies it (lower case, punctuation dropped, spaces to -)."""
    return _SLUG_DROP.sub("", heading.strip().lower()).replace(" ", "-")


def slugify(text: str) -> str:
    """A lesson slug: lower-case words joined by single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def title_case(text: str) -> str:
    small = {"a", "an", "the", "of", "and", "in", "on", "by", "for", "to", "with"}
    words = text.split(" ")
    return " ".join(w if (k and w in small) else cap(w) for k, w in enumerate(words))


def plural(noun: str) -> str:
    if noun in PLURAL_EXCEPTIONS:
        return PLURAL_EXCEPTIONS[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def third_person(verb: str) -> str:
    if verb.endswith(("s", "x", "ch", "sh", "z")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


VERBS_S = {v: third_person(v) for v in VERBS}
NOUNS_PL = {n: plural(n) for n in NOUNS}

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;()'/=+?-]*")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def yaml_str(text: str) -> str:
    """A YAML scalar: plain when that reads back as the same string, else double-quoted (JSON is valid YAML)."""
    if (_PLAIN.fullmatch(text) and ": " not in text and " #" not in text and not text.endswith(":")
            and text.lower() not in _YAML_WORDS):
        return text
    return json.dumps(text, ensure_ascii=False)


def module_id(k: int) -> str:
    return f"{k // MODULES_PER_CHAPTER + 1}.{k % MODULES_PER_CHAPTER + 1}"


# ----------------------------------------------------------------------------------------- prose
class Writer:
    """Templated sentences from one random stream. `concepts` are the concept names it may mention."""

    def __init__(self, rng: random.Random, concepts: list[str] | None = None) -> None:
        self.rng = rng
        self.rand = rng.random
        self.concepts = concepts or []

    def pick(self, seq):
        return seq[int(self.rand() * len(seq))]

    def slot(self, key: str) -> str:
        pick = self.pick
        if key in ("n", "n2", "n3"):
            return pick(NOUNS)
        if key == "ns":
            return NOUNS_PL[pick(NOUNS)]
        if key in ("a", "a2"):
            return pick(ADJECTIVES)
        if key == "A":
            return cap(pick(ADJECTIVES))
        if key in ("v", "v2"):
            return pick(VERBS)
        if key == "vs":
            return VERBS_S[pick(VERBS)]
        if key == "adv":
            return pick(ADVERBS)
        if key == "pp":
            return self.fill(pick(PREPOSITIONS))
        if key == "Conn":
            return pick(CONNECTIVES)
        if key == "num":
            return pick(NUMBERS)
        if key == "code":
            return pick(CODE_NAMES)
        if key == "C":
            return pick(self.concepts)
        if key == "k":
            return str(self.rng.randint(3, 64))
        raise KeyError(key)

    def fill(self, template: str, **given: str) -> str:
        parts = template.split("{")
        out = [parts[0]]
        for part in parts[1:]:
            key, _, rest = part.partition("}")
            out.append(given[key] if key in given else self.slot(key))
            out.append(rest)
        return "".join(out)

    def sentence(self) -> str:
        if self.concepts and self.rand() < 0.08:
            return articles(cap(self.fill(self.pick(CONCEPT_SENTENCES))))
        return articles(cap(self.fill(self.pick(SENTENCES))))

    def plain(self, template: str | None = None, **given: str) -> str:
        """A sentence without Markdown (safe in titles, YAML and shortcode arguments)."""
        while True:
            text = articles(cap(self.fill(template or self.pick(SENTENCES), **given)))
            if "*" not in text and "`" not in text:
                return text

    def paragraph(self, words: int, formulas: int = 0) -> list:
        """Pieces of one paragraph: strings and ("m", tex) formulas."""
        sentences: list[list] = []
        count = 0
        while count < words:
            s = self.sentence()
            count += s.count(" ") + 1
            sentences.append([s])
        for _ in range(formulas):
            tex = pick_inline(self.rng)
            j = int(self.rand() * len(sentences))
            last = sentences[j][-1]
            if len(sentences[j]) == 1 and last.endswith(".") and self.rand() < 0.7:
                sentences[j][-1] = last[:-1] + self.pick(MATH_LEADS)
                sentences[j] += [("m", tex), "."]
            else:
                before, _, after = self.pick(MATH_SENTENCES).partition("{m}")
                sentences.insert(j + 1, [before, ("m", tex), after])
        pieces: list = []
        for k, s in enumerate(sentences):
            if k:
                pieces.append(" ")
            pieces += s
        return pieces


_A_VOWEL = re.compile(r"\b([Aa]) (?=[aeiou])")


def articles(text: str) -> str:
    """"a" before a vowel becomes "an" (every word the templates use reads that way)."""
    return _A_VOWEL.sub(r"\1n ", text)


def pick_inline(rng: random.Random) -> str:
    return rng.choice(INLINE_FORMULAS) if rng.random() < 0.6 else _inline_variant(rng)


def pick_display(rng: random.Random) -> str:
    return rng.choice(DISPLAY_FORMULAS) if rng.random() < 0.65 else _display_variant(rng)


# ----------------------------------------------------------------------------------------- the plan
@dataclass
class Concept:
    id: str
    name: str
    aliases: list[str]
    definition: str


@dataclass
class Prereq:
    concept: str
    ref: str  # what the frontmatter writes: the id, or now and then the concept's name
    depth: int
    source: str
    why: str


@dataclass
class Teach:
    concept: str
    depth: int
    notes: str | None


@dataclass
class Misconception:
    concept: str
    claim: str
    why: str
    counterexample: str
    where: str
    title: str


@dataclass
class Lesson:
    index: int
    module: str
    position: int
    type: str
    slug: str = ""
    title: str = ""
    headings: list[str] = field(default_factory=list)
    prereqs: list[Prereq] = field(default_factory=list)
    teaches: list[Teach] = field(default_factory=list)
    misconceptions: list[Misconception] = field(default_factory=list)
    examples: list[tuple[str, str, str]] = field(default_factory=list)
    modalities: list[str] = field(default_factory=list)
    summary: str = ""
    objective: str = ""
    roles: list[str] = field(default_factory=list)  # {concept} role targets
    mentions: list[str] = field(default_factory=list)  # concept names the prose may use
    slug_in_frontmatter: bool = False

    @property
    def file(self) -> str:
        return f"{self.position:02d}-{self.slug}.md"


@dataclass
class Module:
    id: str
    title: str
    goal: str
    body: list[str]
    lessons: list[Lesson]


@dataclass
class Course:
    seed: int
    concepts: list[Concept]
    prior: list[tuple[str, int, str, str]]  # concept, depth, source, module
    lessons: list[Lesson]
    modules: list[Module]

    def concept(self, cid: str) -> Concept:
        return self._by_id[cid]

    def __post_init__(self) -> None:
        self._by_id = {c.id: c for c in self.concepts}


class ConceptNames:
    """Fresh concepts in a seeded order: "<Modifier> <head>", then numbered when the pairs run out."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"{seed}:concept-names")
        pairs = [(m, h) for m in CONCEPT_MODIFIERS for h in CONCEPT_HEADS]
        rng.shuffle(pairs)
        self.pairs = pairs
        self.seed = seed
        self.used = 0

    def next(self) -> Concept:
        modifier, head = self.pairs[self.used % len(self.pairs)]
        round_no = self.used // len(self.pairs)
        self.used += 1
        name = f"{modifier} {head}" + (f" {round_no + 1}" if round_no else "")
        cid = slugify(name)
        rng = random.Random(f"{self.seed}:concept:{cid}")
        w = Writer(rng)
        aliases = [f"{modifier}'s {head}" + (f" {round_no + 1}" if round_no else "")] if rng.random() < 0.3 else []
        definition = w.plain(rng.choice((
            "A {a} " + head + " that {vs} the {n} {pp}.",
            "The " + head + " we get when we {v} the {ns} {pp}.",
            "A way to {v} the {n} so that the {ns} stay {a}.",
        )))
        if rng.random() < 0.35:
            definition = definition[:-1] + f", as in ${rng.choice(INLINE_FORMULAS)}$."
        return Concept(cid, name, aliases, definition)


def lesson_types(seed: int, n: int) -> list[str]:
    """Lesson types in build order: never two STRETCH lessons in a row within a module."""
    rng = random.Random(f"{seed}:types")
    types: list[str] = []
    for i in range(n):
        r = rng.random()
        after_stretch = i % LESSONS_PER_MODULE != 0 and types[-1] == "STRETCH"
        if after_stretch:
            types.append("BUILD" if r < 0.6 else "CONSOLIDATE")
        else:
            types.append("STRETCH" if r < 0.4 else "BUILD" if r < 0.75 else "CONSOLIDATE")
    return types


def plan_course(seed: int, n: int) -> Course:
    """Every lesson's frontmatter in build order, keeping the ledger as the builder will."""
    names = ConceptNames(seed)
    concepts: list[Concept] = []
    ledger: dict[str, tuple[int, str]] = {}  # concept -> (depth, lesson or prior source that set it)
    first_reached: dict[str, list[int]] = {}  # concept -> depths in the order they were set
    recent: list[str] = []  # known concepts, least recently touched first
    prior = []
    for k in range(PRIOR_CONCEPTS):
        c = names.next()
        concepts.append(c)
        depth = (DEVELOPED, DEVELOPED, INTRODUCED, INTRODUCED, MENTIONED, DEVELOPED)[k % 6]
        source = f"{c.id}-basics"
        prior.append((c.id, depth, source, f"0.{8 + k % 2}"))
        ledger[c.id] = (depth, source)
        first_reached[c.id] = [depth]
        recent.append(c.id)
    by_id = {c.id: c for c in concepts}
    rng = random.Random(f"{seed}:ledger")

    def pick_known(exclude: set[str], usable=lambda cid: True) -> str | None:
        for _ in range(30):
            if rng.random() < 0.2:
                cid = recent[int(rng.random() * len(recent))]
            else:
                cid = recent[-1 - min(int(rng.expovariate(1 / 8)), len(recent) - 1)]
            if cid not in exclude and usable(cid):
                return cid
        return next((cid for cid in reversed(recent) if cid not in exclude and usable(cid)), None)

    lessons: list[Lesson] = []
    slugs: set[str] = set()
    types = lesson_types(seed, n)
    for i in range(n):
        lesson = Lesson(i, module_id(i // LESSONS_PER_MODULE), i % LESSONS_PER_MODULE + 1, types[i])
        w = Writer(rng)
        # prerequisites: depths the ledger has; the source is the lesson that set the ledger's depth
        needed: set[str] = set()
        for _ in range(rng.randint(2, 4)):
            cid = pick_known(needed)
            if cid is None:
                break
            needed.add(cid)
            depth, source = ledger[cid]
            history = first_reached[cid]
            lowest = history[-2] + 1 if len(history) > 1 else 0  # below it, an older lesson got there first
            if rng.random() < 0.3:
                depth = rng.randint(lowest, depth)
            c = by_id[cid]
            ref = c.name if rng.random() < 0.05 else cid
            why = w.plain("We {v} the " + c.name + " to {v2} the {n} {pp}.")
            lesson.prereqs.append(Prereq(cid, ref, depth, source, why))
        # teaches: new concepts within the type's limit, then strict raises of known ones
        new_count = rng.choice({"STRETCH": (2, 3, 3), "BUILD": (1, 2, 2), "CONSOLIDATE": (0, 1, 1, 2, 3)}[lesson.type])
        raise_count = rng.choice({"STRETCH": (0, 1, 1), "BUILD": (1, 1, 2), "CONSOLIDATE": (1, 2, 2, 3)}[lesson.type])
        taught: set[str] = set()
        for _ in range(new_count):
            c = names.next()
            concepts.append(c)
            by_id[c.id] = c
            depth = rng.choice({"STRETCH": (MENTIONED, INTRODUCED, INTRODUCED, DEVELOPED), "BUILD": (INTRODUCED, INTRODUCED, DEVELOPED),
                                "CONSOLIDATE": (MENTIONED, INTRODUCED)}[lesson.type])
            lesson.teaches.append(Teach(c.id, depth, w.plain("Taught through {a} {ns} and one {a2} {n}.") if rng.random() < 0.4 else None))
            taught.add(c.id)
        for _ in range(raise_count):
            cid = pick_known(taught, lambda x: ledger[x][0] < DEVELOPED)
            if cid is None:
                break
            depth = rng.randint(ledger[cid][0] + 1, DEVELOPED)
            lesson.teaches.append(Teach(cid, depth, w.plain("Raised with a {a} {n} and its {ns}.") if rng.random() < 0.3 else None))
            taught.add(cid)
        if not lesson.teaches:  # every lesson teaches something; one new concept fits every type
            c = names.next()
            concepts.append(c)
            by_id[c.id] = c
            lesson.teaches.append(Teach(c.id, INTRODUCED, None))
        assert sum(1 for t in lesson.teaches if t.concept not in ledger) <= MAX_NEW[lesson.type]
        # what the body may name: what the lesson needs or teaches (all known once it has run)
        own = [p.concept for p in lesson.prereqs] + [t.concept for t in lesson.teaches]
        lesson.mentions = [by_id[cid].name for cid in own]
        roles: list[str] = []
        while len(roles) < 3:
            cid = rng.choice(own) if rng.random() < 0.6 else pick_known(set(roles))
            if cid is not None and cid not in roles:
                roles.append(cid)
        lesson.roles = roles
        # title, slug, headings
        main = by_id[lesson.teaches[0].concept]
        title = rng.choice(LESSON_TITLES).format(T=title_case(main.name))
        slug = slugify(title)
        k = 2
        while slug in slugs:
            slug = f"{slugify(title)}-{k}"
            k += 1
        slugs.add(slug)
        lesson.title, lesson.slug = title, slug
        second = by_id[rng.choice(own)].name
        middle = rng.sample(SECTION_HEADS, SECTIONS - 4) + [h.format(C=c) for h, c in
                                                            zip(rng.sample(CONCEPT_HEADS_TEXT, 2), (main.name, second))]
        rng.shuffle(middle)
        lesson.headings = [rng.choice(OPENING_HEADS)] + middle + [rng.choice(CLOSING_HEADS)]
        assert len({anchor_of(h) for h in lesson.headings}) == SECTIONS
        # pedagogy
        mw = Writer(rng, lesson.mentions)
        for k in range(rng.randint(3, 4)):
            cid = rng.choice(own)
            name = by_id[cid].name
            claim = mw.plain(rng.choice(CLAIMS), C=name)
            counter = mw.plain()
            if k == 0:
                counter = f"Take ${pick_inline(rng)}$: " + counter
            lesson.misconceptions.append(Misconception(
                cid, claim, mw.plain(), counter, f"misconception-{i + 1}-{k + 1}",
                cap(rng.choice(MISCONCEPTION_TITLES).format(C=name))))
        for kind, count in (("positive", rng.randint(2, 3)), ("negative", rng.randint(1, 2))):
            for _ in range(count):
                lesson.examples.append((w.plain(rng.choice(EXAMPLE_NAMES)).rstrip("."), kind,
                                        w.plain("Shows how the {n} {vs} the {n2} {pp}.")))
        lesson.modalities = [MODALITIES[k] for k in sorted(rng.sample(range(len(MODALITIES)), rng.randint(3, 5)))]
        lesson.summary = mw.plain(rng.choice((
            "How the {C} {vs} the {n}, and why it matters {pp}.",
            "The {C} from a {a} {n} to a {a2} {n2}.",
            "What the {C} is, how to {v} it, and when it {vs} the {n}.",
        )), C=main.name)
        if rng.random() < 0.2:
            lesson.summary = lesson.summary[:-1] + f", with ${pick_inline(rng)}$."
        lesson.objective = mw.plain(rng.choice((
            "{V} the {C} for a {a} {n} and {v2} its {ns}.",
            "{V} and {v2} the {C} {pp}.",
            "Use the {C} to {v} the {n} {pp}.",
        )), C=main.name, V=cap(rng.choice(VERBS)))
        lesson.slug_in_frontmatter = rng.random() < 0.1
        lessons.append(lesson)
        # the lesson has run: the ledger takes what it teaches
        for t in lesson.teaches:
            ledger[t.concept] = (t.depth, slug)
            first_reached.setdefault(t.concept, []).append(t.depth)
        for cid in own:
            if cid in recent:
                recent.remove(cid)
            recent.append(cid)

    modules: list[Module] = []
    for start in range(0, n, LESSONS_PER_MODULE):
        mid = module_id(start // LESSONS_PER_MODULE)
        group = lessons[start:start + LESSONS_PER_MODULE]
        mrng = random.Random(f"{seed}:module:{mid}")
        w = Writer(mrng)
        first = by_id[group[0].teaches[0].concept].name
        last = by_id[group[-1].teaches[0].concept].name
        a, b = mrng.sample(AREAS, 2)
        body = [f"This module starts from the **{first}** and ends with the **{last}**.",
                " ".join(w.sentence() for _ in range(5)), " ".join(w.sentence() for _ in range(5))]
        goal = w.plain("{V} the {n} and {v2} the {ns} {pp}.", V=cap(mrng.choice(VERBS)))
        modules.append(Module(mid, f"{a} and {b}", goal, body, group))
    return Course(seed, concepts, prior, lessons, modules)


# ----------------------------------------------------------------------------------------- the bodies
# A body is a list of blocks; inline text is a list of pieces: str, ("m", tex), ("concept", id),
# ("lesson", index), ("link", index, anchor or "", text). The flavors render the same blocks.

def link_targets(course: Course, lesson: Lesson) -> list[int]:
    """Lessons to link to: earlier ones (recent ones most), later ones while there are too few earlier."""
    i, n = lesson.index, len(course.lessons)
    rng = random.Random(f"{course.seed}:links:{i}")
    earlier = list(range(max(0, i - 24), i))
    later = list(range(i + 1, min(n, i + 9)))
    pool = earlier if len(earlier) >= 3 else earlier + later
    if not pool:
        return []
    return [rng.choice(pool) for _ in range(4)]  # three links and one {lesson} role


def lesson_blocks(course: Course, lesson: Lesson) -> list[tuple]:
    rng = random.Random(f"{course.seed}:body:{lesson.index}")
    w = Writer(rng, lesson.mentions)
    targets = link_targets(course, lesson)
    lrng = random.Random(f"{course.seed}:anchors:{lesson.index}")

    # where things go (sections 0..9)
    display_at = set(rng.sample(range(SECTIONS), 6))
    table_at = rng.sample(range(1, SECTIONS - 1), 2)
    code_at = rng.randrange(2, SECTIONS - 1)
    callout_at = rng.sample(range(SECTIONS), 5)
    callout_kinds = rng.sample(CALLOUT_KINDS, 5)
    misconception_at = [rng.randrange(1, SECTIONS) for _ in lesson.misconceptions]
    check_at = rng.randrange(2, 6)
    quiz_at = rng.randrange(6, SECTIONS)
    link_at = rng.sample(range(SECTIONS), 3)
    role_at = [rng.randrange(SECTIONS) for _ in lesson.roles]
    lesson_role_at = rng.randrange(SECTIONS)
    inline_at = [0] * SECTIONS
    for _ in range(rng.randint(9, 11)):
        inline_at[rng.randrange(SECTIONS)] += 1

    blocks: list[tuple] = [("p", w.paragraph(60))]
    for s, heading in enumerate(lesson.headings):
        blocks.append(("h", heading))
        paras = rng.randint(2, 3)
        for p in range(paras):
            para = w.paragraph(102 // paras, inline_at[s] if p == 0 else 0)
            if p == paras - 1:
                for k, at in enumerate(link_at):
                    if at == s and targets:
                        t = course.lessons[targets[k]]
                        anchor = anchor_of(lrng.choice(t.headings)) if k == 0 else ""
                        if t.index < lesson.index:
                            para += [" For background, see ", ("link", t.index, anchor, t.title), "."]
                        else:
                            para += [" We come back to this in ", ("link", t.index, anchor, "a later lesson"), "."]
                for k, at in enumerate(role_at):
                    if at == s:
                        before, _, after = rng.choice(("This builds on {r}.", "Keep {r} in mind here.",
                                                       "Recall {r} from earlier.", "Compare this with {r}.")).partition("{r}")
                        para += [" " + before, ("concept", lesson.roles[k]), after]
                if lesson_role_at == s and targets:
                    para += [" See also ", ("lesson", targets[3]), "."]
            blocks.append(("p", para))
            if p == 0 and s in display_at:
                blocks.append(("math", pick_display(rng)))
        if s in table_at:
            blocks.append(("p", [f"The table collects the {plural(w.pick(NOUNS))} of this section."]))
            blocks.append(table(rng, w, with_formula=s == table_at[0]))
        if s == code_at:
            blocks.append(("p", w.paragraph(25)))
            blocks.append(("code", "python", code(rng)))
        if s in callout_at:
            k = callout_at.index(s)
            kind = callout_kinds[k]
            title = rng.choice(CALLOUT_TITLES[kind]) if rng.random() < 0.9 else None
            paras = [w.paragraph(40, 1 if k < 2 else 0)]
            if rng.random() < 0.4:
                paras.append(w.paragraph(20))
            blocks.append(("callout", kind, title, None, paras))
        for k, at in enumerate(misconception_at):
            if at == s:
                m = lesson.misconceptions[k]
                blocks.append(("callout", "misconception", m.title, m.where,
                               [[m.claim + " "] + w.paragraph(35, 1 if k == 0 else 0)]))
        if s == check_at:
            question = w.plain(rng.choice(("Why does the {C} {v} the {n} when the {n2} is {a}?",
                                           "What happens to the {n} if we {v} the {ns} {pp}?",
                                           "How would you {v} the {C} for a {a} {n}?")))
            blocks.append(("check", question, [w.paragraph(40, 1), w.paragraph(25)]))
        if s == quiz_at:
            name = rng.choice(lesson.mentions)
            question = f"Which statement about the {name} is right?"
            right = rng.randrange(3)
            choices = [(w.plain("The {C} {vs} the {n} {pp}.", C=name), k == right) for k in range(3)]
            blocks.append(("quiz", question, w.paragraph(20), choices, [w.paragraph(40, 1)]))
    return blocks


def table(rng: random.Random, w: Writer, with_formula: bool) -> tuple:
    if rng.random() < 0.5:
        cols = ["Symbol", "Meaning", "Typical value", "Shape", "Notes"]
        rows = [[[f"`{rng.choice(('w', 'b', 'x', 'y', 'eta', 'lam', 'z', 'p', 'n', 'k', 'mu'))}`"],
                 [f"{w.pick(ADJECTIVES)} {w.pick(NOUNS)}"], [f"{rng.uniform(0.001, 10):.3g}"],
                 [f"({rng.choice('n1dk')}, {rng.choice('1dkm')})"],
                 [" ".join(w.pick(NOUNS) for _ in range(rng.randint(3, 6)))]] for _ in range(6)]
    else:
        cols = ["Setting", "Value", "Effect", "When to use it"]
        rows = [[[f"{w.pick(ADJECTIVES)} {w.pick(NOUNS)}"], [rng.choice(SMALL)],
                 [f"{VERBS_S[w.pick(VERBS)]} the {w.pick(NOUNS)}"],
                 [f"when the {w.pick(NOUNS)} is {w.pick(ADJECTIVES)}"]] for _ in range(5)]
    if with_formula:
        r = rng.randrange(len(rows))
        rows[r][-1] = rows[r][-1] + [", e.g. ", ("m", rng.choice(TABLE_FORMULAS))]
    return ("table", cols, rows)


def code(rng: random.Random) -> str:
    return rng.choice(CODE_TEMPLATES).format(
        a=rng.randint(2, 8), n=rng.choice((5, 7, 9, 200, 500)), seed=rng.randint(0, 9999),
        eta=rng.choice((0.05, 0.1, 0.5)), steps=rng.choice((200, 300, 500)),
        xs=", ".join(f"{rng.uniform(-3, 3):.2f}" for _ in range(rng.randint(4, 8))))


# ----------------------------------------------------------------------------------------- flavors
class CourseFlavor:
    """MyST colon fences, $ / $$ math, {concept} and {lesson} roles, relative .md links."""

    name = "course"

    def __init__(self, course: Course) -> None:
        self.course = course

    def href(self, here: Lesson, there: Lesson, anchor: str) -> str:
        return f"../{there.module}/{there.file}" + (f"#{anchor}" if anchor else "")

    def piece(self, piece, here: Lesson) -> str:
        if isinstance(piece, str):
            return piece
        kind = piece[0]
        if kind == "m":
            return f"${piece[1]}$"
        if kind == "link":
            return f"[{piece[3]}]({self.href(here, self.course.lessons[piece[1]], piece[2])})"
        return self.role(piece, here)

    def role(self, piece, here: Lesson) -> str:
        if piece[0] == "concept":
            return f"{{concept}}`{piece[1]}`"
        return f"{{lesson}}`{self.course.lessons[piece[1]].slug}`"

    def text(self, pieces: list, here: Lesson) -> str:
        return "".join(self.piece(p, here) for p in pieces)

    def callout(self, kind: str, title: str | None, name: str | None, paras: list[str]) -> list[str]:
        head = f":::{{{kind}}}" + (f" {title}" if title else "")
        return [head] + ([f":name: {name}"] if name else []) + "\n\n".join(paras).split("\n") + [":::"]

    def check(self, question: str, paras: list[str], probes: list[str] = (), assesses: list[str] = ()) -> list[str]:
        options = ([f":probes: {', '.join(probes)}"] if probes else []) + ([f":assesses: {', '.join(assesses)}"] if assesses else [])
        return [f"::::{{check}} {question}", *options, ":::{answer}", *"\n\n".join(paras).split("\n"), ":::", "::::"]

    def quiz(self, question: str, prompt: str, choices: list[tuple[str, bool]], paras: list[str],
             probes: list[str] = (), assesses: list[str] = ()) -> list[str]:
        """`probes`: the misconception each wrong choice probes, in order."""
        wrong = iter(probes)
        lines = []
        for text, ok in choices:
            where = None if ok else next(wrong, None)
            lines.append(f"- [{'x' if ok else ' '}] {text}" + (f" {{misconception}}`{where}`" if where else ""))
        options = [f":assesses: {', '.join(assesses)}"] if assesses else []
        return ([f"::::{{quiz}} {question}", *options, prompt, ""] + lines
                + ["", ":::{answer}", *"\n\n".join(paras).split("\n"), ":::", "::::"])

    def frontmatter_extra(self, lesson: Lesson) -> list[str]:
        return [f"slug: {lesson.slug}", f"position: {lesson.position}"] if lesson.slug_in_frontmatter else []


class HugoFlavor(CourseFlavor):
    """`{{% callout kind "Title" %}}` / `{{% collapsible "Q" %}}` shortcodes, passthrough math, relref links."""

    name = "hugo"

    def href(self, here: Lesson, there: Lesson, anchor: str) -> str:
        return f'{{{{< relref "/{there.module}/{there.file}' + (f"#{anchor}" if anchor else "") + '" >}}'

    def role(self, piece, here: Lesson) -> str:
        if piece[0] == "concept":
            return f"*{self.course.concept(piece[1]).name}*"
        there = self.course.lessons[piece[1]]
        return f"[{there.title}]({self.href(here, there, '')})"

    def callout(self, kind: str, title: str | None, name: str | None, paras: list[str]) -> list[str]:
        shown = title or cap(kind.replace("-", " "))
        return [f'{{{{% callout {kind} "{shown}" %}}}}', "", *"\n\n".join(paras).split("\n"), "", "{{% /callout %}}"]

    def check(self, question: str, paras: list[str], probes: list[str] = (), assesses: list[str] = ()) -> list[str]:
        return [f'{{{{% collapsible "{question}" %}}}}', "", *"\n\n".join(paras).split("\n"), "", "{{% /collapsible %}}"]

    def quiz(self, question: str, prompt: str, choices: list[tuple[str, bool]], paras: list[str],
             probes: list[str] = (), assesses: list[str] = ()) -> list[str]:
        return ([f'{{{{% callout quiz "{question}" %}}}}', "", prompt, ""]
                + [f"- [{'x' if ok else ' '}] {text}" for text, ok in choices]
                + ["", '{{% collapsible "Answer" %}}', "", *"\n\n".join(paras).split("\n"), "", "{{% /collapsible %}}",
                   "", "{{% /callout %}}"])

    def frontmatter_extra(self, lesson: Lesson) -> list[str]:
        return [f"slug: {lesson.slug}", f"module: {json.dumps(lesson.module)}", f"position: {lesson.position}"]


QUIZ_PROBES = 2
"""The quiz's two wrong choices probe the first two misconceptions; the check probes the rest."""


def render_body(blocks: list[tuple], flavor: CourseFlavor, lesson: Lesson) -> str:
    out: list[str] = []
    wheres = [m.where for m in lesson.misconceptions]
    deepest = [t.concept for t in lesson.teaches if t.depth == len(DEPTHS) - 1]  # the quiz assesses them
    for block in blocks:
        kind = block[0]
        if kind == "h":
            out.append(f"## {block[1]}")
        elif kind == "p":
            out.append(flavor.text(block[1], lesson))
        elif kind == "math":
            out.append(f"$$\n{block[1]}\n$$")
        elif kind == "table":
            _, cols, rows = block
            lines = ["| " + " | ".join(cols) + " |", "|" + "|".join(" --- " for _ in cols) + "|"]
            lines += ["| " + " | ".join(flavor.text(cell, lesson) for cell in row) + " |" for row in rows]
            out.append("\n".join(lines))
        elif kind == "code":
            out.append(f"```{block[1]}\n{block[2]}\n```")
        elif kind == "callout":
            _, ck, title, name, paras = block
            out.append("\n".join(flavor.callout(ck, title, name, [flavor.text(p, lesson) for p in paras])))
        elif kind == "check":
            out.append("\n".join(flavor.check(block[1], [flavor.text(p, lesson) for p in block[2]],
                                              probes=wheres[QUIZ_PROBES:])))
        elif kind == "quiz":
            _, question, prompt, choices, paras = block
            out.append("\n".join(flavor.quiz(question, flavor.text(prompt, lesson), choices,
                                             [flavor.text(p, lesson) for p in paras], probes=wheres[:QUIZ_PROBES],
                                             assesses=deepest)))
    return "\n\n".join(out) + "\n"


def render_frontmatter(lesson: Lesson, flavor: CourseFlavor) -> str:
    fm = [f"title: {yaml_str(lesson.title)}"]
    if flavor.name == "hugo":
        fm += flavor.frontmatter_extra(lesson)
    fm.append(f"type: {lesson.type}")
    if flavor.name == "course":
        fm += flavor.frontmatter_extra(lesson)
    fm += [f"summary: {yaml_str(lesson.summary)}", f"objective: {yaml_str(lesson.objective)}", "prerequisites:"]
    for p in lesson.prereqs:
        fm += [f"  - concept: {yaml_str(p.ref)}", f"    depth: {DEPTHS[p.depth]}", f"    source: {p.source}",
               f"    why: {yaml_str(p.why)}"]
    fm.append("teaches:")
    for t in lesson.teaches:
        fm += [f"  - concept: {t.concept}", f"    depth: {DEPTHS[t.depth]}"]
        if t.notes:
            fm.append(f"    notes: {yaml_str(t.notes)}")
    fm.append("misconceptions:")
    for m in lesson.misconceptions:
        fm += [f"  - claim: {yaml_str(m.claim)}", f"    why: {yaml_str(m.why)}",
               f"    counterexample: {yaml_str(m.counterexample)}", f"    where: {m.where}"]
    fm.append("examples:")
    for name, kind, purpose in lesson.examples:
        fm += [f"  - name: {yaml_str(name)}", f"    kind: {kind}", f"    purpose: {yaml_str(purpose)}"]
    fm.append(f"modalities: [{', '.join(lesson.modalities)}]")
    return "---\n" + "\n".join(fm) + "\n---\n"


# ----------------------------------------------------------------------------------------- files
def site_yaml(course: Course) -> str:
    ids = ", ".join(json.dumps(m.id) for m in course.modules)
    return (f"title: Synthetic Course ({len(course.lessons)} lessons, seed {course.seed})\n"
            "description: Generated by bench/generate.py for benchmarks and tests; every lesson is ledger-consistent.\n"
            "base_url: /\n"
            "output: _site\n"
            f"modules: [{ids}]\n"
            "depths: [MENTIONED, INTRODUCED, DEVELOPED]\n"
            "rules:\n"
            "  max_new_concepts: {STRETCH: 3, BUILD: 2, CONSOLIDATE: 3}\n"
            "  adjacent_stretch: error\n"
            "  min_misconceptions: 3\n"
            "  min_examples: {positive: 2, negative: 1}\n"
            "  min_modalities: 3\n")


def concepts_yaml(course: Course) -> str:
    lines = []
    for c in course.concepts:
        lines += [f"{c.id}:", f"  name: {yaml_str(c.name)}"]
        if c.aliases:
            lines.append(f"  aliases: [{', '.join(json.dumps(a) for a in c.aliases)}]")
        lines.append(f"  definition: {yaml_str(c.definition)}")
    return "\n".join(lines) + "\n"


def prior_yaml(course: Course) -> str:
    lines = []
    for concept, depth, source, module in course.prior:
        lines += [f"- concept: {concept}", f"  depth: {DEPTHS[depth]}", f"  source: {source}", f"  module: {json.dumps(module)}"]
    return "\n".join(lines) + "\n"


def course_files(course: Course, flavor_name: str) -> dict[str, str]:
    """Relative path -> text of every file of the flavor."""
    flavor = (HugoFlavor if flavor_name == "hugo" else CourseFlavor)(course)
    files: dict[str, str] = {}
    for module in course.modules:
        if flavor_name == "hugo":
            files[f"{module.id}/_index.md"] = (f"---\ntitle: {json.dumps(module.title)}\ngoal: {yaml_str(module.goal)}\n---\n\n"
                                               + "\n\n".join(module.body) + "\n")
        else:
            files[f"content/modules/{module.id}.md"] = (f"---\ntitle: {yaml_str(module.title)}\ngoal: {yaml_str(module.goal)}\n---\n"
                                                        + "\n\n".join(module.body) + "\n")
        for lesson in module.lessons:
            text = render_frontmatter(lesson, flavor) + render_body(lesson_blocks(course, lesson), flavor, lesson)
            files[f"{lesson.module}/{lesson.file}" if flavor_name == "hugo" else f"lessons/{lesson.module}/{lesson.file}"] = text
    if flavor_name == "hugo":
        lines = ["---", 'title: "Course"', "---", "", f"{len(course.lessons)} lessons in {len(course.modules)} modules."]
        for module in course.modules:
            lines += ["", f"## {module.id} {module.title}", ""]
            lines += [f"- [{lesson.title}]({flavor.href(lesson, lesson, '')})" for lesson in module.lessons]
        files["_index.md"] = "\n".join(lines) + "\n"
    else:
        files["site.yaml"] = site_yaml(course)
        files["content/concepts.yaml"] = concepts_yaml(course)
        files["content/prior.yaml"] = prior_yaml(course)
    return files


def generate(lessons: int, out: Path, seed: int = 1, flavor: str = "course") -> tuple[int, int]:
    """Write the course to `out` (which must not hold files); (files, bytes) written."""
    course = plan_course(seed, lessons)
    total = 0
    files = course_files(course, flavor)
    for rel in sorted(files):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = files[rel].encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return len(files), total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="See the module docstring (bench/generate.py) for what is generated.")
    parser.add_argument("--lessons", "-n", type=int, required=True, help="number of lessons (8 per module)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (absent or empty unless --force)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--flavor", choices=("course", "hugo"), default="course", help="course project or Hugo content")
    parser.add_argument("--force", action="store_true", help="delete OUT first when it is not empty")
    args = parser.parse_args(argv)
    if args.lessons < 1:
        parser.error("--lessons must be at least 1")
    out: Path = args.out
    if out.exists() and not out.is_dir():
        parser.error(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not args.force:
            parser.error(f"{out} is not empty (old files would mix with the new course); use --force to replace it")
        here = Path.cwd().resolve()
        target = out.resolve()
        if target == Path(target.anchor) or target == Path.home().resolve() or here.is_relative_to(target):
            parser.error(f"refusing to delete {out}: it is the root, the home folder or holds the working directory")
        shutil.rmtree(out)
    files, total = generate(args.lessons, out, args.seed, args.flavor)
    print(f"wrote {args.lessons} lessons ({files} files, {total} bytes) to {out} [flavor={args.flavor}, seed={args.seed}]",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
