"""The small core every stage shares: the dataset, problems and messages, Russian formatting, safe files."""
