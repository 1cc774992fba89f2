import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  WEBHOOK_TEST_EVENT,
  WEBHOOKS_PER_ACCOUNT_MAX,
  type AdminWebhookListResponse,
  type CreatedWebhookResponse,
  type WebhookDeliveryListResponse,
  type WebhookDeliveryResponse,
  type WebhookDeliveryStatus,
  type WebhookEndpointResponse,
  type WebhookListResponse,
  type WebhookPayload,
} from '@texttune/contracts';
import type { DataSource, Repository } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/cursor';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { CreateWebhookDto, UpdateWebhookDto } from './dto';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { newMessageId } from './webhook-outbox';
import { WebhookSecrets } from './webhook-secrets';
import { checkLiteralAddress, parseWebhookUrl, WebhookTargetRefused, type AddressPolicy } from './webhook-target';

const NOT_FOUND = () => new ApiError(404, 'not_found', 'There is no such webhook endpoint in your account.');

interface DeliveryRow {
  id: string;
  message_id: string;
  event_type: WebhookDeliveryResponse['event_type'];
  status: WebhookDeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toWebhookEndpoint(row: WebhookEndpointEntity): WebhookEndpointResponse {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    enabled: row.enabled,
    disabled_reason: row.disabledReason,
    disabled_at: iso(row.disabledAt),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

function toDelivery(row: DeliveryRow): WebhookDeliveryResponse {
  return {
    id: row.id,
    message_id: row.message_id,
    event_type: row.event_type,
    status: row.status,
    attempts: row.attempts,
    response_status: row.last_status_code,
    duration_ms: row.last_duration_ms,
    last_error: row.last_error,
    last_attempt_at: iso(row.last_attempt_at),
    // A row leased by a worker is pending with a due time in the future: the attempt is under way.
    next_attempt_at: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    delivered_at: iso(row.delivered_at),
    created_at: row.created_at.toISOString(),
  };
}

/**
 * Users' webhook endpoints: registration (URL checks, a signing secret shown once and
 * kept sealed), changes, their delivery log and test events. Delivery itself is the
 * workers' (WebhookDispatcher).
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger('Webhooks');
  private readonly policy: AddressPolicy;

  constructor(
    @InjectRepository(WebhookEndpointEntity) private readonly endpoints: Repository<WebhookEndpointEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly secrets: WebhookSecrets,
  ) {
    this.policy = { allowPrivate: config.webhooks.allowPrivate, allowedHosts: config.webhooks.allowedHosts };
  }

  /** An http(s) URL whose host, if an IP address, may be delivered to; 400 with the reason otherwise. */
  private checkedUrl(text: string): string {
    try {
      const url = parseWebhookUrl(text);
      try {
        checkLiteralAddress(url, this.policy);
      } catch (error) {
        if (error instanceof WebhookTargetRefused) throw new ApiError(400, 'webhook_url_refused', error.message, { url: text });
        throw error;
      }
      return url.href;
    } catch (error) {
      if (error instanceof WebhookTargetRefused) throw new ApiError(400, 'webhook_url_invalid', error.message, { url: text });
      throw error;
    }
  }

  async create(user: AuthUser, dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    const url = this.checkedUrl(dto.url);
    const count = await this.endpoints.countBy({ userId: user.id });
    if (count >= WEBHOOKS_PER_ACCOUNT_MAX) {
      throw new ApiError(409, 'limit_exceeded', `An account can have at most ${WEBHOOKS_PER_ACCOUNT_MAX} webhook endpoints; delete one you no longer use.`, { limit: WEBHOOKS_PER_ACCOUNT_MAX });
    }
    const secret = this.secrets.generate();
    const row = await this.dataSource.transaction(async (manager) => {
      const [{ id }] = (await manager.query(`SELECT gen_random_uuid() AS id`)) as { id: string }[];
      const { sealed, keyId } = this.secrets.seal(secret, id);
      await manager.insert(WebhookEndpointEntity, { id, userId: user.id, url, events: dto.events, description: dto.description || null, secretSealed: sealed, keyId });
      return manager.findOneByOrFail(WebhookEndpointEntity, { id });
    });
    this.logger.log(`user ${user.id} registered webhook endpoint ${row.id} (${new URL(url).host}) for ${dto.events.join(', ')}`);
    return { ...toWebhookEndpoint(row), secret };
  }

  async list(user: AuthUser): Promise<WebhookListResponse> {
    const rows = await this.endpoints.find({ where: { userId: user.id }, order: { createdAt: 'ASC', id: 'ASC' } });
    return { items: rows.map(toWebhookEndpoint) };
  }

  async get(user: AuthUser, id: string): Promise<WebhookEndpointResponse> {
    return toWebhookEndpoint(await this.findOwned(user, id));
  }

  private async findOwned(user: AuthUser, id: string): Promise<WebhookEndpointEntity> {
    const row = isUuid(id) ? await this.endpoints.findOneBy({ id, userId: user.id }) : null;
    if (!row) throw NOT_FOUND();
    return row;
  }

  async update(user: AuthUser, id: string, dto: UpdateWebhookDto): Promise<WebhookEndpointResponse> {
    const row = await this.findOwned(user, id);
    const changes: Partial<WebhookEndpointEntity> = {};
    if (dto.url !== undefined) changes.url = this.checkedUrl(dto.url);
    if (dto.events !== undefined) changes.events = dto.events;
    if (dto.description !== undefined) changes.description = dto.description || null;
    if (dto.enabled === true && !row.enabled) Object.assign(changes, { enabled: true, disabledReason: null, disabledAt: null, failingSince: null });
    if (dto.enabled === false && row.enabled) Object.assign(changes, { enabled: false, disabledReason: 'Disabled by its owner.', disabledAt: new Date() });
    if (Object.keys(changes).length) await this.endpoints.update({ id: row.id }, changes);
    return this.get(user, id);
  }

  /** Deletes the endpoint and its delivery log; undelivered messages are dropped. */
  async remove(user: AuthUser, id: string): Promise<void> {
    const row = await this.findOwned(user, id);
    await this.endpoints.delete({ id: row.id });
  }

  /**
   * A new secret, shown once; the old one stops at once. Messages not delivered yet are
   * signed with the new one when they are sent.
   */
  async rotateSecret(user: AuthUser, id: string): Promise<CreatedWebhookResponse> {
    const row = await this.findOwned(user, id);
    const secret = this.secrets.generate();
    const { sealed, keyId } = this.secrets.seal(secret, row.id);
    await this.endpoints.update({ id: row.id }, { secretSealed: sealed, keyId });
    this.logger.log(`user ${user.id} rotated the secret of webhook endpoint ${row.id}`);
    return { ...(await this.get(user, id)), secret };
  }

  /** The endpoint's most recent deliveries, newest first. */
  async deliveries(user: AuthUser, id: string, limit = 50): Promise<WebhookDeliveryListResponse> {
    const row = await this.findOwned(user, id);
    const rows = (await this.dataSource.query(
      `SELECT id, message_id, event_type, status, attempts, last_status_code, last_duration_ms, last_error, last_attempt_at, next_attempt_at, delivered_at, created_at
       FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [row.id, limit],
    )) as DeliveryRow[];
    return { items: rows.map(toDelivery) };
  }

  /** Queues a `webhook.test` message to this endpoint only; a worker sends it like any other. */
  async sendTest(user: AuthUser, id: string): Promise<WebhookDeliveryResponse> {
    const row = await this.findOwned(user, id);
    if (!row.enabled) throw new ApiError(409, 'conflict', 'This endpoint is disabled; enable it (PATCH with enabled: true) before sending a test event.', { disabled_reason: row.disabledReason });
    const payload: WebhookPayload<{ endpoint_id: string; message: string }> = {
      type: WEBHOOK_TEST_EVENT,
      timestamp: new Date().toISOString(),
      data: { endpoint_id: row.id, message: 'A test event from TextTune: your endpoint receives and verifies webhooks.' },
    };
    const [created] = (await this.dataSource.query(
      `INSERT INTO webhook_deliveries (message_id, endpoint_id, event_type, payload) VALUES ($1, $2, $3, $4)
       RETURNING id, message_id, event_type, status, attempts, last_status_code, last_duration_ms, last_error, last_attempt_at, next_attempt_at, delivered_at, created_at`,
      [newMessageId(), row.id, WEBHOOK_TEST_EVENT, JSON.stringify(payload)],
    )) as DeliveryRow[];
    return toDelivery(created);
  }

  /** Every account's endpoints, with their owners (role admin). */
  async listAll(): Promise<AdminWebhookListResponse> {
    const rows = await this.endpoints.find({ order: { createdAt: 'DESC', id: 'DESC' }, take: 1000 });
    const owners = rows.length
      ? ((await this.dataSource.query(`SELECT id, email FROM users WHERE id = ANY($1::uuid[])`, [[...new Set(rows.map((r) => r.userId))]])) as { id: string; email: string | null }[])
      : [];
    const emails = new Map(owners.map((o) => [o.id, o.email ?? '']));
    return { items: rows.map((row) => ({ ...toWebhookEndpoint(row), user_id: row.userId, user_email: emails.get(row.userId) ?? '' })) };
  }
}
