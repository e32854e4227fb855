"""Tests of the domain, the store and the commands, without Textual."""
