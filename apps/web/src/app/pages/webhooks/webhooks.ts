import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal, viewChild } from '@angular/core';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import {
  WEBHOOK_DESCRIPTION_MAX_LENGTH,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_URL_MAX_LENGTH,
  type CreatedWebhookResponse,
  type WebhookDeliveryResponse,
  type WebhookEndpointResponse,
  type WebhookEventType,
} from '@texttune/contracts';
import { Api } from '../../core/api';
import { ErrorText } from '../../core/error-text';
import { fieldErrors, toErrorResponse } from '../../core/errors';
import { LanguageService } from '../../core/language';
import { Notifications } from '../../core/notifications';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { SettingsNav } from '../../ui/settings-nav';
import { ShownOnceSecret } from '../../ui/shown-once-secret';

/** The events a new endpoint starts with. */
const DEFAULT_EVENTS: WebhookEventType[] = ['generation.succeeded', 'generation.failed'];

/**
 * Webhook endpoints: register a URL for job events (its signing secret shown once, with
 * copy), see whether each is enabled and why not, its recent deliveries, send a test
 * event, delete.
 */
@Component({
  selector: 'tt-webhooks',
  imports: [DatePipe, TranslocoPipe, ConfirmDialog, SettingsNav, ShownOnceSecret],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './webhooks.html',
  styleUrl: './webhooks.css',
})
export class WebhooksPage {
  private readonly api = inject(Api);
  private readonly notifications = inject(Notifications);
  private readonly transloco = inject(TranslocoService);
  private readonly errorText = inject(ErrorText);
  /** the locale of dates */
  protected readonly lang = inject(LanguageService).current;
  protected readonly eventTypes = WEBHOOK_EVENT_TYPES;
  protected readonly urlMax = WEBHOOK_URL_MAX_LENGTH;
  protected readonly descriptionMax = WEBHOOK_DESCRIPTION_MAX_LENGTH;
  protected readonly endpoints = signal<WebhookEndpointResponse[] | null>(null);
  protected readonly loadFailed = signal(false);
  protected readonly url = signal('');
  protected readonly description = signal('');
  protected readonly events = signal<WebhookEventType[]>([...DEFAULT_EVENTS]);
  protected readonly formError = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);
  /** the endpoint just created: the only time its secret is shown */
  protected readonly created = signal<CreatedWebhookResponse | null>(null);
  /** the endpoint whose deliveries are open, and them */
  protected readonly openId = signal<string | null>(null);
  protected readonly deliveries = signal<WebhookDeliveryResponse[] | null>(null);
  protected readonly pending = signal<WebhookEndpointResponse | null>(null);
  private readonly confirmDelete = viewChild.required<ConfirmDialog>('confirmDelete');

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loadFailed.set(false);
    try {
      this.endpoints.set((await this.api.webhooks()).items);
    } catch {
      this.loadFailed.set(true);
    }
  }

  protected toggleEvent(type: WebhookEventType, on: boolean): void {
    this.events.update((list) => (on ? [...new Set([...list, type])] : list.filter((t) => t !== type)));
  }

  protected async create(): Promise<void> {
    const url = this.url().trim();
    this.formError.set(null);
    if (!url) {
      this.formError.set(this.transloco.translate('webhooks.urlRequired'));
      document.getElementById('webhook-url')?.focus();
      return;
    }
    if (!this.events().length) {
      this.formError.set(this.transloco.translate('webhooks.eventsRequired'));
      return;
    }
    this.busy.set('create');
    try {
      const description = this.description().trim();
      const events = WEBHOOK_EVENT_TYPES.filter((t) => this.events().includes(t));
      const created = await this.api.createWebhook({ url, events, ...(description ? { description } : {}) });
      const { secret: _secret, ...listed } = created;
      this.endpoints.update((list) => [...(list ?? []).filter((e) => e.id !== created.id), listed]);
      this.created.set(created);
      this.url.set('');
      this.description.set('');
      this.events.set([...DEFAULT_EVENTS]);
    } catch (error) {
      const body = toErrorResponse(error);
      const fields = fieldErrors(body);
      this.formError.set(fields['url']?.join(' ') || fields['events']?.join(' ') || fields['description']?.join(' ') || this.errorText.describe(body));
      document.getElementById('webhook-url')?.focus();
    } finally {
      this.busy.set(null);
    }
  }

  protected async showDeliveries(endpoint: WebhookEndpointResponse): Promise<void> {
    if (this.openId() === endpoint.id) {
      this.openId.set(null);
      return;
    }
    this.openId.set(endpoint.id);
    await this.refreshDeliveries(endpoint.id);
  }

  protected async refreshDeliveries(id: string): Promise<void> {
    this.deliveries.set(null);
    try {
      const { items } = await this.api.webhookDeliveries(id);
      if (this.openId() === id) this.deliveries.set(items);
    } catch {
      // the interceptor showed the server's sentence
    }
  }

  protected async sendTest(endpoint: WebhookEndpointResponse): Promise<void> {
    this.busy.set(`test-${endpoint.id}`);
    try {
      await this.api.testWebhook(endpoint.id);
      this.notifications.info(this.transloco.translate('webhooks.testSent'));
      this.openId.set(endpoint.id);
      await this.refreshDeliveries(endpoint.id);
    } catch {
      // the interceptor showed the server's sentence
    } finally {
      this.busy.set(null);
    }
  }

  protected async setEnabled(endpoint: WebhookEndpointResponse, enabled: boolean): Promise<void> {
    this.busy.set(`enable-${endpoint.id}`);
    try {
      const updated = await this.api.updateWebhook(endpoint.id, { enabled });
      this.endpoints.update((list) => list?.map((e) => (e.id === updated.id ? updated : e)) ?? list);
    } catch {
      // the interceptor showed the server's sentence
    } finally {
      this.busy.set(null);
    }
  }

  protected async remove(endpoint: WebhookEndpointResponse): Promise<void> {
    this.pending.set(endpoint);
    if (!(await this.confirmDelete().ask())) return;
    this.busy.set(`delete-${endpoint.id}`);
    try {
      await this.api.deleteWebhook(endpoint.id);
      this.endpoints.update((list) => list?.filter((e) => e.id !== endpoint.id) ?? list);
      if (this.created()?.id === endpoint.id) this.created.set(null);
      if (this.openId() === endpoint.id) this.openId.set(null);
      this.notifications.info(this.transloco.translate('webhooks.deleted'));
    } catch {
      // the interceptor showed the server's sentence
    } finally {
      this.busy.set(null);
    }
  }
}
