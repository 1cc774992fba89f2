import { ActiveJobs } from '../../core/active-jobs';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Subject } from 'rxjs';
import type { EngineDescription, GenerationResponse } from '@texttune/contracts';
import { appTestProviders, translocoTesting } from '../../../testing';
import { GenerationWatcher } from '../../core/generation-watch';
import { GeneratePage } from './generate';

const user = { id: 'u1', email: 'a@b.c', displayName: null, role: 'user', isGuest: false, createdAt: '2026-01-01T00:00:00.000Z' };
const engine = (id: string, loop: boolean | undefined, isDefault: boolean): EngineDescription => ({
  id,
  kind: id === 'gradio' ? 'gradio' : 'offline',
  label: id,
  ready: true,
  reason: null,
  default: isDefault,
  supports: { samplingParams: [], referenceAudio: false, needsEnglish: false, maxDurationSeconds: null, ...(loop === undefined ? {} : { loop }) },
  details: {},
});

describe('GeneratePage: the Loop switch', () => {
  let fixture: ComponentFixture<GeneratePage>;
  let backend: HttpTestingController;
  let el: HTMLElement;

  const settle = async () => {
    await fixture.whenStable();
    fixture.detectChanges();
  };
  const chooseEngine = async (id: string) => {
    const label = [...el.querySelectorAll<HTMLLabelElement>('label.engine')].find((l) => l.textContent!.trim().startsWith(id))!;
    label.querySelector<HTMLInputElement>('input')!.click();
    await settle();
  };
  const loopSwitch = () => el.querySelector<HTMLInputElement>('[data-testid="loop-field"] input[role="switch"]');

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [GeneratePage, translocoTesting],
      providers: [...appTestProviders([{ path: 'tracks/:id', children: [] }, { path: 'create', children: [] }]), { provide: GenerationWatcher, useValue: { watch: () => new Subject<GenerationResponse>() } },
        // The jobs-everywhere service follows what the page starts; its own requests are not this spec's subject.
        { provide: ActiveJobs, useValue: { follow: jest.fn(), showing: jest.fn() } }],
    });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(GeneratePage);
    el = fixture.nativeElement;
    fixture.detectChanges();
    backend.expectOne('/v1/engines').flush({ items: [engine('offline', true, true), engine('gradio', undefined, false), engine('other', false, false)] });
    backend.expectOne('/v1/me').flush({ ...user, limits: { maxDurationSeconds: 30, dailySeconds: 0, maxActiveJobs: 3 } });
    await new Promise((resolve) => setTimeout(resolve));
    await settle();
  });
  afterEach(() => backend.verify());

  it('is offered only while the chosen engine says supports.loop, and sends loop: true', async () => {
    expect(loopSwitch()).not.toBeNull();
    expect(el.querySelector('[data-testid="loop-field"]')!.textContent).toContain('Loop');
    await chooseEngine('gradio'); // supports.loop missing: no
    expect(loopSwitch()).toBeNull();
    await chooseEngine('other');
    expect(loopSwitch()).toBeNull();
    await chooseEngine('offline');
    loopSwitch()!.click();
    const prompt = el.querySelector<HTMLTextAreaElement>('#prompt')!;
    prompt.value = 'drum loop';
    prompt.dispatchEvent(new Event('input'));
    await settle();
    el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await settle();
    const create = backend.expectOne((r) => r.url === '/v1/generations' && r.method === 'POST');
    expect(create.request.body).toMatchObject({ prompt: 'drum loop', engine: 'offline', loop: true });
  });

  it('does not send a loop switched on for an engine that was then changed to one without loops', async () => {
    loopSwitch()!.click();
    await chooseEngine('gradio');
    const prompt = el.querySelector<HTMLTextAreaElement>('#prompt')!;
    prompt.value = 'calm piano';
    prompt.dispatchEvent(new Event('input'));
    await settle();
    el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await settle();
    const create = backend.expectOne((r) => r.url === '/v1/generations' && r.method === 'POST');
    expect(create.request.body).not.toHaveProperty('loop');
  });
});
