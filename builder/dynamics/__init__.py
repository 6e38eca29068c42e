"""The numpy model behind the figures: dense networks, initializations, batch norm, optimizers, training.

Importable without plotly. The three profile functions are the contract the figures rely on.
"""

from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, get_activation, sigmoid, sigmoid_grad
from .batchnorm import batchnorm_backward, batchnorm_forward
from .init import INITS, init_weights, weight_variance
from .losses import mse, softmax, softmax_cross_entropy
from .network import MLP, Gradients
from .optimizers import (
    DEFAULT_TRAIN_LR, OPTIMIZERS, SGD, Adam, AdamW, Momentum, Optimizer, RMSProp, clip_by_norm, clip_by_value,
    global_norm, make_optimizer,
)
from .profiles import activation_profile, gradient_profile, train, train_stack, train_task
from .surfaces import (
    SURFACES, Surface, get_surface, linreg_loss, optimize_path, sgd_linreg_path, surface_grid, surface_path,
)
from .tasks import Task, line_images, linear_data, noisy_curve, spirals, teacher_regression
from .training import History, evaluate, fit, loss_and_grads, train_steps

__all__ = [
    "ACTIVATIONS", "HIDDEN_ACTIVATIONS", "INITS", "OPTIMIZERS", "DEFAULT_TRAIN_LR",
    "MLP", "Gradients", "Optimizer", "SGD", "Momentum", "RMSProp", "Adam", "AdamW", "Task", "History",
    "activation_profile", "gradient_profile", "train", "train_stack", "train_task",
    "SURFACES", "Surface", "get_surface", "optimize_path", "surface_path", "surface_grid", "linreg_loss",
    "sgd_linreg_path",
    "get_activation", "sigmoid", "sigmoid_grad", "init_weights", "weight_variance",
    "batchnorm_forward", "batchnorm_backward", "mse", "softmax", "softmax_cross_entropy",
    "make_optimizer", "clip_by_norm", "clip_by_value", "global_norm",
    "spirals", "line_images", "teacher_regression", "noisy_curve", "linear_data",
    "fit", "evaluate", "loss_and_grads", "train_steps",
]
