import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

/** What a statement returns: its rows (from `SELECT` or `RETURNING`) and how many rows it touched. */
export interface SqlResult<R> {
  rows: R[];
  rowCount: number;
}

/**
 * The one way TextTune sends SQL: text with `$1…$n` placeholders and the values bound
 * beside it, on TypeORM's pool, never values spliced into the text. Repositories hold an
 * `Sql`; inside `transaction()` they get one bound to that transaction's connection, and
 * `tx.manager` lets a TypeORM repository take part in the same transaction.
 * Provided by `DatabaseModule`.
 */
export class Sql {
  constructor(
    private readonly dataSource: DataSource,
    /** Set inside a transaction: every statement runs on its connection. */
    readonly manager?: EntityManager,
  ) {}

  async query<R>(text: string, values: readonly unknown[] = []): Promise<SqlResult<R>> {
    const own = this.manager?.queryRunner === undefined;
    const runner: QueryRunner = this.manager?.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(text, values as unknown[], true);
      const rows = (result.records ?? []) as R[];
      return { rows, rowCount: result.affected ?? rows.length };
    } finally {
      if (own) await runner.release();
    }
  }

  async rows<R>(text: string, values: readonly unknown[] = []): Promise<R[]> {
    return (await this.query<R>(text, values)).rows;
  }

  /** The first row, or undefined when there is none. */
  async one<R>(text: string, values: readonly unknown[] = []): Promise<R | undefined> {
    return (await this.query<R>(text, values)).rows[0];
  }

  /** Runs a statement for its effect; returns how many rows it touched. */
  async run(text: string, values: readonly unknown[] = []): Promise<number> {
    return (await this.query(text, values)).rowCount;
  }

  /** Runs `work` in one transaction (joining the current one when this `Sql` is already inside one). */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    if (this.manager) return work(this);
    return this.dataSource.transaction((manager) => work(new Sql(this.dataSource, manager)));
  }
}
