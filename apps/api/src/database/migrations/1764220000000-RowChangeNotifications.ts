import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose changes are announced: those the per-request authentication reads. */
const WATCHED = ['users', 'sessions', 'api_tokens', 'tracks'] as const;

/**
 * Announces every update, delete and truncation of the rows an authenticated request
 * reads (the caller's session or API token, account, and the track it streams) with
 * `pg_notify('texttune_row_changes', '<table>:<id>')`, or `'<table>:*'` for a truncation
 * or a statement that changed over 100 rows (one notice instead of thousands, as when an
 * account and its library are deleted). The API keeps what it read of those rows in
 * memory until such a notice (auth/auth-cache.ts). Statement-level triggers: one call
 * per statement, however many rows it changed; inserts need no notice.
 */
export class RowChangeNotifications1764220000000 implements MigrationInterface {
  name = 'RowChangeNotifications1764220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION texttune_notify_row_changes() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changed uuid;
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN -- (no transition table)
          PERFORM pg_notify('texttune_row_changes', TG_TABLE_NAME || ':*');
        ELSIF (SELECT count(*) FROM old_rows) > 100 THEN
          PERFORM pg_notify('texttune_row_changes', TG_TABLE_NAME || ':*');
        ELSE
          FOR changed IN SELECT id FROM old_rows LOOP
            PERFORM pg_notify('texttune_row_changes', TG_TABLE_NAME || ':' || changed);
          END LOOP;
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of WATCHED) {
      // A trigger with a transition table fires on one event only: one per event.
      for (const event of ['UPDATE', 'DELETE']) {
        await q.query(`CREATE TRIGGER ${table}_${event.toLowerCase()}_notify AFTER ${event} ON ${table}
          REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION texttune_notify_row_changes()`);
      }
      await q.query(`CREATE TRIGGER ${table}_truncate_notify AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION texttune_notify_row_changes()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION texttune_notify_row_changes() CASCADE`);
  }
}
