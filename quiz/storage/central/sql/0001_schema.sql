-- quiz central store, schema 1: where the clinics' results meet (issue 16, README
-- "Several clinics"). Applied by quiz.storage.central.migrations in one transaction,
-- under pg_advisory_xact_lock, by the database owner; {{prefix}} is the role prefix
-- (quiz unless `quiz central init --role-prefix` says otherwise).
--
-- Nobody but the owner writes a table: terminals write through quiz.ingest_attempt
-- (SECURITY DEFINER), managers delete through quiz.forget_learner. Reading is under
-- row-level security: a clinic's manager role reads its clinic's rows, the group role
-- every clinic's. Times are timestamptz; server times come from now(), never a client.

REVOKE ALL ON SCHEMA quiz FROM PUBLIC;

DO $roles$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['{{prefix}}_terminal', '{{prefix}}_manager', '{{prefix}}_group']
    LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', name);
        END IF;
    END LOOP;
END
$roles$;

-- One row: the prefix of the roles this database's functions create and check.
CREATE TABLE quiz.settings (
    id integer PRIMARY KEY CHECK (id = 1),
    role_prefix text NOT NULL
);
INSERT INTO quiz.settings VALUES (1, '{{prefix}}');

-- A clinic and its two roles (NOLOGIN: login roles are granted them; see the README).
CREATE TABLE quiz.clinic (
    id serial PRIMARY KEY,
    code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9_]{0,29}$'),
    terminal_role name NOT NULL UNIQUE,
    manager_role name NOT NULL UNIQUE,
    added_at timestamptz NOT NULL DEFAULT now()
);

-- A version of a question as it was put to a learner (the export's question fields:
-- question_id, section, type, prompt, choices, right_answer, critical), stored once.
-- digest is sha256 of the body's jsonb text (jsonb prints one way for equal values).
CREATE TABLE quiz.asked_question (
    id bigserial PRIMARY KEY,
    digest bytea NOT NULL UNIQUE,
    body jsonb NOT NULL
);

-- One attempt, as the terminal that ran it last sent it. uuid is the attempt's id
-- (text: an imported export's id need not be a UUID). learner_key is the client's
-- learner_key(learner) (quiz.domain.text, the matching rule's one home).
-- utc_offset_minutes: the terminal's offset when the attempt started (NULL: not
-- known, for attempts older than the clinics; months are then UTC months).
-- received_at / seen_at: the server's now() at the first and the latest push (the
-- heartbeat: clocks in 50 clinics drift). changed_xid: the transaction that last
-- changed what a pull reads (quiz.storage.central.pull reads by it).
CREATE TABLE quiz.attempt (
    id bigserial PRIMARY KEY,
    uuid text NOT NULL UNIQUE CHECK (length(uuid) BETWEEN 1 AND 100),
    clinic integer NOT NULL REFERENCES quiz.clinic(id),
    learner text NOT NULL,
    learner_key text NOT NULL CHECK (learner_key <> ''),
    course text NOT NULL,
    course_version text NOT NULL,
    mode text NOT NULL CHECK (mode IN ('practice', 'exam', 'drill')),
    exam text,
    sections text[] NOT NULL,
    seed bigint NOT NULL,
    status text NOT NULL
        CHECK (status IN ('in_progress', 'paused', 'completed', 'timed_out', 'abandoned')),
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    time_limit_seconds integer,
    deadline_at timestamptz,
    pass_mark integer,
    correct integer,
    total integer NOT NULL CHECK (total >= 0),
    percent double precision,
    passed boolean,
    utc_offset_minutes integer CHECK (utc_offset_minutes BETWEEN -1080 AND 1080),
    received_at timestamptz NOT NULL DEFAULT now(),
    seen_at timestamptz NOT NULL DEFAULT now(),
    changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX attempt_clinic_learner ON quiz.attempt (clinic, learner_key);
CREATE INDEX attempt_changed ON quiz.attempt (changed_xid);

-- The questions of an attempt in the order asked (item is the position).
CREATE TABLE quiz.attempt_item (
    attempt bigint NOT NULL REFERENCES quiz.attempt(id),
    item integer NOT NULL CHECK (item >= 0),
    asked bigint NOT NULL REFERENCES quiz.asked_question(id),
    PRIMARY KEY (attempt, item)
);

-- Every answer as it was given: rev counts the answers to an item from 0 (the highest
-- is the one that counts), as in the SQLite store. Never updated.
CREATE TABLE quiz.answer (
    attempt bigint NOT NULL,
    item integer NOT NULL,
    rev integer NOT NULL CHECK (rev >= 0),
    response jsonb,
    correct boolean NOT NULL,
    seconds double precision NOT NULL CHECK (seconds >= 0),
    answered_at timestamptz NOT NULL,
    PRIMARY KEY (attempt, item, rev),
    FOREIGN KEY (attempt, item) REFERENCES quiz.attempt_item(attempt, item)
);

-- The server's summaries of the counted attempts (completed, timed_out: as the SQLite
-- store counts them) per clinic, course, local month and mode: attempts, questions
-- asked, answered and right (by the answer that counts). Changed by ingest and forget
-- in their transaction, from quiz.attempt_sums (the rule's one home here); equal to
-- quiz.summary_rebuilt.
CREATE TABLE quiz.summary (
    clinic integer NOT NULL REFERENCES quiz.clinic(id),
    course text NOT NULL,
    month integer NOT NULL,
    mode text NOT NULL,
    attempts bigint NOT NULL,
    asked bigint NOT NULL,
    answered bigint NOT NULL,
    right_answers bigint NOT NULL,
    PRIMARY KEY (clinic, course, month, mode)
);

-- The course versions each clinic's terminals have used (sync warns of course skew).
CREATE TABLE quiz.course_seen (
    clinic integer NOT NULL REFERENCES quiz.clinic(id),
    course text NOT NULL,
    course_version text NOT NULL,
    first_seen timestamptz NOT NULL DEFAULT now(),
    last_seen timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clinic, course, course_version)
);

