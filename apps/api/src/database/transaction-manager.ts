import type { EntityManager } from 'typeorm';
import type { Sql } from './sql';

/** The TypeORM side of `tx`, for code that writes through an EntityManager inside the same transaction (the webhook outbox). */
export function transactionManager(tx: Sql): EntityManager {
  if (!tx.manager) throw new Error('transactionManager: this Sql is not inside a transaction');
  return tx.manager;
}
