import { Injectable } from '@nestjs/common';
import type { AuditAction, AuditEntry, AuditListResponse } from '@texttune/contracts';
import type { Request } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { decodeCursor, encodeCursor } from '../common/cursor';
import type { Sql } from '../database/sql';
import type { AuditLogEntity } from './audit-log.entity';
import { AuditRepository } from './audit.repository';

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
  constructor(private readonly entries: AuditRepository) {}

  /** Records an action in `tx`, the transaction that performs it. */
  async record(tx: Sql, context: AuditContext, action: AuditAction, target: { type: AuditEntry['target']['type']; id: string }, details: Record<string, unknown> = {}): Promise<void> {
    await this.entries.append(
      { actorId: context.actor.id || null, actorEmail: context.actor.email, action, targetType: target.type, targetId: target.id, details, ip: context.ip, userAgent: context.userAgent, requestId: context.requestId },
      tx,
    );
  }

  async list(query: AuditQuery): Promise<AuditListResponse> {
    const { action, actorId, targetId, limit } = query;
    const rows = await this.entries.page({ action, actorId, targetId, after: decodeCursor(query.cursor), limit: limit + 1 });
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
