import { HttpClient, HttpContext, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AddPlaylistTrackRequest,
  AdminEngineListResponse,
  AdminJob,
  AdminJobListResponse,
  AdminJobQuery,
  AdminUser,
  AdminUserListResponse,
  ApiTokenListResponse,
  AuditAction,
  AuditListResponse,
  AuthConfigResponse,
  AuthResponse,
  CreateApiTokenRequest,
  CreatedApiTokenResponse,
  CreateGenerationRequest,
  CreateShareRequest,
  EngineListResponse,
  GenerationListResponse,
  GenerationResponse,
  GenerationStatus,
  HfTokenStatus,
  LibraryResponse,
  LoginRequest,
  LogoutResponse,
  PeaksResponse,
  MeResponse,
  PlaylistListResponse,
  PlaylistResponse,
  PlaylistShareListResponse,
  PlaylistShareResponse,
  RegenerateRequest,
  RegisterRequest,
  RenameTrackRequest,
  SessionResponse,
  SharedPlaylistResponse,
  SharedTrackResponse,
  ShareListResponse,
  ShareResponse,
  ReferenceResponse,
  TrackResponse,
  UpdateAdminUserRequest,
  CreatedWebhookResponse,
  CreateWebhookRequest,
  UpdateWebhookRequest,
  WebhookDeliveryListResponse,
  WebhookDeliveryResponse,
  WebhookEndpointResponse,
  WebhookListResponse,
} from '@texttune/contracts';
import { firstValueFrom, type Observable } from 'rxjs';
import { ERRORS_HANDLED_BY_CALLER, NO_AUTH_REDIRECT } from './http-context';

/** Marks a request whose errors the caller shows itself (e.g. at a form field). */
export const handledHere = (): HttpContext => new HttpContext().set(ERRORS_HANDLED_BY_CALLER, true);

/**
 * Every endpoint of the TextTune API the web client uses, typed with `@texttune/contracts`.
 * Same origin: the session cookie travels with every request (and with `<audio>` and downloads).
 */
@Injectable({ providedIn: 'root' })
export class Api {
  private readonly http = inject(HttpClient);

  private get<T>(url: string, options: { params?: HttpParams; context?: HttpContext } = {}): Promise<T> {
    return firstValueFrom(this.http.get<T>(url, options));
  }

