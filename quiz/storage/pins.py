"""PINs in the store: learners' and managers', as salted scrypt hashes, never the PIN.

Each hash is `hashlib.scrypt(pin, salt=16 random bytes, n, r, p)`, kept with its salt
and its parameters (so new PINs can be made with stronger ones while old ones still
check). Wrong PINs in a row are counted per learner or manager (pin_failure); the rules
(how many are free, how long the wait grows) are quiz.domain.identity's, and the time
is the caller's clock (`now`), so tests move it.

Every function here runs inside the caller's transaction (ScoreStore).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from quiz.domain.identity import Failures, PinCheck, check_new_pin, judged
from quiz.domain.text import learner_key
from quiz.storage.codec import from_ms, to_ms

Role = Literal["learner", "manager"]

SALT_BYTES = 16


@dataclass(frozen=True)
class ScryptParams:
    """scrypt's cost: n (CPU/memory, a power of 2), r (block size), p (parallelism)."""

    n: int = 2**14
    r: int = 8
    p: int = 1


DEFAULT_PARAMS = ScryptParams()
"""16 MiB and some 50 ms a hash: slow for a guesser, quick for a dialog."""


@dataclass(frozen=True)
class PinHash:
    salt: bytes
    digest: bytes
    params: ScryptParams


def hash_pin(pin: str, params: ScryptParams = DEFAULT_PARAMS) -> PinHash:
    """A new salted hash of `pin`."""
    salt = secrets.token_bytes(SALT_BYTES)
    return PinHash(salt, _scrypt(pin, salt, params), params)


def matches(pin: str, stored: PinHash) -> bool:
    """Whether `pin` is the PIN of `stored` (compared in constant time)."""
    return hmac.compare_digest(_scrypt(pin, stored.salt, stored.params), stored.digest)


def _scrypt(pin: str, salt: bytes, params: ScryptParams) -> bytes:
    return hashlib.scrypt(
        pin.strip().encode(),
        salt=salt,
        n=params.n,
        r=params.r,
        p=params.p,
        maxmem=256 * params.n * params.r + (1 << 20),
        dklen=32,
    )


class UnknownManager(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"There is no manager called {name!r}. 'quiz managers list' lists them.")
        self.message = str(self.args[0])


@dataclass(frozen=True)
class ManagerInfo:
    name: str
    added_at: datetime


# --- learners ---------------------------------------------------------------------------


def _learner_hash(connection: sqlite3.Connection, key: str) -> PinHash | None:
    row = connection.execute(
        """SELECT p.salt, p.hash, p.n, p.r, p.p FROM learner_pin p
           JOIN learner l ON l.id = p.learner WHERE l.key = ?""",
        (key,),
    ).fetchone()
    return None if row is None else PinHash(bytes(row[0]), bytes(row[1]), ScryptParams(*row[2:]))


def learner_has_pin(connection: sqlite3.Connection, name: str) -> bool:
    key = learner_key(name)
    return bool(key) and _learner_hash(connection, key) is not None


