import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Router } from '@angular/router';
import { Subject } from 'rxjs';
import type { GenerationResponse } from '@texttune/contracts';
import { appTestProviders, job, translocoTesting } from '../../../testing';

const user = { id: 'u1', email: 'a@b.c', displayName: null, role: 'user', isGuest: false, createdAt: '2026-01-01T00:00:00.000Z' };
import { ActiveJobs } from '../../core/active-jobs';
import { GenerationWatcher } from '../../core/generation-watch';
import { GeneratePage } from './generate';

describe('GeneratePage', () => {
  let fixture: ComponentFixture<GeneratePage>;
  let backend: HttpTestingController;
  let updates: Subject<GenerationResponse>;
  let el: HTMLElement;
  let activeJobs: { follow: jest.Mock; showing: jest.Mock };

  const settle = async () => {
    await fixture.whenStable();
    fixture.detectChanges();
  };
  const set = (selector: string, value: string) => {
    const input = el.querySelector<HTMLInputElement | HTMLTextAreaElement>(selector)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
  };
  const submit = () => el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();

  beforeEach(async () => {
    localStorage.clear();
    updates = new Subject<GenerationResponse>();
    activeJobs = { follow: jest.fn(), showing: jest.fn() };
    sessionStorage.clear();
    TestBed.configureTestingModule({
      imports: [GeneratePage, translocoTesting],
      providers: [...appTestProviders([{ path: 'tracks/:id', children: [] }, { path: 'create', children: [] }]), { provide: GenerationWatcher, useValue: { watch: () => updates } },
        { provide: ActiveJobs, useValue: activeJobs },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(GeneratePage);
    el = fixture.nativeElement;
    fixture.detectChanges();
    backend.expectOne('/v1/engines').flush({ items: [] });
    // This user's limits, from GET /v1/me (asked again each time the page opens).
    backend.expectOne('/v1/me').flush({ ...user, limits: { maxDurationSeconds: 12, dailySeconds: 0, maxActiveJobs: 3 } });
    await new Promise((resolve) => setTimeout(resolve));
    await settle();
  });
  afterEach(() => backend.verify());

  it('bounds the duration by the server’s max: a typed value above it becomes the max in both controls, and says so', async () => {
    expect(el.querySelector('#duration-range')!.getAttribute('max')).toBe('12');
    expect(el.textContent).toContain('up to 12 s on this server');
    expect(localStorage.getItem('texttune.maxDuration')).toBe('12');
    set('#prompt', 'calm piano');
    set('#duration', '30');
    await settle();
    expect(el.querySelector<HTMLInputElement>('#duration')!.value).toBe('12');
    expect(el.querySelector<HTMLInputElement>('#duration-range')!.value).toBe('12');
    expect(el.querySelector('[data-testid="duration-clamped"]')!.textContent).toContain('Set to 12 s, the longest this server makes.');
    expect(el.querySelector('#duration')!.getAttribute('aria-invalid')).toBe('false');
    set('#duration', '8');
    await settle();
    expect(el.querySelector('[data-testid="duration-clamped"]')).toBeNull();
    submit();
    expect(backend.expectOne((r) => r.url === '/v1/generations' && r.method === 'POST').request.body.duration).toBe(8);
  });

  it('keeps a pasted prompt over the limit whole, counts it and says how much is over', async () => {
    set('#prompt', 'x'.repeat(612));
    await settle();
    expect(el.querySelector<HTMLTextAreaElement>('#prompt')!.value).toHaveLength(612);
    expect(el.querySelector('#prompt-count')!.textContent!.trim()).toBe('612 / 500');
    expect(el.querySelector('#prompt-count')!.classList).toContain('over');
    expect(el.querySelector('#prompt-error')!.textContent).toContain('112 too many');
    submit();
    expect(backend.match((r) => r.url === '/v1/generations')).toEqual([]);
  });

  it('after a reload mid-generation keeps Seed on Random (a job created with Random)', async () => {
    set('#prompt', 'calm piano');
    submit();
    backend.expectOne((r) => r.url === '/v1/generations' && r.method === 'POST').flush(job({ job_id: 'job-r' }));
    await settle();
    expect(activeJobs.follow).toHaveBeenCalledWith(expect.objectContaining({ job_id: 'job-r' }));
    expect(activeJobs.showing).toHaveBeenCalledWith('job-r');
    // the page again, as after a reload of /create?job=job-r
    fixture.destroy();
    fixture = TestBed.createComponent(GeneratePage);
    el = fixture.nativeElement;
    fixture.componentRef.setInput('job', 'job-r');
    fixture.detectChanges();
    backend.expectOne('/v1/engines').flush({ items: [] });
    backend.expectOne('/v1/me').flush({ ...user, limits: { maxDurationSeconds: 12, dailySeconds: 0, maxActiveJobs: 3 } });
    backend.expectOne('/v1/generations/job-r').flush(job({ job_id: 'job-r', status: 'running', progress: 0.3 }));
    await new Promise((resolve) => setTimeout(resolve));
    await settle();
    expect(el.querySelector<HTMLInputElement>('input[name="seedMode"][value="random"]')!.checked).toBe(true);
    expect(el.querySelector('#seed')).toBeNull();
    expect(el.querySelector<HTMLTextAreaElement>('#prompt')!.value).toBe('calm piano');
  });

  it('after a reload keeps Seed on Fixed for a job created with a fixed seed', async () => {
    set('#prompt', 'calm piano');
    el.querySelector<HTMLInputElement>('input[name="seedMode"][value="fixed"]')!.click();
    await settle();
    set('#seed', '42');
    submit();
    backend.expectOne((r) => r.url === '/v1/generations' && r.method === 'POST').flush(job({ job_id: 'job-f', params: { ...job().params, seed: 42 } }));
    await settle();
    fixture.destroy();
    fixture = TestBed.createComponent(GeneratePage);
    el = fixture.nativeElement;
    fixture.componentRef.setInput('job', 'job-f');
    fixture.detectChanges();
    backend.expectOne('/v1/engines').flush({ items: [] });
    backend.expectOne('/v1/me').flush({ ...user, limits: { maxDurationSeconds: 12, dailySeconds: 0, maxActiveJobs: 3 } });
    backend.expectOne('/v1/generations/job-f').flush(job({ job_id: 'job-f', status: 'running', params: { ...job().params, seed: 42 } }));
    await new Promise((resolve) => setTimeout(resolve));
    await settle();
    expect(el.querySelector<HTMLInputElement>('input[name="seedMode"][value="fixed"]')!.checked).toBe(true);
    expect(el.querySelector<HTMLInputElement>('#seed')!.value).toBe('42');
  });

  it('sends no probing generation to learn the max', () => {
    expect(backend.match((r) => r.url === '/v1/generations')).toEqual([]);
  });

  it('takes a lowered max from a duration_too_long answer too', async () => {
    set('#prompt', 'calm piano');
    set('#duration', '10');
    submit();
    backend
      .expectOne((r) => r.url === '/v1/generations' && r.method === 'POST')
      .flush({ statusCode: 400, code: 'duration_too_long', message: 'duration must be at most 8 seconds on this server.', details: { max: 8 } }, { status: 400, statusText: 'Bad Request' });
    await settle();
    expect(el.querySelector('#duration-error')!.textContent).toContain('at most 8 seconds');
    expect(el.querySelector('#duration-range')!.getAttribute('max')).toBe('8');
  });

  it('requires a prompt', async () => {
    submit();
    await settle();
    expect(el.querySelector('#prompt-error')!.textContent).toContain('Describe the music');
  });

  it('adds chips to the prompt', async () => {
    set('#prompt', 'calm');
    const chip = [...el.querySelectorAll<HTMLButtonElement>('.chip')].find((b) => b.textContent!.includes('+ piano'))!;
    chip.click();
    await settle();
    expect(el.querySelector<HTMLTextAreaElement>('#prompt')!.value).toBe('calm, piano');
  });

  it('submits, follows the job live, and opens the track when it succeeds', async () => {
    set('#prompt', 'calm piano');
    set('#duration', '5');
    submit();
    // The card is there at once, before the server has answered.
    await settle();
    expect(el.querySelector('[data-testid="progress"]')!.textContent).toContain('Sending your request…');
    const req = backend.expectOne((r) => r.url === '/v1/generations' && r.method === 'POST');
    expect(req.request.body).toEqual({ prompt: 'calm piano', duration: 5, samplerate: 44100, quality: 'draft', variations: 1 });
    req.flush(job({ status: 'queued', position: 2, eta_seconds: 8 }));
    await settle();
    updates.next(job({ status: 'queued', position: 2, eta_seconds: 8 }));
    await settle();
    expect(el.querySelector('[data-testid="progress"]')!.textContent).toContain('Number 2 in the queue');
    expect(el.querySelector('[role="progressbar"]')!.hasAttribute('aria-valuenow')).toBe(false);
    updates.next(job({ status: 'running', progress: 0.5, position: null, eta_seconds: 2 }));
    await settle();
    expect(el.querySelector('[role="progressbar"]')!.getAttribute('aria-valuenow')).toBe('50');
    expect(el.querySelector('[data-testid="progress"]')!.textContent).toContain('Cancel');
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate');
    updates.next(job({ status: 'succeeded', progress: 1, position: null, track_ids: ['t9'], track_id: 't9' }));
    await settle();
    expect(navigate).toHaveBeenCalledWith(['/tracks', 't9']);
    expect(localStorage.getItem('texttune.lastSeed')).toBe('7');
  });

  it('on failure shows the error’s sentence and keeps the form filled', async () => {
    set('#prompt', 'calm piano');
    submit();
    backend.expectOne((r) => r.url === '/v1/generations' && r.method === 'POST').flush(job());
    await settle();
    updates.next(job({ status: 'failed', error: { code: 'engine_error', message: 'The engine crashed while rendering.' } }));
    await settle();
    expect(el.querySelector('[data-testid="form-error"]')!.textContent).toContain('The engine crashed while rendering.');
    expect(el.querySelector<HTMLTextAreaElement>('#prompt')!.value).toBe('calm piano');
  });

  it('cancels a running job', async () => {
    set('#prompt', 'calm piano');
    submit();
    backend.expectOne((r) => r.url === '/v1/generations' && r.method === 'POST').flush(job());
    await settle();
    updates.next(job({ status: 'running', progress: 0.2, position: null }));
    await settle();
    [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === 'Cancel')!.click();
    backend.expectOne('/v1/generations/job-1/cancel').flush(job({ status: 'canceled', position: null }));
    await settle();
    expect(el.querySelector('[data-testid="progress"] h2')!.textContent).toContain('Canceled');
  });
});
