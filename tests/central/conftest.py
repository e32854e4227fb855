"""The central store's tests run against a real PostgreSQL: the `pg_cluster` and
`central` fixtures are in tests/conftest.py, shared with the store tests that run
against both stores (tests/support/backends.py)."""
