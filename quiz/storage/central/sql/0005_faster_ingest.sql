-- A faster ingest (issue 16, the push budget): quiz.ingest_attempt as in 0003, with
-- each question as asked built and hashed once (not twice), and no second write of an
-- attempt it has just added (its seen_at and changed_xid are the insert's own).
-- What it stores and returns is unchanged.

CREATE OR REPLACE FUNCTION quiz.ingest_attempt(payload jsonb) RETURNS text
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
    bodies jsonb[];
    digests bytea[];
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
       OR jsonb_typeof(coalesce(payload->'identified', '"typed"')) IS DISTINCT FROM 'string'
       OR coalesce(payload->>'identified', 'typed')
          NOT IN ('typed', 'pin', 'witnessed', 'central')
       OR jsonb_typeof(coalesce(payload->'verify_code', 'null')) NOT IN ('string', 'null')
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
                                  percent, passed, utc_offset_minutes, identified,
                                  verify_code)
        VALUES (payload->>'id', me.id, payload->>'learner', payload->>'learner_key',
                payload->>'course', payload->>'course_version', payload->>'mode',
                payload->>'exam',
                ARRAY(SELECT jsonb_array_elements_text(coalesce(payload->'sections', '[]'))),
                coalesce((payload->>'seed')::bigint, 0), incoming_status,
                (payload->>'started_at')::timestamptz, (payload->>'finished_at')::timestamptz,
                (payload->>'time_limit_seconds')::integer, (payload->>'deadline_at')::timestamptz,
                (payload->>'pass_mark')::integer, (payload->>'correct')::integer,
                (payload->>'total')::integer, (payload->>'percent')::double precision,
                (payload->>'passed')::boolean, (payload->>'utc_offset_minutes')::integer,
                coalesce(payload->>'identified', 'typed'), payload->>'verify_code')
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
    -- of its own (it sees versions another transaction added meanwhile). Each body and
    -- its digest are made once.
    SELECT array_agg(b.body ORDER BY b.item),
           array_agg(pg_catalog.sha256(convert_to(b.body::text, 'UTF8')) ORDER BY b.item)
      INTO bodies, digests
      FROM quiz.asked_bodies(payload->'answers') b;
    INSERT INTO quiz.asked_question (digest, body)
    SELECT DISTINCT u.digest, u.body
      FROM unnest(digests, bodies) u(digest, body)
     ORDER BY 1
    ON CONFLICT (digest) DO NOTHING;
    SELECT array_agg(q.id ORDER BY u.n), count(q.id)
      INTO asked_ids, item_count
      FROM unnest(digests) WITH ORDINALITY u(digest, n)
      LEFT JOIN quiz.asked_question q ON q.digest = u.digest;
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

    -- A verification code is computed when an exam ends (or later, for an older one):
    -- the latest one sent is kept. How the learner was identified is fixed when the
    -- attempt starts, so it is not changed here.
    IF outcome <> 'added' AND payload->>'verify_code' IS NOT NULL
       AND stored.verify_code IS DISTINCT FROM payload->>'verify_code' THEN
        UPDATE quiz.attempt SET verify_code = payload->>'verify_code' WHERE id = attempt_id;
        outcome := 'changed';
    END IF;

    IF outcome = 'changed' THEN
        UPDATE quiz.attempt SET seen_at = now(), changed_xid = pg_current_xact_id()
         WHERE id = attempt_id;
    ELSIF outcome = 'unchanged' THEN
        UPDATE quiz.attempt SET seen_at = now() WHERE id = attempt_id;
    END IF;  -- (an attempt just added has its seen_at and changed_xid already)

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
