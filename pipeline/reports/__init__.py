"""Monitoring and management reports: dynamics, expected vs achieved, completeness, summary, director's page.

Kept import-light: the learner card carrier imports `pipeline.assessment.dynamics`, and the registry
imports the card, so nothing here may import the registry at module level.
"""
