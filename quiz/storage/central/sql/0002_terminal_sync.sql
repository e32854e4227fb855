-- What `quiz sync` needs from a terminal's role besides ingest (issue 16): sending the
-- tombstones of learners forgotten on the terminal, and reading, for its own clinic
-- only, the tombstones (so that the terminal forgets them too) and the course versions
-- its clinic's terminals have used (sync warns when another terminal uses a newer one).
-- A terminal role still reads no table: these run as the owner and return its clinic's.

-- Forget, at clinic `clinic_id`, the learner whose tombstone is `tomb` (sha256 of the
-- clinic code, a newline and the learner key): as quiz.forget_learner does, found by
-- the hash (the terminal sends no name). Callable only by the functions below.
CREATE FUNCTION quiz.forget_by_tombstone(clinic_id integer, clinic_code text, tomb bytea,
                                         day date) RETURNS integer
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    gone bigint[];
    one bigint;
BEGIN
    SELECT coalesce(array_agg(a.id ORDER BY a.id), '{}') INTO gone FROM quiz.attempt a
     WHERE a.clinic = clinic_id AND quiz.tombstone_hash(clinic_code, a.learner_key) = tomb;
    PERFORM 1 FROM quiz.attempt a WHERE a.id = ANY (gone) ORDER BY a.id FOR UPDATE;
    FOREACH one IN ARRAY gone LOOP
        PERFORM quiz.apply_sums(one, -1);
    END LOOP;
    PERFORM set_config('quiz.forgetting', 'on', true);
    DELETE FROM quiz.answer WHERE attempt = ANY (gone);
    DELETE FROM quiz.attempt_item WHERE attempt = ANY (gone);
    DELETE FROM quiz.attempt WHERE id = ANY (gone);
    PERFORM set_config('quiz.forgetting', '', true);
    INSERT INTO quiz.tombstone (hash, clinic, forgotten_on)
    VALUES (tomb, clinic_id, coalesce(day, current_date))
    ON CONFLICT (hash) DO NOTHING;
    RETURN cardinality(gone);
END
$$;

-- A terminal's tombstone (a learner forgotten there): its clinic's matching attempts
-- are forgotten here too, and later ones refused. Returns the attempts deleted.
CREATE FUNCTION quiz.add_tombstone(tomb bytea, day date) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me quiz.clinic := quiz.caller_clinic('terminal');
BEGIN
    IF tomb IS NULL OR length(tomb) <> 32 THEN
        RAISE EXCEPTION 'a tombstone is a sha256 hash (32 bytes)' USING ERRCODE = '22023';
    END IF;
    RETURN quiz.forget_by_tombstone(me.id, me.code, tomb, day);
END
$$;

-- The tombstones of the calling terminal's clinic.
CREATE FUNCTION quiz.clinic_tombstones() RETURNS TABLE (hash bytea, forgotten_on date)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT t.hash, t.forgotten_on FROM quiz.tombstone t
     WHERE t.clinic = (quiz.caller_clinic('terminal')).id ORDER BY t.hash
$$;

-- The course versions the calling terminal's clinic has used, with when each was first
-- and last seen (the server's clock).
CREATE FUNCTION quiz.clinic_courses()
    RETURNS TABLE (course text, course_version text, first_seen timestamptz,
                   last_seen timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT s.course, s.course_version, s.first_seen, s.last_seen FROM quiz.course_seen s
     WHERE s.clinic = (quiz.caller_clinic('terminal')).id ORDER BY s.course, s.last_seen
$$;

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA quiz FROM PUBLIC;
GRANT EXECUTE ON FUNCTION quiz.add_tombstone(bytea, date), quiz.clinic_tombstones(),
    quiz.clinic_courses() TO {{prefix}}_terminal;
