"""The score store's schema: every table described, and the DDL each version applied.

This module is only data: the SQL text of each step of quiz.storage.db's MIGRATIONS,
exactly as it was applied to the stores of that version (never edited: a store upgraded
long ago and a store made today must hold the same schema), and what the tables hold.
A table made again by a later version (attempt in versions 5 and 6, question_stats and
choice_stats in version 10, learner_section_stats in version 3) therefore stands here
once for each version. The Python around the steps (running a script inside the
upgrade's transaction, SQLite's table rebuild) is quiz.storage.migration_steps; opening
and upgrading a file is quiz.storage.db.

Schema, version 10. Times are integer milliseconds since the Unix epoch, UTC, unless
said otherwise. Ids are integer rowids, used only inside the file.

learner(id, key UNIQUE, name)
    key is `learner_key(name)` (casefold of the NFC, trimmed name): the matching rule.
    name is the name as it was last typed.
learner_name(id, learner, name)               each spelling typed; UNIQUE(learner, name)
course(id, code UNIQUE)                       code is the course id (laser-skin-tightening)
course_version(id, course, hash)              hash is Course.version; UNIQUE(course, hash)
section(id, course, code)                     UNIQUE(course, code)
question(id, course, code)                    code is the question id; UNIQUE(course, code)
asked_question(id, digest UNIQUE, question, section, type, critical, prompt, choices, answer)
    A version of a question as it was put to a learner: prompt, choices in the order
    shown (a JSON array; each shuffle is its own version), the right answer (JSON
    array, as Question.answer), type and critical. digest is the SHA-256 of all of it
    (codec.asked_digest), so identical versions share one row. type is the name of
    the question's kind (quiz.domain.kinds): the built-in single, multiple, true_false,
    short, or a registered one. It is checked against the kinds registered when a row
    is written (interning.Ids.asked), not by the schema (up to version 3, a CHECK
    allowed only the built-in four; version 4 rebuilt the table without it), so a
    store can hold questions of a kind the program reading it does not know.
host(id, name UNIQUE)                         the computers that ran attempts
attempt(id, uuid UNIQUE, learner, learner_name, course_version, mode, exam, sections,
        seed, started_at, time_limit, deadline_at, pass_mark, items, status, finished_at,
        correct, total, percent, passed, pid, host, heartbeat_at)
    uuid is the attempt id everyone else sees (text). learner_name is the spelling typed
    for this attempt. mode is 'practice' | 'exam' | 'drill' (v5: a drill round of the
    questions due; never an exam result, and outside the report summaries); exam the
    preset id or NULL.
    sections and items are codec.pack_ints lists (varints): the section ids chosen,
    and the asked_question ids in the order asked (so unanswered ones are known; an
    answer's `item` is an index into this list). time_limit is in seconds. status is
    'in_progress' | 'paused' (v6) | 'completed' | 'timed_out' | 'abandoned' (when each
    applies: quiz.domain.pausing). correct, percent (0..100) and passed (0/1; NULL for
    practice and unfinished attempts) are written when the attempt ends (a paused one
    has not ended: NULL, as in progress); total is the number of questions asked. pid
    and host name the process that ran it (host: where a paused exam may be resumed);
    heartbeat_at is its last sign of life: while in progress the latest heartbeat, while
    paused when it was paused; cleared when the attempt ends. clinic (v7) is the
    clinic code of the terminal that ran it (`quiz central connect --clinic`, or
    `quiz import --clinic` for an old export), and utc_offset (v7) that terminal's
    offset from UTC in minutes when the attempt started; both NULL for attempts of
    before version 7 or of a terminal with no clinic (never guessed). identified (v8) is
    how the learner was known when the attempt started (quiz.domain.identity: 'typed',
    'pin', 'witnessed', 'central'; 'typed' for every attempt of before version 8), and
    verify_code (v8) the attempt's verification code (NULL until one is computed; index
    attempt_verify_code: unique where set). Index attempt_live: only
    the rows in progress (crash recovery reads them). Index attempt_drill (v5): only the
    drill rounds (the report's drill activity reads them). Index attempt_paused (v6):
    only the paused rows, by learner (each opening ends those past their time; the app
    offers a learner theirs).
answer(attempt, item, rev, response, correct, ms, at_ds)  WITHOUT ROWID, PK (attempt, item, rev)
    Every answer as it was given, one row per commit, never updated. item is the
    question's position in the attempt; rev counts the answers to it from 0, so the
    row with the highest rev is the answer that counts (an exam answer that was changed
    has several). The asked_question of an answer is item's entry in attempt.items: in
    SQL, asked_at(attempt.items, answer.item) on connections from `connect` (or after
    `register_functions`). response has no column affinity; its form is the kind's
    (QuestionKind.encode): single/multiple: an integer with bit i set for shown choice i;
    true_false: 1 or 0; short: the typed text; NULL: no answer. correct is 0/1; ms the
    time spent on the question (milliseconds); at_ds when it was given, in tenths of a
    second after the attempt's started_at.

Report summaries (version 2, extended in version 3), kept by `quiz.storage.summaries`
in the transaction that ends an attempt, for the attempts that end 'completed' or
'timed_out' (not those in progress, paused or abandoned): the counted attempts. month is
YYYYMM of the local date the attempt started (on the computer that wrote it); exam is
1 for exam attempts, 0 for practice. Months keep the tables small whatever the number
of learners and answers, and let a report cut its period at the first of a month; for
a period that starts mid-month, add `summaries.compute()` over the attempts of the part
month. Rebuild them all with `summaries.rebuild(connection)`. "The latest" attempt is
the one started last (of two started in the same millisecond, the higher id): a
report's period never ends before now, so the latest in the period is the latest of
all, and needs no month.

question_stats(question, content, month, exam, asked, answered, right, ms, r_n, r_x, r_sum,
               r_sq, r_xr)
    WITHOUT ROWID, PK (question, content, month, exam). content (v10) is the content
    key of the version asked (codec.content_key: the first 64 bits of
    quiz.domain.versions.content_version, signed), so each version of a question has
    its own statistics (shuffles and rewordings are one version; a corrected answer or
    choice is another). asked: attempts that asked the question;
    answered/right: of those, answered and right (the answer that counts); ms: time on
    those answers. r_*: quiz.domain.stats.ItemSums over the attempts with more than one
    question: n, sum of x (right), of r, of r*r and of x*r, where r is the attempt's
    score on its other questions as a fraction.
version_stats(asked_question, month, asked)     (v3)
    WITHOUT ROWID, PK (asked_question, month): how often each version was asked, so a
    report knows the versions (choices, section, type) asked in its period. No exam
    column: nothing asks it by mode, and one row per version and month is half the
    bytes (the biggest of these tables).
choice_stats(question, content, month, exam, choice, picks)     (v3; content v10)
    WITHOUT ROWID, PK (question, content, month, exam, choice): how often a wrong
    choice (by its text: the shuffles of a content version show the same texts) of a
    question whose kind stores a pick of the choices shown (codec.is_choice_mask:
    single, multiple) was picked in an answer that counts and is wrong.
learner_stats(learner, course, month, exam, attempts)     (v3)
    WITHOUT ROWID, PK (learner, course, month, exam): counted attempts per learner.
learner_latest(learner, course, exam, started_at, attempt)     (v3)
    WITHOUT ROWID, PK (learner, course, exam): each learner's latest counted practice
    (exam 0) and exam (exam 1) attempt of a course: its started_at and id.
learner_section_stats(learner, section, month, exam, attempts, asked, answered, right, ms,
                      best_asked, best_right)
    WITHOUT ROWID, PK (learner, section, month, exam): per learner and section, the
    attempts that asked questions of the section, and those questions. best_asked and
    best_right (v3): of those attempts (that month, that mode), the one with the highest
    percent right in the section (of equal percents, the one of more questions): its
    questions of the section, and those right.
learner_section_latest(learner, section, started_at, attempt, asked, right, pass_mark)  (v3)
    WITHOUT ROWID, PK (learner, section): each learner's latest counted attempt at a
    section: its started_at, id, questions of the section asked and right, and its
    pass_mark (NULL for practice).
The attempt columns of the latest tables hold attempt ids without a foreign key: they
are derived, like every summary, and deleting an attempt would have to search them.
Drill attempts are in none of the summary tables (they pick weak questions on purpose).

The drill's cards (version 5), kept by `quiz.storage.cards` in the transaction that ends
an attempt, and rebuilt from the answer log (see that module for what is a review):
card(learner, question, section, critical, content, state, step, stability, difficulty,
     due_at, last_review_at, reviews, lapses)     WITHOUT ROWID, PK (learner, question)
    One learner's FSRS card for one question (quiz.storage.scheduling). section and
    critical are those of the version last reviewed; content is its content key (the
    first 64 bits of quiz.domain.versions.content_version, signed): a review under
    another one starts the card again. state is fsrs.State (1 learning, 2 review,
    3 relearning) and step its learning step (NULL in review); stability (days) and
    difficulty are FSRS's; due_at and last_review_at in ms. reviews and lapses are our
    counts (fsrs keeps none): answers reviewed, and misses of the card in the review
    state (as Anki counts lapses; at scheduler_settings.leech_threshold, a leech).
    No foreign keys: the rows are derived, like the summaries (checking three keys per
    row would double what finishing an attempt costs them); forgetting a learner
    deletes theirs (quiz.storage.learners).
card_stale(learner PRIMARY KEY)
    Learners whose cards are to be made again from the log, a few at a time
    (ScoreStore.rebuild_cards): all of them after the upgrade to version 5 and after
    a change of the scheduler settings; those an import touched.
store_settings(id = 1, pause_limit)     (v6)
    One row (quiz.storage.store_settings), shared by every computer using the store:
    pause_limit, the seconds a paused attempt without a deadline waits to be resumed
    (quiz.domain.pausing). Missing: the defaults.
outbox(attempt, version, marked_at), tombstone(hash, forgotten_on, sent), sync_state  (v7)
    The attempts still to be sent to the central store, the learners forgotten here,
    and when a sync last succeeded (quiz.storage.outbox, which describes them). An
    attempt is marked only by a store opened with a central store configured.
learner_pin(learner PRIMARY KEY, salt, hash, n, r, p, set_at, set_by)     (v8)
    A learner's PIN as a salted hashlib.scrypt hash (never the PIN), with the scrypt
    parameters it was made with, so they can change for new PINs; set_by 'learner' or
    'manager' (quiz.storage.pins).
manager(id, key UNIQUE, name, salt, hash, n, r, p, added_at)     (v8)
    The managers (`quiz managers add`): key as learner.key, their PIN hashed as above.
pin_failure(role, key, failures, last_at, wait_until)     (v8)
    WITHOUT ROWID, PK (role, key): wrong PINs in a row for a learner or manager key,
    and until when the next try is refused (quiz.domain.identity); deleted on success.
flag(id, uuid UNIQUE, attempt, item, asked_question, flagged_at, note)     (v9)
    A learner's flag on a question of an attempt, with an optional one-line note
    (quiz.storage.flags): append-only (a trigger refuses UPDATE); deleted only with
    its attempt (ON DELETE CASCADE: `quiz learners forget`). An exam's flags are shown
    to nobody until the exam is over (quiz.domain.flags.flag_shown).
scheduler_settings(id = 1, retention, critical_retention, learning_steps,
                   relearning_steps, maximum_interval, leech_threshold, parameters)
    One row (quiz.storage.card_model.SchedulerSettings): desired retentions, steps (JSON
    lists of seconds), the longest interval (days), the lapses that make a leech, and
    FSRS's 21 weights (JSON). Missing: the defaults.
"""

