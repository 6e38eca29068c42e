"""The pipeline's stages after loading and checking: render lessons, typeset math, compute figures, render pages."""
