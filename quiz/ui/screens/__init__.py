"""Screens of the quiz app, one module a screen."""