  private send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, context?: HttpContext): Promise<T> {
    return firstValueFrom(this.http.request<T>(method, url, { body, context }) as Observable<T>);
  }

  // auth
  authConfig(): Promise<AuthConfigResponse> {
    return this.get('/v1/auth/config');
  }
  /** Who is signed in, if anyone: always a 200 (nobody signed in is no failed request). */
  session(): Promise<SessionResponse> {
    return this.get('/v1/auth/session', { context: new HttpContext().set(NO_AUTH_REDIRECT, true).set(ERRORS_HANDLED_BY_CALLER, true) });
  }
  /** A 401 when nobody is signed in (no redirect, no message). */
  me(): Promise<MeResponse> {
    return this.get('/v1/me', { context: new HttpContext().set(NO_AUTH_REDIRECT, true).set(ERRORS_HANDLED_BY_CALLER, true) });
  }
  login(body: LoginRequest): Promise<AuthResponse> {
    return this.send('POST', '/v1/auth/login', body, handledHere());
  }
  register(body: RegisterRequest): Promise<AuthResponse> {
    return this.send('POST', '/v1/auth/register', body, handledHere());
  }
  guest(): Promise<AuthResponse> {
    return this.send('POST', '/v1/auth/guest', {}, handledHere());
  }
  /** `redirectUrl`: where to end a single sign-on provider's session too (null otherwise, or a 204). */
  logout(): Promise<LogoutResponse | null> {
    return this.send('POST', '/v1/auth/logout', {}, new HttpContext().set(NO_AUTH_REDIRECT, true));
  }

  // generations
  engines(): Promise<EngineListResponse> {
    return this.get('/v1/engines');
  }
  createGeneration(body: CreateGenerationRequest, context = handledHere()): Promise<GenerationResponse> {
    return this.send('POST', '/v1/generations', body, context);
  }
  /** `POST /v1/references`: reference (melody) audio, as multipart/form-data field `file`; errors are the caller's to show. */
  uploadReference(file: File): Promise<ReferenceResponse> {
    const form = new FormData();
    form.append('file', file, file.name);
    return this.send('POST', '/v1/references', form, handledHere());
  }
  generation(id: string): Promise<GenerationResponse> {
    return this.get(`/v1/generations/${encodeURIComponent(id)}`);
  }
  /** `statuses`: only jobs in these (e.g. the unfinished ones: queued, running). */
  generations(limit = 20, cursor?: string, statuses: readonly GenerationStatus[] = []): Promise<GenerationListResponse> {
    let params = new HttpParams().set('limit', limit);
    if (cursor) params = params.set('cursor', cursor);
    if (statuses.length) params = params.set('status', statuses.join(','));
    return this.get('/v1/generations', { params });
  }
  cancelGeneration(id: string): Promise<GenerationResponse> {
    return this.send('POST', `/v1/generations/${encodeURIComponent(id)}/cancel`, {});
  }
  generationEventsUrl(id: string): string {
    return `/v1/generations/${encodeURIComponent(id)}/events`;
  }

  // admin (role admin only)
  adminEngines(): Promise<AdminEngineListResponse> {
    return this.get('/v1/admin/engines');
  }
  adminJobs(query: AdminJobQuery = {}): Promise<AdminJobListResponse> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params = params.set(key, value);
    return this.get('/v1/admin/jobs', { params });
  }
  retryJob(id: string): Promise<AdminJob> {
    return this.send('POST', `/v1/admin/jobs/${encodeURIComponent(id)}/retry`, {});
  }
  adminUsers(query: { q?: string; limit?: number; cursor?: string | null }): Promise<AdminUserListResponse> {
    let params = new HttpParams();
    if (query.q?.trim()) params = params.set('q', query.q.trim());
    if (query.limit) params = params.set('limit', query.limit);
    if (query.cursor) params = params.set('cursor', query.cursor);
    return this.get('/v1/admin/users', { params });
  }
  updateAdminUser(id: string, body: UpdateAdminUserRequest): Promise<AdminUser> {
    return this.send('PATCH', `/v1/admin/users/${encodeURIComponent(id)}`, body);
  }
  deleteAdminUser(id: string): Promise<void> {
    return this.send('DELETE', `/v1/admin/users/${encodeURIComponent(id)}`);
  }
  adminAudit(query: { action?: AuditAction | ''; limit?: number; cursor?: string | null }): Promise<AuditListResponse> {
    let params = new HttpParams();
    if (query.action) params = params.set('action', query.action);
    if (query.limit) params = params.set('limit', query.limit);
    if (query.cursor) params = params.set('cursor', query.cursor);
    return this.get('/v1/admin/audit', { params });
  }

  // personal API tokens
  apiTokens(): Promise<ApiTokenListResponse> {
    return this.get('/v1/tokens');
  }
  createApiToken(body: CreateApiTokenRequest): Promise<CreatedApiTokenResponse> {
    return this.send('POST', '/v1/tokens', body, handledHere());
  }
  revokeApiToken(id: string): Promise<void> {
    return this.send('DELETE', `/v1/tokens/${encodeURIComponent(id)}`);
  }

  // webhooks: endpoints that are told when jobs end
  webhooks(): Promise<WebhookListResponse> {
    return this.get('/v1/webhooks');
  }
  createWebhook(body: CreateWebhookRequest): Promise<CreatedWebhookResponse> {
    return this.send('POST', '/v1/webhooks', body, handledHere());
  }
  updateWebhook(id: string, body: UpdateWebhookRequest): Promise<WebhookEndpointResponse> {
    return this.send('PATCH', `/v1/webhooks/${encodeURIComponent(id)}`, body);
  }
  deleteWebhook(id: string): Promise<void> {
    return this.send('DELETE', `/v1/webhooks/${encodeURIComponent(id)}`);
  }
  webhookDeliveries(id: string): Promise<WebhookDeliveryListResponse> {
    return this.get(`/v1/webhooks/${encodeURIComponent(id)}/deliveries`, { params: new HttpParams().set('limit', 20) });
  }
  testWebhook(id: string): Promise<WebhookDeliveryResponse> {
    return this.send('POST', `/v1/webhooks/${encodeURIComponent(id)}/test`, {});
  }

  // own settings: the Hugging Face token (never returned, only its status)
  hfToken(): Promise<HfTokenStatus> {
    return this.get('/v1/me/hf-token', { context: handledHere() });
  }
  setHfToken(token: string): Promise<HfTokenStatus> {
    return this.send('PUT', '/v1/me/hf-token', { token }, handledHere());
  }
  deleteHfToken(): Promise<HfTokenStatus | null> {
    return this.send('DELETE', '/v1/me/hf-token');
  }

  // playlists
  playlists(): Promise<PlaylistListResponse> {
    return this.get('/v1/playlists');
  }
  playlist(id: string): Promise<PlaylistResponse> {
    return this.get(`/v1/playlists/${encodeURIComponent(id)}`, { context: handledHere() });
  }
  createPlaylist(title: string): Promise<PlaylistResponse> {
    return this.send('POST', '/v1/playlists', { title }, handledHere());
  }
  renamePlaylist(id: string, title: string): Promise<PlaylistResponse> {
    return this.send('PATCH', `/v1/playlists/${encodeURIComponent(id)}`, { title }, handledHere());
  }
  deletePlaylist(id: string): Promise<void> {
    return this.send('DELETE', `/v1/playlists/${encodeURIComponent(id)}`);
  }
  /** 409 `conflict` when the track is in it already, 409 `limit_exceeded` when it is full: the caller says so. */
  addToPlaylist(id: string, body: AddPlaylistTrackRequest): Promise<PlaylistResponse> {
    return this.send('POST', `/v1/playlists/${encodeURIComponent(id)}/tracks`, body, handledHere());
  }
  removeFromPlaylist(id: string, trackId: string): Promise<void> {
    return this.send('DELETE', `/v1/playlists/${encodeURIComponent(id)}/tracks/${encodeURIComponent(trackId)}`);
  }
  /** Every track of the playlist, once each, in the new order (one atomic update). */
  reorderPlaylist(id: string, trackIds: string[]): Promise<PlaylistResponse> {
    return this.send('PUT', `/v1/playlists/${encodeURIComponent(id)}/order`, { trackIds });
  }
  sharePlaylist(id: string, body: CreateShareRequest): Promise<PlaylistShareResponse> {
    return this.send('POST', `/v1/playlists/${encodeURIComponent(id)}/share`, body);
  }
  playlistShares(id: string): Promise<PlaylistShareListResponse> {
    return this.get(`/v1/playlists/${encodeURIComponent(id)}/shares`);
  }
  revokePlaylistShare(id: string, shareId: string): Promise<void> {
    return this.send('DELETE', `/v1/playlists/${encodeURIComponent(id)}/shares/${encodeURIComponent(shareId)}`);
  }
  sharedPlaylist(token: string): Promise<SharedPlaylistResponse> {
    return this.get(`/v1/shared-playlists/${encodeURIComponent(token)}`, { context: handledHere() });
  }

  // library and tracks
  library(query: { limit?: number; cursor?: string | null; q?: string }): Promise<LibraryResponse> {
    let params = new HttpParams();
    if (query.limit) params = params.set('limit', query.limit);
    if (query.cursor) params = params.set('cursor', query.cursor);
    if (query.q?.trim()) params = params.set('q', query.q.trim());
    return this.get('/v1/library', { params });
  }
  track(id: string): Promise<TrackResponse> {
    return this.get(`/v1/tracks/${encodeURIComponent(id)}`);
  }
  renameTrack(id: string, body: RenameTrackRequest): Promise<TrackResponse> {
    return this.send('PATCH', `/v1/tracks/${encodeURIComponent(id)}`, body, handledHere());
  }
  deleteTrack(id: string): Promise<void> {
    return this.send('DELETE', `/v1/library/${encodeURIComponent(id)}`);
  }
  regenerate(id: string, body: RegenerateRequest): Promise<GenerationResponse> {
    return this.send('POST', `/v1/tracks/${encodeURIComponent(id)}/regenerate`, body);
  }
  createShare(id: string, body: CreateShareRequest): Promise<ShareResponse> {
    return this.send('POST', `/v1/tracks/${encodeURIComponent(id)}/share`, body);
  }
  shares(id: string): Promise<ShareListResponse> {
    return this.get(`/v1/tracks/${encodeURIComponent(id)}/shares`);
  }
  revokeShare(id: string, shareId: string): Promise<void> {
    return this.send('DELETE', `/v1/tracks/${encodeURIComponent(id)}/shares/${encodeURIComponent(shareId)}`);
  }
  /** A waveform from a `peaks_url` (the server lets browsers cache it). */
  peaks(url: string): Promise<PeaksResponse> {
    return this.get(url, { context: handledHere() });
  }
  shared(token: string): Promise<SharedTrackResponse> {
    return this.get(`/v1/shared/${encodeURIComponent(token)}`, { context: handledHere() });
  }
}
