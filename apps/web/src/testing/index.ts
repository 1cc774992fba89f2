import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { HttpTestingController } from '@angular/common/http/testing';
import type { EnvironmentProviders, Provider, Type } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter, type Routes } from '@angular/router';
import { TranslocoTestingModule } from '@jsverse/transloco';
import type { GenerationResponse, TrackResponse } from '@texttune/contracts';
import { apiInterceptor } from '../app/core/api.interceptor';
import { en } from '../app/i18n/en';
import { ko } from '../app/i18n/ko';

/** Both dictionaries, loaded synchronously; English active. */
export const translocoTesting = TranslocoTestingModule.forRoot({
  langs: { en, ko },
  translocoConfig: { availableLangs: ['en', 'ko'], defaultLang: 'en', reRenderOnLangChange: true },
  preloadLangs: true,
});

/** HttpClient with the real interceptor against HttpTestingController, and a router. */
export function appTestProviders(routes: Routes = []): (Provider | EnvironmentProviders)[] {
  return [provideHttpClient(withInterceptors([apiInterceptor])), provideHttpClientTesting(), provideRouter(routes)];
}

/** A page under test: its fixture, the HTTP testing backend, its element. */
export interface PageHarness<T> {
  fixture: ComponentFixture<T>;
  backend: HttpTestingController;
  el: HTMLElement;
}

/**
 * Configures TestBed for a page (translations, `appTestProviders` with a catch-all route)
 * and creates it with `inputs` set; `before` runs first (e.g. to sign a user in).
 */
export function createPage<T>(component: Type<T>, inputs: Record<string, unknown> = {}, before?: () => void): PageHarness<T> {
  TestBed.configureTestingModule({ imports: [component, translocoTesting], providers: appTestProviders([{ path: '**', children: [] }]) });
  before?.();
  const backend = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(component);
  for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
  return { fixture, backend, el: fixture.nativeElement };
}

/** Lets pending timers, promises and requests' answers land, then renders. */
export async function settled(fixture: ComponentFixture<unknown>): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
  fixture.detectChanges();
}

export function job(overrides: Partial<GenerationResponse> = {}): GenerationResponse {
  return {
    job_id: 'job-1',
    status: 'queued',
    prompt: 'calm piano',
    progress: 0,
    position: 1,
    eta_seconds: 4,
    audio_url: null,
    track_id: null,
    track_ids: [],
    params: { duration: 5, samplerate: 44100, seed: 7, quality: 'draft', variations: 1, sampling: {} },
    engine: 'offline',
    error: null,
    cancel_requested: false,
    created_at: '2026-01-01T00:00:00.000Z',
    started_at: null,
    finished_at: null,
    ...overrides,
  };
}

export function track(overrides: Partial<TrackResponse> = {}): TrackResponse {
  return {
    id: 't1',
    title: 'Calm piano',
    prompt_raw: 'calm piano',
    prompt_expanded: 'lo-fi · 80 bpm · piano · calm',
    duration: 5,
    samplerate: 44100,
    format: 'wav',
    engine: 'offline',
    created_at: '2026-01-01T00:00:00.000Z',
    audio_url: '/v1/stream/t1',
    download_url: '/v1/download/t1',
    peaks_url: '/v1/tracks/t1/peaks',
    job_id: 'job-1',
    take_index: 0,
    loudness: null,
    params: { seed: 7, quality: 'draft', variations: 1, sampling: {} },
    engine_meta: {},
    channels: 2,
    size_bytes: 882044,
    renditions: [
      { format: 'wav', mime_type: 'audio/wav', size: 882044, url: '/v1/stream/t1', download_url: '/v1/download/t1?format=wav' },
      { format: 'mp3', mime_type: 'audio/mpeg', size: null, url: '/v1/stream/t1?format=mp3', download_url: '/v1/download/t1?format=mp3' },
    ],
    peaks: [-0.5, 0.5, -1, 1],
    sibling_ids: ['t1'],
    ...overrides,
  };
}
