import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AuditAction, AuditEntry } from '@texttune/contracts';
import type { Repository } from 'typeorm';
import type { KeysetCursor } from '../common/cursor';
import { Sql } from '../database/sql';
import { AuditLogEntity } from './audit-log.entity';

/** An entry to record: who, what, on what, and from where. */
export interface NewAuditEntry {
  actorId: string | null;
  actorEmail: string | null;
  action: AuditAction;
  targetType: AuditEntry['target']['type'];
  targetId: string;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditFilter {
  action?: AuditAction;
  actorId?: string;
  targetId?: string;
  after?: KeysetCursor;
  limit: number;
}

/** The audit log (`audit_log`): append-only. */
@Injectable()
export class AuditRepository {
  constructor(
    private readonly sql: Sql,
    @InjectRepository(AuditLogEntity) private readonly entries: Repository<AuditLogEntity>,
  ) {}

  /** Appends an entry; pass the transaction of the action it records, so both commit or neither does. */
  async append(entry: NewAuditEntry, tx: Sql = this.sql): Promise<void> {
    await tx.run(
      `INSERT INTO audit_log (actor_id, actor_email, action, target_type, target_id, details, ip, user_agent, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [entry.actorId, entry.actorEmail, entry.action, entry.targetType, entry.targetId, JSON.stringify(entry.details), entry.ip, entry.userAgent, entry.requestId],
    );
  }

  /** Newest first, after the keyset `after`, matching every filter given. */
  page(filter: AuditFilter): Promise<AuditLogEntity[]> {
    const builder = this.entries.createQueryBuilder('a');
    if (filter.action) builder.andWhere('a.action = :action', { action: filter.action });
    if (filter.actorId) builder.andWhere('a.actor_id = :actor', { actor: filter.actorId });
    if (filter.targetId) builder.andWhere('a.target_id = :target', { target: filter.targetId });
    if (filter.after) builder.andWhere('(a.created_at, a.id) < (:at, :id)', { at: filter.after.createdAt, id: filter.after.id });
    return builder.orderBy('a.created_at', 'DESC').addOrderBy('a.id', 'DESC').limit(filter.limit).getMany();
  }
}