def set_learner_pin(
    connection: sqlite3.Connection,
    name: str,
    pin: str,
    *,
    by: Role,
    now: datetime,
    params: ScryptParams = DEFAULT_PARAMS,
) -> None:
    """Give learner `name` the PIN `pin` (replacing hers), adding the learner if she
    has no attempt yet; her wrong-PIN count starts again. Raises PinRefused."""
    pin = check_new_pin(pin)
    key = learner_key(name)
    if not key:
        raise ValueError("a PIN needs a learner name")
    row = connection.execute("SELECT id FROM learner WHERE key = ?", (key,)).fetchone()
    if row is None:
        cursor = connection.execute(
            "INSERT INTO learner (key, name) VALUES (?, ?)", (key, name.strip())
        )
        learner = cursor.lastrowid
    else:
        learner = int(row[0])
    made = hash_pin(pin, params)
    connection.execute(
        """INSERT OR REPLACE INTO learner_pin (learner, salt, hash, n, r, p, set_at, set_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (learner, made.salt, made.digest, *_params(made), to_ms(now), by),
    )
    _clear_failures(connection, "learner", key)


def clear_learner_pin(connection: sqlite3.Connection, name: str) -> bool:
    """Remove learner `name`'s PIN and her wrong-PIN count; whether she had one."""
    key = learner_key(name)
    cursor = connection.execute(
        "DELETE FROM learner_pin WHERE learner IN (SELECT id FROM learner WHERE key = ?)", (key,)
    )
    _clear_failures(connection, "learner", key)
    return cursor.rowcount > 0


def check_learner_pin(
    connection: sqlite3.Connection, name: str, pin: str, *, now: datetime
) -> PinCheck:
    """Check learner `name`'s PIN, counting a wrong one. While a wait is on, the PIN is
    not checked at all (the answer says how long is left). A learner without a PIN
    passes (nothing to check)."""
    key = learner_key(name)
    stored = _learner_hash(connection, key)
    if stored is None:
        return PinCheck(ok=True)
    return _check(connection, "learner", key, stored, pin, now)


def learner_pins_forgotten(connection: sqlite3.Connection, learner_id: int, key: str) -> None:
    """Delete a learner's PIN and count (forgetting her, or merging her into another)."""
    connection.execute("DELETE FROM learner_pin WHERE learner = ?", (learner_id,))
    _clear_failures(connection, "learner", key)


def learner_renamed(
    connection: sqlite3.Connection, old_key: str, new_key: str, source: int, target: int
) -> None:
    """Keep a learner's PIN when she is renamed (same row) or merged into another
    (the PIN of the one kept wins; hers moves over only if that one has none)."""
    if source != target:
        has = connection.execute(
            "SELECT 1 FROM learner_pin WHERE learner = ?", (target,)
        ).fetchone()
        if has is None:
            connection.execute(
                "UPDATE learner_pin SET learner = ? WHERE learner = ?", (target, source)
            )
        else:
            connection.execute("DELETE FROM learner_pin WHERE learner = ?", (source,))
        _clear_failures(connection, "learner", old_key)
    elif old_key != new_key:
        _clear_failures(connection, "learner", new_key)
        connection.execute(
            "UPDATE pin_failure SET key = ? WHERE role = 'learner' AND key = ?",
            (new_key, old_key),
        )


# --- managers ---------------------------------------------------------------------------


def has_managers(connection: sqlite3.Connection) -> bool:
    return connection.execute("SELECT 1 FROM manager LIMIT 1").fetchone() is not None


def list_managers(connection: sqlite3.Connection) -> list[ManagerInfo]:
    return [
        ManagerInfo(str(name), from_ms(added))
        for name, added in connection.execute("SELECT name, added_at FROM manager ORDER BY key")
    ]


def add_manager(
    connection: sqlite3.Connection,
    name: str,
    pin: str,
    *,
    now: datetime,
    params: ScryptParams = DEFAULT_PARAMS,
) -> bool:
    """Add manager `name` with `pin`, or give an existing one a new PIN; whether she is
    new. Raises PinRefused."""
    pin = check_new_pin(pin)
    key = learner_key(name)
    if not key:
        raise ValueError("a manager needs a name")
    made = hash_pin(pin, params)
    existed = connection.execute("SELECT 1 FROM manager WHERE key = ?", (key,)).fetchone()
    connection.execute(
        """INSERT INTO manager (key, name, salt, hash, n, r, p, added_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET name = excluded.name, salt = excluded.salt,
               hash = excluded.hash, n = excluded.n, r = excluded.r, p = excluded.p""",
        (key, name.strip(), made.salt, made.digest, *_params(made), to_ms(now)),
    )
    _clear_failures(connection, "manager", key)
    return existed is None


def remove_manager(connection: sqlite3.Connection, name: str) -> str:
    """Remove manager `name`; her name as kept. Raises UnknownManager."""
    key = learner_key(name)
    row = connection.execute("SELECT name FROM manager WHERE key = ?", (key,)).fetchone()
    if row is None:
        raise UnknownManager(name)
    connection.execute("DELETE FROM manager WHERE key = ?", (key,))
    _clear_failures(connection, "manager", key)
    return str(row[0])


def check_manager_pin(
    connection: sqlite3.Connection, name: str, pin: str, *, now: datetime
) -> PinCheck:
    """Check manager `name`'s PIN, counting a wrong one. An unknown name is refused
    like a wrong PIN (and counted under that name, so names cannot be tried for free)."""
    key = learner_key(name)
    row = connection.execute(
        "SELECT salt, hash, n, r, p FROM manager WHERE key = ?", (key,)
    ).fetchone()
    if row is None:
        # Hash anyway, so an unknown name takes as long to refuse as a wrong PIN.
        stored = PinHash(b"\0" * SALT_BYTES, b"", DEFAULT_PARAMS)
    else:
        stored = PinHash(bytes(row[0]), bytes(row[1]), ScryptParams(*row[2:]))
    return _check(connection, "manager", key or "?", stored, pin, now)


# --- the wrong-PIN count ----------------------------------------------------------------


def failures(connection: sqlite3.Connection, role: Role, key: str) -> Failures:
    row = connection.execute(
        "SELECT failures, wait_until FROM pin_failure WHERE role = ? AND key = ?", (role, key)
    ).fetchone()
    if row is None:
        return Failures()
    return Failures(int(row[0]), from_ms(row[1]) if row[1] is not None else None)


def _check(
    connection: sqlite3.Connection,
    role: Role,
    key: str,
    stored: PinHash,
    pin: str,
    now: datetime,
) -> PinCheck:
    before = failures(connection, role, key)
    wait = before.waiting(now)
    if wait is not None:
        return PinCheck(ok=False, wait=wait)
    if matches(pin, stored) and stored.digest:  # hashed even for an unknown manager
        _clear_failures(connection, role, key)
        return PinCheck(ok=True)
    after = before.after_wrong(now)
    connection.execute(
        """INSERT OR REPLACE INTO pin_failure (role, key, failures, last_at, wait_until)
           VALUES (?, ?, ?, ?, ?)""",
        (
            role,
            key,
            after.count,
            to_ms(now),
            to_ms(after.wait_until) if after.wait_until else None,
        ),
    )
    return judged(after, now)


def _clear_failures(connection: sqlite3.Connection, role: Role, key: str) -> None:
    connection.execute("DELETE FROM pin_failure WHERE role = ? AND key = ?", (role, key))


def _params(made: PinHash) -> tuple[int, int, int]:
    return made.params.n, made.params.r, made.params.p