-- A forgotten learner: sha256 of the clinic's code, a newline and the learner key
-- (quiz.tombstone_hash), and the day. No name. Ingest refuses their attempts.
CREATE TABLE quiz.tombstone (
    hash bytea PRIMARY KEY,
    clinic integer NOT NULL REFERENCES quiz.clinic(id),
    forgotten_on date NOT NULL DEFAULT current_date
);

CREATE FUNCTION quiz.tombstone_hash(clinic_code text, learner_key text) RETURNS bytea
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.sha256(pg_catalog.convert_to(clinic_code || E'\n' || learner_key, 'UTF8'));

-- Rows go only through forget_learner: a DELETE anywhere else is refused, the owner's too.
CREATE FUNCTION quiz.refuse_delete() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF coalesce(current_setting('quiz.forgetting', true), '') <> 'on' THEN
        RAISE EXCEPTION 'rows of quiz.% are deleted only by quiz.forget_learner', TG_TABLE_NAME
            USING ERRCODE = '42501';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER attempt_refuse_delete BEFORE DELETE OR TRUNCATE ON quiz.attempt
    FOR EACH STATEMENT EXECUTE FUNCTION quiz.refuse_delete();
CREATE TRIGGER answer_refuse_delete BEFORE DELETE OR TRUNCATE ON quiz.answer
    FOR EACH STATEMENT EXECUTE FUNCTION quiz.refuse_delete();
CREATE TRIGGER attempt_item_refuse_delete BEFORE DELETE OR TRUNCATE ON quiz.attempt_item
    FOR EACH STATEMENT EXECUTE FUNCTION quiz.refuse_delete();

-- The clinic whose `kind` ('terminal' or 'manager') role the session's login role is a
-- member of; exactly one, else an error saying so (SQLSTATE 42501).
CREATE FUNCTION quiz.caller_clinic(kind text) RETURNS quiz.clinic
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    result quiz.clinic;
    matches integer;
BEGIN
    SELECT count(*) INTO matches FROM quiz.clinic c
     WHERE pg_has_role(session_user,
                       CASE kind WHEN 'terminal' THEN c.terminal_role ELSE c.manager_role END,
                       'MEMBER');
    IF matches <> 1 THEN
        RAISE EXCEPTION 'role % is a % role of % clinics; it must be of exactly one',
            session_user, kind, matches
            USING ERRCODE = '42501',
                  HINT = 'grant the login role one clinic''s role (quiz central init --clinic)';
    END IF;
    SELECT * INTO result FROM quiz.clinic c
     WHERE pg_has_role(session_user,
                       CASE kind WHEN 'terminal' THEN c.terminal_role ELSE c.manager_role END,
                       'MEMBER');
    RETURN result;
END
$$;

-- The clinics the current role may read: all for the group role, its own for a
-- clinic's manager role. Used by the row-level security policies (once per query).
CREATE FUNCTION quiz.readable_clinics() RETURNS integer[]
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(array_agg(c.id), '{}') FROM quiz.clinic c
     WHERE pg_has_role(session_user, '{{prefix}}_group', 'MEMBER')
        OR pg_has_role(session_user, c.manager_role, 'MEMBER')
