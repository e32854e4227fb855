"""quiz: a terminal training quiz for aesthetic clinics."""

__version__ = "0.1.0"