from __future__ import annotations

from quiz.storage import outbox

V1 = """
CREATE TABLE learner (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
CREATE TABLE learner_name (
    id INTEGER PRIMARY KEY,
    learner INTEGER NOT NULL REFERENCES learner(id),
    name TEXT NOT NULL,
    UNIQUE (learner, name)
);
CREATE TABLE course (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE
);
CREATE TABLE course_version (
    id INTEGER PRIMARY KEY,
    course INTEGER NOT NULL REFERENCES course(id),
    hash TEXT NOT NULL,
    UNIQUE (course, hash)
);
CREATE TABLE section (
    id INTEGER PRIMARY KEY,
    course INTEGER NOT NULL REFERENCES course(id),
    code TEXT NOT NULL,
    UNIQUE (course, code)
);
CREATE TABLE question (
    id INTEGER PRIMARY KEY,
    course INTEGER NOT NULL REFERENCES course(id),
    code TEXT NOT NULL,
    UNIQUE (course, code)
);
CREATE TABLE asked_question (
    id INTEGER PRIMARY KEY,
    digest BLOB NOT NULL UNIQUE,
    question INTEGER NOT NULL REFERENCES question(id),
    section INTEGER NOT NULL REFERENCES section(id),
    type TEXT NOT NULL CHECK (type IN ('single', 'multiple', 'true_false', 'short')),
    critical INTEGER NOT NULL CHECK (critical IN (0, 1)),
    prompt TEXT NOT NULL,
    choices TEXT NOT NULL,
    answer TEXT NOT NULL
);
CREATE TABLE host (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE attempt (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    learner INTEGER NOT NULL REFERENCES learner(id),
    learner_name INTEGER NOT NULL REFERENCES learner_name(id),
    course_version INTEGER NOT NULL REFERENCES course_version(id),
    mode TEXT NOT NULL CHECK (mode IN ('practice', 'exam')),
    exam TEXT,
    sections BLOB NOT NULL,
    seed INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    time_limit INTEGER,
    deadline_at INTEGER,
    pass_mark INTEGER,
    items BLOB NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('in_progress', 'completed', 'timed_out', 'abandoned')),
    finished_at INTEGER,
    correct INTEGER,
    total INTEGER NOT NULL,
    percent REAL,
    passed INTEGER CHECK (passed IN (0, 1)),
    pid INTEGER,
    host INTEGER REFERENCES host(id),
    heartbeat_at INTEGER
);
CREATE INDEX attempt_live ON attempt(status) WHERE status = 'in_progress';
CREATE TABLE answer (
    attempt INTEGER NOT NULL REFERENCES attempt(id),
    item INTEGER NOT NULL,
    rev INTEGER NOT NULL,
    response,
    correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
    ms INTEGER NOT NULL,
    at_ds INTEGER NOT NULL,
    PRIMARY KEY (attempt, item, rev)
) WITHOUT ROWID;
"""

