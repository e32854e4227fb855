-- Learners' flags on questions (issue 17): a learner flags the question in front of
-- them with an optional one-line note; the terminal keeps it with its attempt and
-- sends it with the attempt (quiz.storage.central.push: ingest_attempt, then
-- ingest_flags in the same transaction). Append-only: a flag is never changed, and is
-- deleted only with its attempt when its learner is forgotten (the delete cascades
-- from attempt_item while quiz.forgetting is on). An exam's flags are kept by the
-- terminal and shown to nobody until the exam is over: the terminal sends none before,
-- and this function refuses to store any on an exam still open.

CREATE TABLE quiz.flag (
    uuid text PRIMARY KEY CHECK (length(uuid) BETWEEN 1 AND 100),
    attempt bigint NOT NULL,
    item integer NOT NULL CHECK (item >= 0),
    question_id text NOT NULL,
    flagged_at timestamptz NOT NULL,
    note text NOT NULL CHECK (length(note) <= 200),
    received_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (attempt, item) REFERENCES quiz.attempt_item(attempt, item) ON DELETE CASCADE
);
CREATE INDEX flag_attempt ON quiz.flag (attempt);

CREATE FUNCTION quiz.refuse_flag_change() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'a flag is kept as it was raised: it is never changed'
        USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER flag_refuse_update BEFORE UPDATE ON quiz.flag
    FOR EACH STATEMENT EXECUTE FUNCTION quiz.refuse_flag_change();
CREATE TRIGGER flag_refuse_delete BEFORE DELETE OR TRUNCATE ON quiz.flag
    FOR EACH STATEMENT EXECUTE FUNCTION quiz.refuse_delete();

-- Add the flags of one attempt of the calling terminal's clinic, sent after the
-- attempt itself: a JSON array of {id, position, question_id, flagged_at, note} as
-- `quiz scores --format json` writes them. A flag already here (by id) is left as it
-- is; one whose question is not the attempt's at that position is left out. The
-- attempt's changed_xid moves when one is added, so the next pull brings it. Returns
-- how many were added. Errors: 42501 not one clinic's terminal; QZ002 not an attempt of
-- this clinic; 22023 not an array of flags; QZ004 an exam still open.
CREATE FUNCTION quiz.ingest_flags(attempt_uuid text, flags jsonb) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me quiz.clinic := quiz.caller_clinic('terminal');
    target quiz.attempt;
    added integer;
BEGIN
    SELECT * INTO target FROM quiz.attempt a WHERE a.uuid = attempt_uuid;
    IF NOT FOUND OR target.clinic <> me.id THEN
        RAISE EXCEPTION 'flags for attempt %, which clinic % has not sent', attempt_uuid, me.code
            USING ERRCODE = 'QZ002';
    END IF;
    IF jsonb_typeof(flags) IS DISTINCT FROM 'array'
       OR EXISTS (SELECT FROM jsonb_array_elements(flags) f
                   WHERE jsonb_typeof(f) IS DISTINCT FROM 'object'
                      OR jsonb_typeof(f->'id') IS DISTINCT FROM 'string'
                      OR jsonb_typeof(f->'position') IS DISTINCT FROM 'number'
                      OR jsonb_typeof(f->'question_id') IS DISTINCT FROM 'string'
                      OR jsonb_typeof(f->'flagged_at') IS DISTINCT FROM 'string'
                      OR jsonb_typeof(f->'note') IS DISTINCT FROM 'string')
    THEN
        RAISE EXCEPTION 'not flags as quiz sends them (a list of id, position, question_id, '
                        'flagged_at and note)'
            USING ERRCODE = '22023';
    END IF;
    IF target.mode = 'exam' AND target.status IN ('in_progress', 'paused') THEN
        RAISE EXCEPTION 'flags of exam % are shown to nobody until it is over', attempt_uuid
            USING ERRCODE = 'QZ004';
    END IF;
    INSERT INTO quiz.flag (uuid, attempt, item, question_id, flagged_at, note)
    SELECT f->>'id', target.id, (f->>'position')::integer, f->>'question_id',
           (f->>'flagged_at')::timestamptz, f->>'note'
      FROM jsonb_array_elements(flags) f
      JOIN quiz.attempt_item i ON i.attempt = target.id AND i.item = (f->>'position')::integer
      JOIN quiz.asked_question q ON q.id = i.asked
     WHERE q.body->>'question_id' = f->>'question_id'
    ON CONFLICT (uuid) DO NOTHING;
    GET DIAGNOSTICS added = ROW_COUNT;
    IF added > 0 THEN
        UPDATE quiz.attempt SET changed_xid = pg_current_xact_id() WHERE id = target.id;
    END IF;
    RETURN added;
END
$$;

REVOKE ALL ON FUNCTION quiz.ingest_flags(text, jsonb), quiz.refuse_flag_change() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION quiz.ingest_flags(text, jsonb) TO {{prefix}}_terminal;
GRANT SELECT ON quiz.flag TO {{prefix}}_manager, {{prefix}}_group;
ALTER TABLE quiz.flag ENABLE ROW LEVEL SECURITY;
CREATE POLICY readable ON quiz.flag FOR SELECT
    USING (EXISTS (SELECT FROM quiz.attempt a WHERE a.id = attempt));