$$;

-- What one attempt adds to quiz.summary, by the rows stored now: its key and its sums
-- (none when it is not counted). The rule's one home on the server.
CREATE FUNCTION quiz.attempt_sums(attempt_id bigint)
    RETURNS TABLE (clinic integer, course text, month integer, mode text, attempts bigint,
                   asked bigint, answered bigint, right_answers bigint)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT a.clinic, a.course,
           to_char((a.started_at AT TIME ZONE 'UTC')
                   + make_interval(mins => coalesce(a.utc_offset_minutes, 0)), 'YYYYMM')::integer,
           a.mode, 1::bigint, a.total::bigint,
           (SELECT count(DISTINCT w.item) FROM quiz.answer w WHERE w.attempt = a.id),
           (SELECT count(*) FROM (SELECT DISTINCT ON (w.item) w.correct FROM quiz.answer w
                                   WHERE w.attempt = a.id ORDER BY w.item, w.rev DESC) latest
             WHERE latest.correct)
      FROM quiz.attempt a
     WHERE a.id = attempt_id AND a.status IN ('completed', 'timed_out')
$$;

-- Add `sign` times an attempt's sums to quiz.summary (one key: no lock order to keep).
CREATE FUNCTION quiz.apply_sums(attempt_id bigint, sign integer) RETURNS void
    LANGUAGE sql SET search_path = pg_catalog, pg_temp AS $$
    INSERT INTO quiz.summary AS s (clinic, course, month, mode, attempts, asked, answered,
                                  right_answers)
    SELECT clinic, course, month, mode, sign * attempts, sign * asked, sign * answered,
           sign * right_answers
      FROM quiz.attempt_sums(attempt_id)
    ON CONFLICT (clinic, course, month, mode) DO UPDATE
       SET attempts = s.attempts + excluded.attempts,
           asked = s.asked + excluded.asked,
           answered = s.answered + excluded.answered,
           right_answers = s.right_answers + excluded.right_answers
$$;

-- The summaries made again from the attempts (the tests compare it with quiz.summary).
CREATE VIEW quiz.summary_rebuilt AS
    SELECT s.clinic, s.course, s.month, s.mode, sum(s.attempts)::bigint AS attempts,
           sum(s.asked)::bigint AS asked, sum(s.answered)::bigint AS answered,
           sum(s.right_answers)::bigint AS right_answers
      FROM quiz.attempt a, LATERAL quiz.attempt_sums(a.id) s
     GROUP BY s.clinic, s.course, s.month, s.mode;

-- The questions as asked of an export's answers, each as stored (the export's fields).
CREATE FUNCTION quiz.asked_bodies(answers jsonb) RETURNS TABLE (item integer, body jsonb)
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT (q.ordinality - 1)::integer,
           jsonb_build_object('question_id', q.value->'question_id',
                              'section', q.value->'section', 'type', q.value->'type',
                              'prompt', q.value->'prompt', 'choices', q.value->'choices',
                              'right_answer', q.value->'right_answer',
                              'critical', coalesce(q.value->'critical', 'false'))
      FROM jsonb_array_elements(answers) WITH ORDINALITY q
$$;

-- Add (or bring up to date) one attempt, sent whole by a terminal of the calling
-- role's clinic: the shape of one attempt of `quiz scores --format json`, plus
-- learner_key and utc_offset_minutes. Idempotent: attempts by uuid, answers by
-- (attempt, item, rev). An ended attempt's status never changes; in_progress and
-- paused go either way, or to an end. Returns 'added', 'changed' or 'unchanged'.
-- Errors: 42501 not one clinic's terminal; QZ001 a forgotten learner; QZ002 the id is
-- another clinic's attempt; QZ003 the id's attempt differs (another attempt, or a
-- different copy of it); 22023 a field missing or of the wrong type.
CREATE FUNCTION quiz.ingest_attempt(payload jsonb) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me quiz.clinic := quiz.caller_clinic('terminal');
    stored quiz.attempt;
    incoming_status text := payload->>'status';
    attempt_id bigint;
    was_counted boolean;
    outcome text := 'unchanged';
    added integer;
    item_count integer;
    asked_ids bigint[];