V2 = """
CREATE TABLE question_stats (
    question INTEGER NOT NULL REFERENCES question(id),
    month INTEGER NOT NULL,
    exam INTEGER NOT NULL CHECK (exam IN (0, 1)),
    asked INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    right INTEGER NOT NULL,
    ms INTEGER NOT NULL,
    r_n INTEGER NOT NULL,
    r_x INTEGER NOT NULL,
    r_sum REAL NOT NULL,
    r_sq REAL NOT NULL,
    r_xr REAL NOT NULL,
    PRIMARY KEY (question, month, exam)
) WITHOUT ROWID;
CREATE TABLE learner_section_stats (
    learner INTEGER NOT NULL REFERENCES learner(id),
    section INTEGER NOT NULL REFERENCES section(id),
    month INTEGER NOT NULL,
    exam INTEGER NOT NULL CHECK (exam IN (0, 1)),
    attempts INTEGER NOT NULL,
    asked INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    right INTEGER NOT NULL,
    ms INTEGER NOT NULL,
    PRIMARY KEY (learner, section, month, exam)
) WITHOUT ROWID;
"""


V3 = """
DROP TABLE learner_section_stats;
CREATE TABLE learner_section_stats (
    learner INTEGER NOT NULL REFERENCES learner(id),
    section INTEGER NOT NULL REFERENCES section(id),
    month INTEGER NOT NULL,
    exam INTEGER NOT NULL CHECK (exam IN (0, 1)),
    attempts INTEGER NOT NULL,
    asked INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    right INTEGER NOT NULL,
    ms INTEGER NOT NULL,
    best_asked INTEGER NOT NULL,
    best_right INTEGER NOT NULL,
    PRIMARY KEY (learner, section, month, exam)
) WITHOUT ROWID;
CREATE TABLE learner_section_latest (
    learner INTEGER NOT NULL REFERENCES learner(id),
    section INTEGER NOT NULL REFERENCES section(id),
    started_at INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    asked INTEGER NOT NULL,
    right INTEGER NOT NULL,
    pass_mark INTEGER,
    PRIMARY KEY (learner, section)
) WITHOUT ROWID;
CREATE TABLE learner_stats (
    learner INTEGER NOT NULL REFERENCES learner(id),
    course INTEGER NOT NULL REFERENCES course(id),
    month INTEGER NOT NULL,
    exam INTEGER NOT NULL CHECK (exam IN (0, 1)),
    attempts INTEGER NOT NULL,
    PRIMARY KEY (learner, course, month, exam)
) WITHOUT ROWID;
CREATE TABLE learner_latest (
    learner INTEGER NOT NULL REFERENCES learner(id),
    course INTEGER NOT NULL REFERENCES course(id),
    exam INTEGER NOT NULL CHECK (exam IN (0, 1)),
    started_at INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    PRIMARY KEY (learner, course, exam)
) WITHOUT ROWID;
CREATE TABLE version_stats (
    asked_question INTEGER NOT NULL REFERENCES asked_question(id),
    month INTEGER NOT NULL,
    asked INTEGER NOT NULL,
    PRIMARY KEY (asked_question, month)
) WITHOUT ROWID;
CREATE TABLE choice_stats (
    question INTEGER NOT NULL REFERENCES question(id),
    month INTEGER NOT NULL,
    exam INTEGER NOT NULL CHECK (exam IN (0, 1)),
    choice TEXT NOT NULL,
    picks INTEGER NOT NULL,
    PRIMARY KEY (question, month, exam, choice)
) WITHOUT ROWID;
"""


