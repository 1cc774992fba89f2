import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { GenerationResponse } from '@texttune/contracts';
import { Subject } from 'rxjs';
import { appTestProviders, job, translocoTesting } from '../../testing';
import { ActiveJobs, LIST_POLL_MS, MAX_LIVE_STREAMS } from './active-jobs';
import { AuthStore } from './auth';
import { GenerationWatcher } from './generation-watch';
import { Notifications } from './notifications';

const user = { id: 'u1', email: 'a@b.c', displayName: null, role: 'user' as const, isGuest: false, createdAt: '' };

describe('ActiveJobs', () => {
  let jobs: ActiveJobs;
  let backend: HttpTestingController;
  let streams: Map<string, Subject<GenerationResponse>>;
  const flush = () => new Promise((resolve) => setTimeout(resolve));

  beforeEach(() => {
    streams = new Map();
    TestBed.configureTestingModule({
      imports: [translocoTesting],
      providers: [
        ...appTestProviders(),
        {
          provide: GenerationWatcher,
          useValue: {
            watch: (id: string) => {
              const stream = new Subject<GenerationResponse>();
              streams.set(id, stream);
              return stream;
            },
          },
        },
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    jobs = TestBed.inject(ActiveJobs);
  });
  afterEach(() => backend.verify());

  const signIn = async (unfinished: GenerationResponse[]) => {
    TestBed.inject(AuthStore).user.set(user);
    TestBed.tick();
    backend.expectOne('/v1/generations?limit=20&status=queued,running').flush({ items: unfinished, next_cursor: null });
    await flush();
  };

  it('loads the unfinished jobs when someone signs in and follows each live', async () => {
    await signIn([job({ job_id: 'b', status: 'running', progress: 0.5 }), job({ job_id: 'a', status: 'queued', position: 2 })]);
    expect(jobs.jobs().map((j) => j.job_id)).toEqual(['b', 'a']);
    expect([...streams.keys()].sort()).toEqual(['a', 'b']);
    streams.get('a')!.next(job({ job_id: 'a', status: 'queued', position: 1, eta_seconds: 3 }));
    expect(jobs.jobs().find((j) => j.job_id === 'a')).toMatchObject({ position: 1, eta_seconds: 3 });
  });

  it('announces a finished job nobody looks at, and drops it from the list', async () => {
    await signIn([]);
    const finished: string[] = [];
    jobs.finished.subscribe((j) => finished.push(`${j.job_id}:${j.status}`));
    jobs.follow(job({ job_id: 'left', prompt: 'rainy lo-fi' }));
    jobs.follow(job({ job_id: 'shown', prompt: 'on the create page' }));
    jobs.showing('shown');
    expect(jobs.count()).toBe(2);
    streams.get('left')!.next(job({ job_id: 'left', prompt: 'rainy lo-fi', status: 'succeeded', track_ids: ['t1'] }));
    streams.get('shown')!.next(job({ job_id: 'shown', prompt: 'on the create page', status: 'succeeded', track_ids: ['t2'] }));
    expect(jobs.count()).toBe(0);
    expect(finished).toEqual(['left:succeeded', 'shown:succeeded']);
    const notices = TestBed.inject(Notifications).notices().map((n) => n.text);
    expect(notices).toEqual(['“rainy lo-fi” is ready in your Library.']);
  });

  it('says why a job left behind failed, in the reader’s words', async () => {
    await signIn([job({ job_id: 'f', prompt: 'doomed' })]);
    streams.get('f')!.next(job({ job_id: 'f', prompt: 'doomed', status: 'failed', error: { code: 'engine_error', message: 'The engine crashed.' } }));
    const notice = TestBed.inject(Notifications).notices()[0];
    expect(notice.kind).toBe('error');
    expect(notice.text).toMatch(/^“doomed” could not be made: /);
  });

  it('cancels through the API and shows the answer', async () => {
    await signIn([job({ job_id: 'c', status: 'running', progress: 0.2 })]);
    const done = jobs.cancel('c');
    backend.expectOne('/v1/generations/c/cancel').flush(job({ job_id: 'c', status: 'canceled' }));
    await done;
    expect(jobs.count()).toBe(0);
    expect(TestBed.inject(Notifications).notices()).toEqual([]);
  });

  it('follows at most a few jobs over their own streams and asks about the rest in one request now and then', async () => {
    jest.useFakeTimers();
    try {
      const many = Array.from({ length: MAX_LIVE_STREAMS + 2 }, (_, i) => job({ job_id: `j${i}`, status: 'queued', position: i + 1 }));
      TestBed.inject(AuthStore).user.set(user);
      TestBed.tick();
      backend.expectOne('/v1/generations?limit=20&status=queued,running').flush({ items: many, next_cursor: null });
      await jest.advanceTimersByTimeAsync(0);
      expect(streams.size).toBe(MAX_LIVE_STREAMS);
      await jest.advanceTimersByTimeAsync(LIST_POLL_MS);
      // j5 (followed by the list only) has finished: it is gone from the unfinished ones, and asked about by itself
      backend.expectOne('/v1/generations?limit=100&status=queued,running').flush({ items: many.slice(0, -1), next_cursor: null });
      await jest.advanceTimersByTimeAsync(0);
      backend.expectOne('/v1/generations/j5').flush(job({ job_id: 'j5', status: 'succeeded', track_ids: ['t5'] }));
      await jest.advanceTimersByTimeAsync(0);
      expect(jobs.jobs().map((j) => j.job_id)).not.toContain('j5');
      // a streamed job finishing frees its stream for one followed by the list
      streams.get('j0')!.next(job({ job_id: 'j0', status: 'succeeded', track_ids: ['t0'] }));
      expect(streams.has('j4')).toBe(true);
      expect(jobs.count()).toBe(MAX_LIVE_STREAMS);
    } finally {
      jest.useRealTimers();
    }
  });

  it('forgets everything when the user signs out', async () => {
    await signIn([job({ job_id: 'x' })]);
    TestBed.inject(AuthStore).signedOut();
    TestBed.tick();
    expect(jobs.jobs()).toEqual([]);
    expect(streams.get('x')!.observed).toBe(false);
  });
});