BEGIN
    IF jsonb_typeof(payload) IS DISTINCT FROM 'object'
       OR jsonb_typeof(payload->'id') IS DISTINCT FROM 'string'
       OR jsonb_typeof(payload->'learner') IS DISTINCT FROM 'string'
       OR jsonb_typeof(payload->'learner_key') IS DISTINCT FROM 'string'
       OR jsonb_typeof(payload->'course') IS DISTINCT FROM 'string'
       OR jsonb_typeof(payload->'course_version') IS DISTINCT FROM 'string'
       OR jsonb_typeof(payload->'started_at') IS DISTINCT FROM 'string'
       OR jsonb_typeof(payload->'total') IS DISTINCT FROM 'number'
       OR jsonb_typeof(payload->'answers') IS DISTINCT FROM 'array'
       OR jsonb_array_length(payload->'answers') <> (payload->>'total')::integer
    THEN
        RAISE EXCEPTION 'not an attempt as quiz sends it (id, learner, learner_key, course, '
                        'course_version, started_at, total and as many answers)'
            USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT FROM quiz.tombstone t
                WHERE t.hash = quiz.tombstone_hash(me.code, payload->>'learner_key')) THEN
        RAISE EXCEPTION 'attempt % is of a learner forgotten at clinic %', payload->>'id', me.code
            USING ERRCODE = 'QZ001';
    END IF;

    LOOP
        SELECT * INTO stored FROM quiz.attempt WHERE uuid = payload->>'id' FOR UPDATE;
        EXIT WHEN FOUND;
        INSERT INTO quiz.attempt (uuid, clinic, learner, learner_key, course, course_version,
                                  mode, exam, sections, seed, status, started_at, finished_at,
                                  time_limit_seconds, deadline_at, pass_mark, correct, total,
                                  percent, passed, utc_offset_minutes)
        VALUES (payload->>'id', me.id, payload->>'learner', payload->>'learner_key',
                payload->>'course', payload->>'course_version', payload->>'mode',
                payload->>'exam',
                ARRAY(SELECT jsonb_array_elements_text(coalesce(payload->'sections', '[]'))),
                coalesce((payload->>'seed')::bigint, 0), incoming_status,
                (payload->>'started_at')::timestamptz, (payload->>'finished_at')::timestamptz,
                (payload->>'time_limit_seconds')::integer, (payload->>'deadline_at')::timestamptz,
                (payload->>'pass_mark')::integer, (payload->>'correct')::integer,
                (payload->>'total')::integer, (payload->>'percent')::double precision,
                (payload->>'passed')::boolean, (payload->>'utc_offset_minutes')::integer)
        ON CONFLICT (uuid) DO NOTHING
        RETURNING id INTO attempt_id;
        IF attempt_id IS NOT NULL THEN
            outcome := 'added';
            EXIT;
        END IF;
        -- Another transaction added it meanwhile: read it again, locked.
    END LOOP;

    -- The questions as asked: each version once, added in digest order (two transactions
    -- adding the same versions take their locks in one order), then read in a statement
    -- of its own (it sees versions another transaction added meanwhile).
    INSERT INTO quiz.asked_question (digest, body)
    SELECT DISTINCT pg_catalog.sha256(convert_to(b.body::text, 'UTF8')), b.body
      FROM quiz.asked_bodies(payload->'answers') b
     ORDER BY 1
    ON CONFLICT (digest) DO NOTHING;
    SELECT array_agg(q.id ORDER BY b.item), count(q.id)
      INTO asked_ids, item_count
      FROM quiz.asked_bodies(payload->'answers') b
      LEFT JOIN quiz.asked_question q
             ON q.digest = pg_catalog.sha256(convert_to(b.body::text, 'UTF8'));
    IF item_count <> (payload->>'total')::integer THEN
        RAISE EXCEPTION 'attempt %: a question as asked could not be stored', payload->>'id';
    END IF;

    IF outcome = 'added' THEN
        INSERT INTO quiz.attempt_item (attempt, item, asked)
        SELECT attempt_id, n.ordinality - 1, n.asked
          FROM unnest(asked_ids) WITH ORDINALITY n(asked, ordinality);
        was_counted := false;
    ELSE
        attempt_id := stored.id;
        IF stored.clinic <> me.id THEN
            RAISE EXCEPTION 'attempt % is another clinic''s', stored.uuid USING ERRCODE = 'QZ002';
        END IF;
        SELECT count(*) INTO item_count FROM quiz.attempt_item i
         WHERE i.attempt = attempt_id AND i.asked = asked_ids[i.item + 1];
        IF stored.learner_key <> payload->>'learner_key'
           OR stored.course <> payload->>'course'
           OR stored.course_version <> payload->>'course_version'
           OR stored.mode <> payload->>'mode'
           OR stored.started_at <> (payload->>'started_at')::timestamptz
           OR stored.total <> (payload->>'total')::integer
           OR item_count <> stored.total
        THEN
            RAISE EXCEPTION 'attempt % differs from the one stored with that id', stored.uuid
                USING ERRCODE = 'QZ003';
        END IF;
        was_counted := stored.status IN ('completed', 'timed_out');
        IF was_counted THEN
            PERFORM quiz.apply_sums(attempt_id, -1);
        END IF;
    END IF;

    -- Every answer given: the earlier ones (history) rev 0.., the latest after them.
    WITH given AS (
        SELECT q.ordinality - 1 AS item, h.ordinality - 1 AS rev, h.value AS answer
          FROM jsonb_array_elements(payload->'answers') WITH ORDINALITY q,
               jsonb_array_elements(coalesce(q.value->'history', '[]')) WITH ORDINALITY h
        UNION ALL
        SELECT q.ordinality - 1, jsonb_array_length(coalesce(q.value->'history', '[]')), q.value
          FROM jsonb_array_elements(payload->'answers') WITH ORDINALITY q
         WHERE jsonb_typeof(q.value->'seconds') = 'number'
    )
    INSERT INTO quiz.answer (attempt, item, rev, response, correct, seconds, answered_at)
    SELECT attempt_id, g.item, g.rev, g.answer->'response', (g.answer->>'correct')::boolean,
           (g.answer->>'seconds')::double precision,
           coalesce((g.answer->>'answered_at')::timestamptz,
                    (payload->>'started_at')::timestamptz)
      FROM given g
     ORDER BY g.item, g.rev
    ON CONFLICT (attempt, item, rev) DO NOTHING;
    GET DIAGNOSTICS added = ROW_COUNT;
    IF added > 0 AND outcome = 'unchanged' THEN
        outcome := 'changed';
    END IF;

    IF outcome <> 'added' AND stored.status NOT IN ('completed', 'timed_out', 'abandoned')
       AND (stored.status, stored.finished_at, stored.correct, stored.percent, stored.passed,
            stored.learner)
           IS DISTINCT FROM
           (incoming_status, (payload->>'finished_at')::timestamptz,
            (payload->>'correct')::integer, (payload->>'percent')::double precision,
            (payload->>'passed')::boolean, payload->>'learner')
    THEN
        UPDATE quiz.attempt
           SET status = incoming_status,
               finished_at = (payload->>'finished_at')::timestamptz,
               correct = (payload->>'correct')::integer,
               percent = (payload->>'percent')::double precision,
               passed = (payload->>'passed')::boolean,
               learner = payload->>'learner'
         WHERE id = attempt_id;
        outcome := 'changed';
    END IF;

    IF outcome = 'changed' THEN
        UPDATE quiz.attempt SET seen_at = now(), changed_xid = pg_current_xact_id()
         WHERE id = attempt_id;
    ELSE
        UPDATE quiz.attempt SET seen_at = now() WHERE id = attempt_id;
    END IF;

    -- The summaries, then the course versions seen: every transaction changes them in
    -- this order, one key each.
    IF was_counted OR outcome <> 'unchanged' THEN
        PERFORM quiz.apply_sums(attempt_id, 1);
    END IF;
    INSERT INTO quiz.course_seen AS s (clinic, course, course_version)
    VALUES (me.id, payload->>'course', payload->>'course_version')
    ON CONFLICT (clinic, course, course_version) DO UPDATE SET last_seen = now();
    RETURN outcome;
