import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  WEBHOOK_TEST_EVENT,
  WEBHOOKS_PER_ACCOUNT_MAX,
  type AdminWebhookListResponse,
  type CreatedWebhookResponse,
  type WebhookDeliveryListResponse,
  type WebhookDeliveryResponse,
  type WebhookEndpointResponse,
  type WebhookListResponse,
  type WebhookPayload,
} from '@texttune/contracts';
import type { AuthUser } from '../auth/auth-user';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/uuid';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { CreateWebhookDto, UpdateWebhookDto } from './dto';
import { UserRepository } from '../users/user.repository';
import type { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookEndpointRepository, type EndpointChanges, type WebhookDeliveryRow } from './webhook-endpoint.repository';
import { newMessageId } from './webhook-outbox';
import { WebhookSecrets } from './webhook-secrets';
import { checkLiteralAddress, parseWebhookUrl, WebhookTargetRefused, type AddressPolicy } from './webhook-target';

const NOT_FOUND = () => new ApiError(404, 'not_found', 'There is no such webhook endpoint in your account.');

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

function toDelivery(row: WebhookDeliveryRow): WebhookDeliveryResponse {
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
    private readonly endpoints: WebhookEndpointRepository,
    private readonly users: UserRepository,
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
    const count = await this.endpoints.countOf(user.id);
    if (count >= WEBHOOKS_PER_ACCOUNT_MAX) {
      throw new ApiError(409, 'limit_exceeded', `An account can have at most ${WEBHOOKS_PER_ACCOUNT_MAX} webhook endpoints; delete one you no longer use.`, { limit: WEBHOOKS_PER_ACCOUNT_MAX });
    }
    const secret = this.secrets.generate();
    const row = await this.endpoints.create({ userId: user.id, url, events: dto.events, description: dto.description || null }, (id) => this.secrets.seal(secret, id));
    this.logger.log(`user ${user.id} registered webhook endpoint ${row.id} (${new URL(url).host}) for ${dto.events.join(', ')}`);
    return { ...toWebhookEndpoint(row), secret };
  }

  async list(user: AuthUser): Promise<WebhookListResponse> {
    const rows = await this.endpoints.listOf(user.id);
    return { items: rows.map(toWebhookEndpoint) };
  }

  async get(user: AuthUser, id: string): Promise<WebhookEndpointResponse> {
    return toWebhookEndpoint(await this.findOwned(user, id));
  }

  private async findOwned(user: AuthUser, id: string): Promise<WebhookEndpointEntity> {
    const row = isUuid(id) ? await this.endpoints.findOwned(user.id, id) : null;
    if (!row) throw NOT_FOUND();
    return row;
  }

  async update(user: AuthUser, id: string, dto: UpdateWebhookDto): Promise<WebhookEndpointResponse> {
    const row = await this.findOwned(user, id);
    const changes: EndpointChanges = {};
    if (dto.url !== undefined) changes.url = this.checkedUrl(dto.url);
    if (dto.events !== undefined) changes.events = dto.events;
    if (dto.description !== undefined) changes.description = dto.description || null;
    if (dto.enabled === true && !row.enabled) Object.assign(changes, { enabled: true, disabledReason: null, disabledAt: null, failingSince: null });
    if (dto.enabled === false && row.enabled) Object.assign(changes, { enabled: false, disabledReason: 'Disabled by its owner.', disabledAt: new Date() });
    if (Object.keys(changes).length) await this.endpoints.change(row.id, changes);
    return this.get(user, id);
  }

  /** Deletes the endpoint and its delivery log; undelivered messages are dropped. */
  async remove(user: AuthUser, id: string): Promise<void> {
    const row = await this.findOwned(user, id);
    await this.endpoints.remove(row.id);
  }

  /**
   * A new secret, shown once; the old one stops at once. Messages not delivered yet are
   * signed with the new one when they are sent.
   */
  async rotateSecret(user: AuthUser, id: string): Promise<CreatedWebhookResponse> {
    const row = await this.findOwned(user, id);
    const secret = this.secrets.generate();
    const { sealed, keyId } = this.secrets.seal(secret, row.id);
    await this.endpoints.change(row.id, { secretSealed: sealed, keyId });
    this.logger.log(`user ${user.id} rotated the secret of webhook endpoint ${row.id}`);
    return { ...(await this.get(user, id)), secret };
  }

  /** The endpoint's most recent deliveries, newest first. */
  async deliveries(user: AuthUser, id: string, limit = 50): Promise<WebhookDeliveryListResponse> {
    const row = await this.findOwned(user, id);
    return { items: (await this.endpoints.recentDeliveries(row.id, limit)).map(toDelivery) };
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
    return toDelivery(await this.endpoints.queueDelivery(row.id, { id: newMessageId(), type: WEBHOOK_TEST_EVENT, payload }));
  }

  /** Every account's endpoints, with their owners (role admin). */
  async listAll(): Promise<AdminWebhookListResponse> {
    const rows = await this.endpoints.newest(1000);
    const emails = rows.length ? await this.users.emailsOf([...new Set(rows.map((r) => r.userId))]) : new Map<string, string | null>();
    return { items: rows.map((row) => ({ ...toWebhookEndpoint(row), user_id: row.userId, user_email: emails.get(row.userId) ?? '' })) };
  }
}
