"""BLAKE2b, without importing hashlib: hashlib imports OpenSSL's hashes as well (~1 ms),
on the way to the first frame (quiz.ui.textual_seams) and to the course (quiz.domain.
course_cache). CPython builds BLAKE2 in; hashlib's where it is left out."""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # a Python built without its own hashes
    from hashlib import blake2b

__all__ = ["blake2b"]
