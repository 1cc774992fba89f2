import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { EngineCapabilities, EngineDescription, GenerationResponse } from '@texttune/contracts';
import { Subject } from 'rxjs';
import { ActiveJobs } from '../app/core/active-jobs';
import { GenerationWatcher } from '../app/core/generation-watch';
import { GeneratePage } from '../app/pages/generate/generate';
import { appTestProviders, translocoTesting, type PageHarness } from './index';

const user = { id: 'u1', email: 'a@b.c', displayName: null, role: 'user', isGuest: false, createdAt: '2026-01-01T00:00:00.000Z' };

/** A ready engine as `GET /v1/engines` lists it, with what it supports beyond the basics. */
export function engine(id: string, isDefault: boolean, supports: Partial<EngineCapabilities> = {}): EngineDescription {
  return {
    id,
    kind: id === 'gradio' ? 'gradio' : 'offline',
    label: id,
    ready: true,
    reason: null,
    default: isDefault,
    supports: { samplingParams: [], referenceAudio: false, needsEnglish: false, maxDurationSeconds: null, ...supports },
    details: {},
  };
}

/**
 * The Create page with `engines` listed and a signed-in user allowed 30 s, drawn and
 * settled. Jobs it starts are not followed (the watcher never answers, and the
 * jobs-everywhere service, whose own requests are not these specs' subject, is inert).
 */
export async function openGeneratePage(engines: EngineDescription[]): Promise<PageHarness<GeneratePage> & { settle(): Promise<void>; chooseEngine(id: string): Promise<void> }> {
  localStorage.clear();
  TestBed.configureTestingModule({
    imports: [GeneratePage, translocoTesting],
    providers: [
      ...appTestProviders([{ path: 'tracks/:id', children: [] }, { path: 'create', children: [] }]),
      { provide: GenerationWatcher, useValue: { watch: () => new Subject<GenerationResponse>() } },
      { provide: ActiveJobs, useValue: { follow: () => undefined, showing: () => undefined } },
    ],
  });
  const backend = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(GeneratePage);
  const el: HTMLElement = fixture.nativeElement;
  const settle = async () => {
    await fixture.whenStable();
    fixture.detectChanges();
  };
  fixture.detectChanges();
  backend.expectOne('/v1/engines').flush({ items: engines });
  backend.expectOne('/v1/me').flush({ ...user, limits: { maxDurationSeconds: 30, dailySeconds: 0, maxActiveJobs: 3 } });
  await new Promise((resolve) => setTimeout(resolve));
  await settle();
  const chooseEngine = async (id: string) => {
    const label = [...el.querySelectorAll<HTMLLabelElement>('label.engine')].find((l) => l.textContent!.trim().startsWith(id))!;
    label.querySelector<HTMLInputElement>('input')!.click();
    await settle();
  };
  return { fixture, backend, el, settle, chooseEngine };
}
