"""The course model, loading and validation, and the quiz session. Stdlib and PyYAML only."""