# Version 4: asked_question without the CHECK on type (the kind registry checks it
# when a row is written), by SQLite's table rebuild (https://sqlite.org/lang_altertable.html,
# "Making Other Kinds Of Table Schema Changes"): a new table, the rows copied with their
# ids, the old one dropped, the new one renamed. version_stats refers to asked_question
# by name, so it refers to the new table once renamed. The UNIQUE(digest) index comes
# with the new table; asked_question has no other index, trigger or view.
V4_ASKED_QUESTION = """
CREATE TABLE asked_question_v4 (
    id INTEGER PRIMARY KEY,
    digest BLOB NOT NULL UNIQUE,
    question INTEGER NOT NULL REFERENCES question(id),
    section INTEGER NOT NULL REFERENCES section(id),
    type TEXT NOT NULL,
    critical INTEGER NOT NULL CHECK (critical IN (0, 1)),
    prompt TEXT NOT NULL,
    choices TEXT NOT NULL,
    answer TEXT NOT NULL
)
"""
ASKED_COLUMNS = "id, digest, question, section, type, critical, prompt, choices, answer"


# Version 5: attempt.mode may be 'drill', by the same table rebuild as version 4 (answer
# refers to attempt by name, so to the new table once renamed; the indexes are made
# again); then the drill's cards, their settings, and every learner listed for the
# cards' first build, which ScoreStore.rebuild_cards does in batches after the upgrade
# (building them here would hold the store locked for as long as it takes).
V5_ATTEMPT = """
CREATE TABLE attempt_v5 (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    learner INTEGER NOT NULL REFERENCES learner(id),
    learner_name INTEGER NOT NULL REFERENCES learner_name(id),
    course_version INTEGER NOT NULL REFERENCES course_version(id),
    mode TEXT NOT NULL CHECK (mode IN ('practice', 'exam', 'drill')),
    exam TEXT,
    sections BLOB NOT NULL,
    seed INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    time_limit INTEGER,
    deadline_at INTEGER,
    pass_mark INTEGER,
    items BLOB NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('in_progress', 'completed', 'timed_out', 'abandoned')),
    finished_at INTEGER,
    correct INTEGER,
    total INTEGER NOT NULL,
    percent REAL,
    passed INTEGER CHECK (passed IN (0, 1)),
    pid INTEGER,
    host INTEGER REFERENCES host(id),
    heartbeat_at INTEGER
)
"""
ATTEMPT_COLUMNS = (
    "id, uuid, learner, learner_name, course_version, mode, exam, sections, seed, "
    "started_at, time_limit, deadline_at, pass_mark, items, status, finished_at, correct, "
    "total, percent, passed, pid, host, heartbeat_at"
)
V5 = """
CREATE INDEX attempt_live ON attempt(status) WHERE status = 'in_progress';
CREATE INDEX attempt_drill ON attempt(started_at) WHERE mode = 'drill';
CREATE TABLE card (
    learner INTEGER NOT NULL,
    question INTEGER NOT NULL,
    section INTEGER NOT NULL,
    critical INTEGER NOT NULL CHECK (critical IN (0, 1)),
    content INTEGER NOT NULL,
    state INTEGER NOT NULL CHECK (state IN (1, 2, 3)),
    step INTEGER,
    stability REAL NOT NULL,
    difficulty REAL NOT NULL,
    due_at INTEGER NOT NULL,
    last_review_at INTEGER NOT NULL,
    reviews INTEGER NOT NULL,
    lapses INTEGER NOT NULL,
    PRIMARY KEY (learner, question)
) WITHOUT ROWID;
CREATE TABLE card_stale (
    learner INTEGER PRIMARY KEY REFERENCES learner(id)
);
CREATE TABLE scheduler_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    retention REAL NOT NULL,
    critical_retention REAL NOT NULL,
    learning_steps TEXT NOT NULL,
    relearning_steps TEXT NOT NULL,
    maximum_interval INTEGER NOT NULL,
    leech_threshold INTEGER NOT NULL,
    parameters TEXT NOT NULL
);
"""


