"""Learner assessment beside the model: each learner's dynamics and results against the program's expectations."""