END
$$;

-- Forget a learner of the calling manager's clinic, by learner_key: every attempt and
-- answer of theirs goes, the summaries lose them, and a tombstone (no name) stays so
-- that no copy brings them back. Returns the number of attempts deleted.
CREATE FUNCTION quiz.forget_learner(key text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me quiz.clinic := quiz.caller_clinic('manager');
    gone bigint[];
    one bigint;
BEGIN
    IF key IS NULL OR key = '' THEN
        RAISE EXCEPTION 'give the learner key of the learner to forget' USING ERRCODE = '22023';
    END IF;
    SELECT coalesce(array_agg(a.id ORDER BY a.id), '{}') INTO gone FROM quiz.attempt a
     WHERE a.clinic = me.id AND a.learner_key = key;
    PERFORM 1 FROM quiz.attempt a WHERE a.id = ANY (gone) ORDER BY a.id FOR UPDATE;
    FOREACH one IN ARRAY gone LOOP
        PERFORM quiz.apply_sums(one, -1);
    END LOOP;
    PERFORM set_config('quiz.forgetting', 'on', true);
    DELETE FROM quiz.answer WHERE attempt = ANY (gone);
    DELETE FROM quiz.attempt_item WHERE attempt = ANY (gone);
    DELETE FROM quiz.attempt WHERE id = ANY (gone);
    PERFORM set_config('quiz.forgetting', '', true);
    INSERT INTO quiz.tombstone (hash, clinic) VALUES (quiz.tombstone_hash(me.code, key), me.id)
    ON CONFLICT (hash) DO NOTHING;
    RETURN cardinality(gone);
END
$$;

-- Add a clinic and its two roles (the owner runs it: quiz central init --clinic).
CREATE FUNCTION quiz.add_clinic(code text) RETURNS quiz.clinic
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    prefix text := (SELECT s.role_prefix FROM quiz.settings s);
    terminal name := prefix || '_t_' || code;
    manager name := prefix || '_m_' || code;
    result quiz.clinic;
BEGIN
    SELECT * INTO result FROM quiz.clinic c WHERE c.code = add_clinic.code;
    IF FOUND THEN
        RETURN result;
    END IF;
    IF code !~ '^[a-z0-9][a-z0-9_]{0,29}$' THEN
        RAISE EXCEPTION 'clinic id % must be lower-case letters, digits and _ (at most 30)',
            quote_literal(code) USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = terminal) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE %I', terminal, prefix || '_terminal');
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = manager) THEN
        EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE %I', manager, prefix || '_manager');
    END IF;
    INSERT INTO quiz.clinic (code, terminal_role, manager_role)
    VALUES (code, terminal, manager) RETURNING * INTO result;
    RETURN result;