# Version 6: attempt.status may be 'paused' (quiz.domain.pausing: left unfinished, to be
# taken up again), by the same table rebuild as version 5 (the indexes made again, with
# one more: the paused attempts, which every opening reads for those to end); then the
# store's own settings (the pause limit). The summaries and the cards count only
# 'completed' and 'timed_out' (summaries.COUNTED_STATUSES), so a paused attempt is in
# neither until it ends, and nothing in them is made again.
V6_ATTEMPT = """
CREATE TABLE attempt_v6 (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    learner INTEGER NOT NULL REFERENCES learner(id),
    learner_name INTEGER NOT NULL REFERENCES learner_name(id),
    course_version INTEGER NOT NULL REFERENCES course_version(id),
    mode TEXT NOT NULL CHECK (mode IN ('practice', 'exam', 'drill')),
    exam TEXT,
    sections BLOB NOT NULL,
    seed INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    time_limit INTEGER,
    deadline_at INTEGER,
    pass_mark INTEGER,
    items BLOB NOT NULL,
    status TEXT NOT NULL
        CHECK (status IN ('in_progress', 'paused', 'completed', 'timed_out', 'abandoned')),
    finished_at INTEGER,
    correct INTEGER,
    total INTEGER NOT NULL,
    percent REAL,
    passed INTEGER CHECK (passed IN (0, 1)),
    pid INTEGER,
    host INTEGER REFERENCES host(id),
    heartbeat_at INTEGER
)
"""
V6 = """
CREATE INDEX attempt_live ON attempt(status) WHERE status = 'in_progress';
CREATE INDEX attempt_drill ON attempt(started_at) WHERE mode = 'drill';
CREATE INDEX attempt_paused ON attempt(learner) WHERE status = 'paused';
CREATE TABLE store_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    pause_limit INTEGER NOT NULL CHECK (pause_limit > 0)
);
"""


