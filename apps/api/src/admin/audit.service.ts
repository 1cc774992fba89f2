import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AuditAction, AuditEntry, AuditListResponse } from '@texttune/contracts';
import type { Request } from 'express';
import type { EntityManager, Repository } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { AuditLogEntity } from './audit-log.entity';

/** Who acts and from where: recorded with each admin action. */
export interface AuditContext {
  actor: Pick<AuthUser, 'id' | 'email'>;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export function auditContext(req: Request): AuditContext {
  const user = req.user as AuthUser | undefined;
  const id = (req as { id?: unknown }).id;
  return {
    actor: { id: user?.id ?? '', email: user?.email ?? null },
    ip: req.ip?.slice(0, 64) ?? null,
    userAgent: req.get('user-agent')?.slice(0, 400) ?? null,
    requestId: typeof id === 'string' ? id.slice(0, 128) : null,
  };
}

export interface AuditQuery {
  action?: AuditAction;
  actorId?: string;
  targetId?: string;
  limit: number;
  cursor?: string;
}

/** The audit log: written in the same transaction as the action it records. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditLogEntity) private readonly entries: Repository<AuditLogEntity>) {}

  async record(manager: EntityManager, context: AuditContext, action: AuditAction, target: { type: AuditEntry['target']['type']; id: string }, details: Record<string, unknown> = {}): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (actor_id, actor_email, action, target_type, target_id, details, ip, user_agent, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [context.actor.id || null, context.actor.email, action, target.type, target.id, JSON.stringify(details), context.ip, context.userAgent, context.requestId],
    );
  }

  async list(query: AuditQuery): Promise<AuditListResponse> {
    const after = decodeCursor(query.cursor);
    const builder = this.entries.createQueryBuilder('a');
    if (query.action) builder.andWhere('a.action = :action', { action: query.action });
    if (query.actorId) builder.andWhere('a.actor_id = :actor', { actor: query.actorId });
    if (query.targetId) builder.andWhere('a.target_id = :target', { target: query.targetId });
    if (after) builder.andWhere('(a.created_at, a.id) < (:at, :id)', { at: after.createdAt, id: after.id });
    const rows = await builder.orderBy('a.created_at', 'DESC').addOrderBy('a.id', 'DESC').limit(query.limit + 1).getMany();
    const page = rows.slice(0, query.limit);
    return { items: page.map(toEntry), nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]) : null };
  }
}

function toEntry(row: AuditLogEntity): AuditEntry {
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    actor: { id: row.actorId, email: row.actorEmail },
    action: row.action,
    target: { type: row.targetType, id: row.targetId },
    details: row.details,
    ip: row.ip,
    userAgent: row.userAgent,
    requestId: row.requestId,
  };
}
