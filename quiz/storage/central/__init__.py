"""The central store: a PostgreSQL database where the clinics' results meet (issue 16).

The terminal keeps its SQLite store and saves every answer there first; attempts are
sent whole to the central store (`push`), and a manager's reports run on a local
SQLite mirror of what the server lets their role read (`pull`), with the report code
of the SQLite store. The PostgreSQL side is the numbered SQL files of `sql/`, applied
by `migrations`; `connection` opens a connection and says plainly what is wrong with a
URL, a password or a server.

These modules are the only ones that import psycopg (checked by
tests/test_central_boundary.py), and only inside functions: importing this package
loads nothing of it, so a URL that is never used costs nothing.
"""
