import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { GenerationResponse } from '@texttune/contracts';
import { appTestProviders, job, translocoTesting } from '../../testing';
import { EVENT_SOURCE, GenerationWatcher, POLL_INTERVAL_MS, progressView } from './generation-watch';

class FakeEventSource {
  static last?: FakeEventSource;
  listeners = new Map<string, (e: MessageEvent<string>) => void>();
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, fn: (e: MessageEvent<string>) => void) {
    this.listeners.set(type, fn);
  }
  close() {
    this.closed = true;
  }
  send(type: string, data: GenerationResponse) {
    this.listeners.get(type)?.({ data: JSON.stringify(data) } as MessageEvent<string>);
  }
}

describe('following a generation', () => {
  let watcher: GenerationWatcher;
  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [translocoTesting],
      providers: [...appTestProviders(), { provide: EVENT_SOURCE, useValue: (url: string) => new FakeEventSource(url) as unknown as EventSource }],
    });
    watcher = TestBed.inject(GenerationWatcher);
  });

  it('emits each SSE state and completes after final', () => {
    const seen: string[] = [];
    let completed = false;
    watcher.watch('job-1').subscribe({ next: (j) => seen.push(`${j.status}:${j.progress}`), complete: () => (completed = true) });
    const source = FakeEventSource.last!;
    expect(source.url).toBe('/v1/generations/job-1/events');
    source.send('status', job({ status: 'queued', position: 2 }));
    source.send('position', job({ status: 'queued', position: 1 }));
    source.send('status', job({ status: 'running', progress: 0.1, position: null }));
    source.send('progress', job({ status: 'running', progress: 0.6, position: null }));
    source.send('final', job({ status: 'succeeded', progress: 1, position: null, track_ids: ['t1'] }));
    expect(seen).toEqual(['queued:0', 'queued:0', 'running:0.1', 'running:0.6', 'succeeded:1']);
    expect(completed).toBe(true);
    expect(source.closed).toBe(true);
  });

  it('polls when the stream breaks before final', async () => {
    jest.useFakeTimers();
    try {
      const backend = TestBed.inject(HttpTestingController);
      const seen: string[] = [];
      let completed = false;
      watcher.watch('job-1').subscribe({ next: (j) => seen.push(j.status), complete: () => (completed = true) });
      FakeEventSource.last!.onerror!();
      expect(FakeEventSource.last!.closed).toBe(true);
      backend.expectOne('/v1/generations/job-1').flush(job({ status: 'running', progress: 0.5 }));
      await Promise.resolve();
      await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS);
      backend.expectOne('/v1/generations/job-1').flush(job({ status: 'failed', error: { code: 'engine_error', message: 'boom' } }));
      await jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS * 3);
      backend.verify();
      expect(seen).toEqual(['running', 'failed']);
      expect(completed).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('turns a state into what the progress bar shows', () => {
    expect(progressView(job({ status: 'queued', position: 3, eta_seconds: 12.4 }))).toEqual({ phase: 'queued', percent: null, position: 3, etaSeconds: 12 });
    expect(progressView(job({ status: 'running', progress: 0.456, position: null, eta_seconds: null }))).toEqual({ phase: 'running', percent: 46, position: null, etaSeconds: null });
    expect(progressView(job({ status: 'succeeded', progress: 1, position: null, eta_seconds: null })).percent).toBe(100);
  });
});