# Version 7 (issue 16, several clinics): the outbox of attempts to send to the central
# store, the tombstones of forgotten learners and the sync state (quiz.storage.outbox),
# and each attempt's clinic and UTC offset: nullable columns added in place (no rebuild),
# NULL for every attempt made before (never guessed).
V7 = (
    outbox.MIGRATION_SQL
    + """
ALTER TABLE attempt ADD COLUMN clinic TEXT;
ALTER TABLE attempt ADD COLUMN utc_offset INTEGER;
"""
)


# Version 8 (issue 18, who sat it): how each attempt was identified (every attempt
# before was a name typed on trust: 'typed' is the truth for them), its verification
# code (computed by quiz.storage.verification; NULL until then, unique when set), the
# learners' PINs, the managers and the wrong-PIN counters (quiz.storage.pins).
V8 = """
ALTER TABLE attempt ADD COLUMN identified TEXT NOT NULL DEFAULT 'typed'
    CHECK (identified IN ('typed', 'pin', 'witnessed', 'central'));
ALTER TABLE attempt ADD COLUMN verify_code TEXT;
CREATE UNIQUE INDEX attempt_verify_code ON attempt(verify_code)
    WHERE verify_code IS NOT NULL;
CREATE TABLE learner_pin (
    learner INTEGER PRIMARY KEY REFERENCES learner(id),
    salt BLOB NOT NULL,
    hash BLOB NOT NULL,
    n INTEGER NOT NULL,
    r INTEGER NOT NULL,
    p INTEGER NOT NULL,
    set_at INTEGER NOT NULL,
    set_by TEXT NOT NULL CHECK (set_by IN ('learner', 'manager'))
);
CREATE TABLE manager (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    salt BLOB NOT NULL,
    hash BLOB NOT NULL,
    n INTEGER NOT NULL,
    r INTEGER NOT NULL,
    p INTEGER NOT NULL,
    added_at INTEGER NOT NULL
);
CREATE TABLE pin_failure (
    role TEXT NOT NULL CHECK (role IN ('learner', 'manager')),
    key TEXT NOT NULL,
    failures INTEGER NOT NULL CHECK (failures > 0),
    last_at INTEGER NOT NULL,
    wait_until INTEGER,
    PRIMARY KEY (role, key)
) WITHOUT ROWID;
"""


