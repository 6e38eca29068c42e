"""Finding concept mentions in prose: names and aliases, plurals, whole words, longest first, never in code, math,
URLs or roles, at the right line and column."""

from __future__ import annotations

import random

import pytest

from builder.markup import make_parser
from builder.markup.mentions import FEW_PAGES, MentionFinder

FORMS = {
    "gd": ("Gradient descent",),
    "sgd": ("Stochastic gradient descent", "SGD"),
    "batch": ("Batch",),
    "loss": ("Loss",),
    "ce": ("Cross-entropy", "log loss"),
    "bias": ("Bias",),
}


def mentions(text: str, forms=FORMS) -> dict[str, tuple[int, int, str]]:
    tokens = make_parser().parse(text, {})
    return {m.concept: (m.pos.line, m.pos.column, m.written) for m in MentionFinder(forms).first_mentions(tokens, text)}


def test_whole_words_case_insensitive_with_plurals():
    found = mentions("Two batches and a LOSS.\n\nThe biases move.\n")
    assert found == {"batch": (1, 5, "batches"), "loss": (1, 19, "LOSS"), "bias": (3, 5, "biases")}
    assert mentions("Batching, a mini-batch, a batch-norm layer, lossless, Crossentropy.\n") == {}


def test_the_longest_name_wins_and_matches_do_not_overlap():
    found = mentions("We run stochastic gradient descent, then plain gradient descent.\n")
    assert found == {"sgd": (1, 8, "stochastic gradient descent"), "gd": (1, 48, "gradient descent")}


def test_a_name_across_a_line_break_and_an_alias():
    found = mentions("The log\nloss of the model, and SGD.\n")
    assert found["ce"] == (1, 5, "log loss") and found["sgd"][:2] == (2, 24)


def test_not_in_code_math_urls_or_roles():
    text = ("`loss` and $\\text{batch}$ and [a page](https://x.org/batch) and {concept}`bias` and {lesson}`sgd`.\n\n"
            "```\ngradient descent\n```\n\n$$\\text{Cross-entropy}$$\n")
    assert mentions(text) == {}


def test_link_text_headings_tables_and_directive_titles_are_prose():
    text = ("# About the loss\n\n| Name | Bias |\n|---|---|\n| x | y |\n\n[plain SGD](https://x.org)\n\n"
            ":::{note} Batch sizes\nCross-entropy here.\n:::\n")
    found = mentions(text)
    assert found["loss"][:2] == (1, 13) and found["bias"][:2] == (3, 10) and found["sgd"][:2] == (7, 8)
    assert found["batch"][:2] == (9, 11) and found["ce"][:2] == (10, 1)


def test_the_first_mention_is_reported_once_in_reading_order():
    found = mentions("A loss here.\n\nAnother loss there.\n")
    assert found == {"loss": (1, 3, "loss")}


def test_no_forms_no_mentions():
    assert mentions("Anything at all.\n", forms={}) == {}


TRICKY = {
    "lip": ("Lipschitz's transform", "Lipschitz"), "km": ("k-means",), "fx": ("f(x) loss",), "paren": ("(x)",),
    "nb": ("naïve Bayes",), "street": ("Straße",), "bn": ("batch_norm",), "amp": ("R&D",), "gd": ("Gradient descent",),
    "sgd": ("Stochastic gradient descent",), "cache": ("Cache",), "loss": ("Loss",),
}
PIECES = ["Lipschitz's", "transform", "transforms", "LIPSCHITZ", "k-means", "K-MEANS", "k", "means", "f(x)", "loss",
          "losses", "(x)", "x", "naïve", "naive", "Bayes", "STRASSE", "Straße", "batch\\_norm", "batch_norm", "R&amp;D",
          "R&D", "&#76;oss", "gradient", "descent", "descents", "stochastic", "caches", "cache-", "-cache", "`loss`",
          "$x$", "{concept}`loss`", "*gradient* descent", "[Loss](https://x.org)", ",", ".", "'", "s", "es", "\n", "\n\n"]


@pytest.mark.parametrize("seed", range(40))
def test_a_page_matched_with_its_possible_names_alone_finds_what_all_names_find(seed):
    """The first pages a finder reads are matched with a pattern of the names they may hold (compiling all of a large
    course's names costs more than reading one page): on any text, that finds exactly what the whole pattern finds."""
    rng = random.Random(seed)
    text = " ".join(rng.choice(PIECES) for _ in range(rng.randint(5, 60)))
    tokens = make_parser().parse(text, {})
    whole = MentionFinder(TRICKY)
    whole._read = FEW_PAGES  # the next page is matched with every name's pattern
    assert MentionFinder(TRICKY).first_mentions(tokens, text) == whole.first_mentions(tokens, text)
