import type { GenerationResponse } from './generations';
import type { LibraryItem } from './tracks';

/** The events an endpoint can subscribe to (`webhook.test` is sent only on request). */
export const WEBHOOK_EVENT_TYPES = ['generation.succeeded', 'generation.failed', 'generation.canceled', 'track.deleted'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** Sent by `POST /v1/webhooks/:id/test` to that endpoint only. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export const WEBHOOK_DESCRIPTION_MAX_LENGTH = 200;
export const WEBHOOK_URL_MAX_LENGTH = 2000;
/** Endpoints one account may have. */
export const WEBHOOKS_PER_ACCOUNT_MAX = 20;

/** `POST /v1/webhooks` */
export interface CreateWebhookRequest {
  url: string;
  events: WebhookEventType[];
  description?: string;
}

/** `PATCH /v1/webhooks/:id`: any subset; `enabled: true` turns a disabled endpoint back on. */
export interface UpdateWebhookRequest {
  url?: string;
  events?: WebhookEventType[];
  description?: string;
  enabled?: boolean;
}

export interface WebhookEndpointResponse {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  enabled: boolean;
  /** why deliveries stopped (410 Gone, failing for 24 hours…); null while enabled */
  disabled_reason: string | null;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The answer of create and rotate-secret: the only time the signing secret is shown. */
export interface CreatedWebhookResponse extends WebhookEndpointResponse {
  /** `whsec_<base64 key>`: verify each delivery's `webhook-signature` with it (Standard Webhooks) */
  secret: string;
}

export interface WebhookListResponse {
  items: WebhookEndpointResponse[];
}

/** An endpoint with its owner (`GET /v1/admin/webhooks`). */
export interface AdminWebhookEndpointResponse extends WebhookEndpointResponse {
  user_id: string;
  user_email: string;
}

export interface AdminWebhookListResponse {
  items: AdminWebhookEndpointResponse[];
}

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One message to one endpoint, retried until it succeeds or fails for good. */
export interface WebhookDeliveryResponse {
  id: string;
  /** the `webhook-id` header: the same on every attempt of this message */
  message_id: string;
  event_type: WebhookEventType | typeof WEBHOOK_TEST_EVENT;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** HTTP status of the last attempt; null when no answer came (refused address, timeout, connection error) */
  response_status: number | null;
  /** how long the last attempt took, in milliseconds */
  duration_ms: number | null;
  /** why the last attempt failed */
  last_error: string | null;
  last_attempt_at: string | null;
  /** when it is tried next (pending only) */
  next_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface WebhookDeliveryListResponse {
  items: WebhookDeliveryResponse[];
}

/** The JSON body of every delivery. */
export interface WebhookPayload<T = unknown> {
  type: WebhookEventType | typeof WEBHOOK_TEST_EVENT;
  /** when the event happened (ISO 8601) */
  timestamp: string;
  data: T;
}

/** `generation.succeeded` / `generation.failed` / `generation.canceled`: the job as `GET /v1/generations/:id` returns it, and its tracks when it succeeded. */
export interface GenerationWebhookData {
  job: GenerationResponse;
  tracks: LibraryItem[];
}

/** `track.deleted` */
export interface TrackDeletedWebhookData {
  track: { id: string; job_id: string | null; take_index: number; title: string; deleted_at: string };
}