END
$$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA quiz FROM PUBLIC;
GRANT USAGE ON SCHEMA quiz TO {{prefix}}_terminal, {{prefix}}_manager, {{prefix}}_group;
GRANT EXECUTE ON FUNCTION quiz.ingest_attempt(jsonb) TO {{prefix}}_terminal;
GRANT EXECUTE ON FUNCTION quiz.forget_learner(text) TO {{prefix}}_manager;
GRANT EXECUTE ON FUNCTION quiz.readable_clinics() TO {{prefix}}_manager, {{prefix}}_group;
GRANT SELECT ON quiz.clinic, quiz.attempt, quiz.attempt_item, quiz.asked_question,
    quiz.answer, quiz.summary, quiz.course_seen, quiz.tombstone
    TO {{prefix}}_manager, {{prefix}}_group;

-- Row-level security: what a manager or the group role reads. The owner (ingest and
-- forget run as it) is not subject to it.
ALTER TABLE quiz.clinic ENABLE ROW LEVEL SECURITY;
ALTER TABLE quiz.attempt ENABLE ROW LEVEL SECURITY;
ALTER TABLE quiz.attempt_item ENABLE ROW LEVEL SECURITY;
ALTER TABLE quiz.answer ENABLE ROW LEVEL SECURITY;
ALTER TABLE quiz.summary ENABLE ROW LEVEL SECURITY;
ALTER TABLE quiz.course_seen ENABLE ROW LEVEL SECURITY;
ALTER TABLE quiz.tombstone ENABLE ROW LEVEL SECURITY;
CREATE POLICY readable ON quiz.clinic FOR SELECT
    USING (id = ANY ((SELECT quiz.readable_clinics())::integer[]));
CREATE POLICY readable ON quiz.attempt FOR SELECT
    USING (clinic = ANY ((SELECT quiz.readable_clinics())::integer[]));
CREATE POLICY readable ON quiz.attempt_item FOR SELECT
    USING (EXISTS (SELECT FROM quiz.attempt a WHERE a.id = attempt));
CREATE POLICY readable ON quiz.answer FOR SELECT
    USING (EXISTS (SELECT FROM quiz.attempt a WHERE a.id = attempt));
CREATE POLICY readable ON quiz.summary FOR SELECT
    USING (clinic = ANY ((SELECT quiz.readable_clinics())::integer[]));
CREATE POLICY readable ON quiz.course_seen FOR SELECT
    USING (clinic = ANY ((SELECT quiz.readable_clinics())::integer[]));
CREATE POLICY readable ON quiz.tombstone FOR SELECT
    USING (clinic = ANY ((SELECT quiz.readable_clinics())::integer[]));
