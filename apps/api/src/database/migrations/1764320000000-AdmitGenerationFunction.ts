import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * admit_generation(): a job's admission in one round trip (see GenerationRepository.admit).
 * It locks the user's row first, serialising that user's concurrent requests; a function
 * body's statements each take a new snapshot under READ COMMITTED, so the counts that follow
 * the lock see every request committed while this one waited. Today's seconds are summed
 * only when there is a daily quota. The job comes back as a `generations` row, null when
 * a limit refused it; its position is its 1-based place among the queued jobs.
 */
export class AdmitGenerationFunction1764320000000 implements MigrationInterface {
  name = 'AdmitGenerationFunction1764320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION admit_generation(
        p_user uuid, p_prompt text, p_request jsonb, p_engine text, p_seconds float8,
        p_max_active int, p_max_queue int, p_daily_quota float8,
        OUT active int, OUT queued int, OUT today float8, OUT "position" int, OUT job generations
      ) LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM 1 FROM users u WHERE u.id = p_user FOR UPDATE;
        SELECT count(*)::int INTO active FROM generations g WHERE g.user_id = p_user AND g.status IN ('queued', 'running');
        SELECT count(*)::int INTO queued FROM generations g WHERE g.status = 'queued';
        today := 0;
        IF p_daily_quota > 0 THEN
          SELECT coalesce(sum(g.requested_seconds), 0)::float8 INTO today FROM generations g
          WHERE g.user_id = p_user AND g.status NOT IN ('failed', 'canceled')
            AND g.created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
        END IF;
        IF active < p_max_active AND queued < p_max_queue AND (p_daily_quota <= 0 OR today + p_seconds <= p_daily_quota) THEN
          INSERT INTO generations (user_id, status, prompt, request, engine, requested_seconds)
          VALUES (p_user, 'queued', p_prompt, p_request, p_engine, p_seconds)
          RETURNING * INTO job;
          SELECT count(*)::int + 1 INTO "position" FROM generations g
          WHERE g.status = 'queued' AND (g.created_at, g.id) < (job.created_at, job.id);
        ELSE
          "position" := queued + 1;
        END IF;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION admit_generation(uuid, text, jsonb, text, float8, int, int, float8)`);
  }
}
