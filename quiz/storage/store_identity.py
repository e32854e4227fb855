"""ScoreStore's part for who sat an attempt and its proof: learners' PINs and the
managers (quiz.storage.pins; the rules: quiz.domain.identity), and the exams'
verification codes (quiz.storage.verification); see quiz.storage.store_core."""

from __future__ import annotations

from datetime import datetime

from quiz.domain.identity import PinCheck
from quiz.domain.verification import ExamRecord
from quiz.storage import pins, verification
from quiz.storage.store_core import StoreCore


class IdentityAndCodes(StoreCore):
    """PINs and managers; verification codes checked and given."""

    # --- PINs and managers (quiz.storage.pins; the rules: quiz.domain.identity) ---------

    def learner_has_pin(self, name: str) -> bool:
        with self._reading("reading whether a learner has a PIN") as connection:
            return pins.learner_has_pin(connection, name)

    def set_learner_pin(self, name: str, pin: str, *, by: pins.Role, now: datetime) -> None:
        """Give `name` the PIN `pin` (hashed). Raises PinRefused for a PIN that breaks
        the rules."""
        with self._writing("setting a PIN") as connection:
            pins.set_learner_pin(connection, name, pin, by=by, now=now)

    def clear_learner_pin(self, name: str) -> bool:
        with self._writing("clearing a PIN") as connection:
            return pins.clear_learner_pin(connection, name)

    def check_learner_pin(self, name: str, pin: str, *, now: datetime) -> PinCheck:
        """Check `name`'s PIN at `now` (a wrong one is counted; waits: identity)."""
        with self._writing("checking a PIN") as connection:
            return pins.check_learner_pin(connection, name, pin, now=now)

    def has_managers(self) -> bool:
        with self._reading("reading the managers") as connection:
            return pins.has_managers(connection)

    def list_managers(self) -> list[pins.ManagerInfo]:
        with self._reading("reading the managers") as connection:
            return pins.list_managers(connection)

    def add_manager(self, name: str, pin: str, *, now: datetime) -> bool:
        """Add manager `name` (or give her a new PIN); whether she is new."""
        with self._writing("adding a manager") as connection:
            return pins.add_manager(connection, name, pin, now=now)

    def remove_manager(self, name: str) -> str:
        """Remove manager `name`; raises pins.UnknownManager."""
        with self._writing("removing a manager") as connection:
            return pins.remove_manager(connection, name)

    def check_manager_pin(self, name: str, pin: str, *, now: datetime) -> PinCheck:
        with self._writing("checking a manager's PIN") as connection:
            return pins.check_manager_pin(connection, name, pin, now=now)

    # --- verification codes (quiz.storage.verification) --------------------------------

    def check_code(self, code: str) -> verification.Check | None:
        """`quiz verify CODE`: the finished exam whose stored code is `code` (in its
        stored form: quiz.domain.verification.normalise_code), its record recomputed
        now; None when no attempt has that code."""
        with self._reading("checking a verification code") as connection:
            attempt_id = verification.find(connection, code)
            if attempt_id is None:
                return None
            return verification.check(connection, self._ids, attempt_id, self.signing_key)

    def check_codes(self) -> list[verification.Check]:
        """`quiz verify --store`: every finished exam's code against its record now."""
        with self._reading("checking the verification codes") as connection:
            return list(verification.check_all(connection, self._ids, self.signing_key))

    def certified_record(self, attempt_id: str) -> tuple[ExamRecord, str | None] | None:
        """A finished exam's record and its stored code, for its certificate; an exam
        that finished before codes existed gets one now (from its record as it is now).
        None when `attempt_id` is not a finished exam. The code is None only in a store
        that cannot be written or has no codes yet (an older version)."""
        with self._reading("reading an exam's record") as connection:
            record = verification.read_record(connection, self._ids, attempt_id)
            if record is None:
                return None
            code = verification.stored_code(connection, attempt_id)
        if code is None and not self._read_only():
            with self._writing("giving an exam its verification code") as connection:
                code = verification.stored_code(connection, attempt_id)  # another process?
                if code is None:
                    rowid = self._rowid(connection, attempt_id)
                    code = verification.assign(connection, self._ids, rowid, self.signing_key)
                    self._mark(connection, rowid)
        return record, code
