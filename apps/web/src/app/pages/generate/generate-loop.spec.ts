import type { HttpTestingController } from '@angular/common/http/testing';
import { engine, openGeneratePage } from '../../../testing/generate-page';

describe('GeneratePage: the Loop switch', () => {
  let backend: HttpTestingController;
  let el: HTMLElement;
  let settle: () => Promise<void>;
  let chooseEngine: (id: string) => Promise<void>;
  const loopSwitch = () => el.querySelector<HTMLInputElement>('[data-testid="loop-field"] input[role="switch"]');

  beforeEach(async () => {
    ({ backend, el, settle, chooseEngine } = await openGeneratePage([engine('offline', true, { loop: true }), engine('gradio', false), engine('other', false, { loop: false })]));
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
