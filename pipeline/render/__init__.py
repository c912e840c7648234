"""Render: every carrier's documents from its template, the proof, and the checks a real client makes."""
