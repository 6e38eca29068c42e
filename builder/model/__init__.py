"""The types that pass between the stages: plain frozen values, no I/O."""