# Version 10 (issue 17, reports keep versions apart): question_stats and choice_stats
# keyed by the content version too (codec.content_key, quiz.domain.versions'
# content_version), so a corrected question's statistics start again instead of adding
# to those of its wrong version. Their rows are derived: the tables are made again empty
# and the upgrade (quiz.storage.db) rebuilds every summary after the last step
# (SUMMARIES_VERSION).
V10 = """
DROP TABLE question_stats;
CREATE TABLE question_stats (
    question INTEGER NOT NULL REFERENCES question(id),
    content INTEGER NOT NULL,
    month INTEGER NOT NULL,
    exam INTEGER NOT NULL CHECK (exam IN (0, 1)),
    asked INTEGER NOT NULL,
    answered INTEGER NOT NULL,
    right INTEGER NOT NULL,
    ms INTEGER NOT NULL,
    r_n INTEGER NOT NULL,
    r_x INTEGER NOT NULL,
    r_sum REAL NOT NULL,
    r_sq REAL NOT NULL,
    r_xr REAL NOT NULL,
    PRIMARY KEY (question, content, month, exam)
) WITHOUT ROWID;
DROP TABLE choice_stats;
CREATE TABLE choice_stats (
    question INTEGER NOT NULL REFERENCES question(id),
    content INTEGER NOT NULL,
    month INTEGER NOT NULL,
    exam INTEGER NOT NULL CHECK (exam IN (0, 1)),
    choice TEXT NOT NULL,
    picks INTEGER NOT NULL,
    PRIMARY KEY (question, content, month, exam, choice)
) WITHOUT ROWID;
"""
