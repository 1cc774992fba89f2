import { HttpTestingController } from '@angular/common/http/testing';
import type { ComponentFixture } from '@angular/core/testing';
import type { WebhookDeliveryResponse, WebhookEndpointResponse } from '@texttune/contracts';
import { createPage, settled } from '../../../testing';
import { WebhooksPage } from './webhooks';

const active: WebhookEndpointResponse = {
  id: 'w1',
  url: 'https://portal.example.com/hooks/texttune',
  events: ['generation.succeeded'],
  description: 'intranet portal',
  enabled: true,
  disabled_reason: null,
  disabled_at: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
};
const gone: WebhookEndpointResponse = { ...active, id: 'w2', url: 'https://old.example.com/hook', enabled: false, disabled_reason: 'https://old.example.com/hook answered 410 Gone: deliveries stopped.', disabled_at: '2026-01-02T00:00:00.000Z' };
const delivery: WebhookDeliveryResponse = {
  id: 'd1',
  message_id: 'msg_1',
  event_type: 'generation.succeeded',
  status: 'pending',
  attempts: 2,
  response_status: 500,
  duration_ms: 31,
  last_error: 'The endpoint answered HTTP 500.',
  last_attempt_at: '2026-01-01T00:00:05.000Z',
  next_attempt_at: '2026-01-01T00:05:05.000Z',
  delivered_at: null,
  created_at: '2026-01-01T00:00:00.000Z',
};

describe('WebhooksPage', () => {
  let fixture: ComponentFixture<WebhooksPage>;
  let backend: HttpTestingController;
  let el: HTMLElement;
  const settle = () => settled(fixture);
  const button = (root: ParentNode, text: string) => [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === text)!;

  beforeEach(async () => {
    ({ fixture, backend, el } = createPage(WebhooksPage));
    fixture.detectChanges();
    backend.expectOne('/v1/webhooks').flush({ items: [active, gone] });
    await settle();
  });
  afterEach(() => backend.verify());

  it('lists endpoints, and says why a disabled one stopped', () => {
    expect(el.querySelector('[data-webhook-id="w1"]')!.textContent).toContain('https://portal.example.com/hooks/texttune');
    expect(el.querySelector('[data-webhook-id="w1"]')!.textContent).toContain('active');
    expect(el.querySelector('[data-webhook-id="w2"] [data-testid="disabled-reason"]')!.textContent).toContain('410 Gone');
  });

  it('creates an endpoint with the chosen events and shows its secret once', async () => {
    Object.assign(navigator, { clipboard: { writeText: jest.fn().mockResolvedValue(undefined) } });
    const url = el.querySelector<HTMLInputElement>('#webhook-url')!;
    url.value = 'https://portal.example.com/hooks/new';
    url.dispatchEvent(new Event('input'));
    el.querySelector<HTMLInputElement>('[data-event="track.deleted"]')!.click();
    el.querySelector<HTMLInputElement>('[data-event="generation.failed"]')!.click();
    el.querySelector<HTMLFormElement>('form.create')!.dispatchEvent(new Event('submit'));
    const req = backend.expectOne((r) => r.url === '/v1/webhooks' && r.method === 'POST');
    expect(req.request.body).toEqual({ url: 'https://portal.example.com/hooks/new', events: ['generation.succeeded', 'track.deleted'] });
    req.flush({ ...active, id: 'w3', url: 'https://portal.example.com/hooks/new', events: ['generation.succeeded', 'track.deleted'], secret: 'whsec_the-whole-secret' });
    await settle();
    expect(el.querySelector<HTMLInputElement>('#webhook-secret')!.value).toBe('whsec_the-whole-secret');
    button(el.querySelector('[data-testid="created-webhook"]')!, 'Copy').click();
    await settle();
    expect(navigator.clipboard.writeText).toHaveBeenCalledWith('whsec_the-whole-secret');
    expect(el.querySelector('[data-webhook-id="w3"]')).not.toBeNull();
    button(el, 'Done').click();
    await settle();
    expect(el.textContent).not.toContain('the-whole-secret');
  });

  it('shows a server refusal of the URL at the form', async () => {
    const url = el.querySelector<HTMLInputElement>('#webhook-url')!;
    url.value = 'http://10.0.0.5/hook';
    url.dispatchEvent(new Event('input'));
    el.querySelector<HTMLFormElement>('form.create')!.dispatchEvent(new Event('submit'));
    backend
      .expectOne((r) => r.url === '/v1/webhooks' && r.method === 'POST')
      .flush({ statusCode: 400, code: 'webhook_url_refused', message: '10.0.0.5 is a private address; webhooks are delivered only to public addresses.' }, { status: 400, statusText: 'Bad Request' });
    await settle();
    expect(el.querySelector('#webhook-error')!.textContent).toContain('10.0.0.5 is a private address');
  });

  it('sends a test event and shows the recent deliveries with attempts, response and next try', async () => {
    button(el.querySelector('[data-webhook-id="w1"]')!, 'Send a test event').click();
    await settle();
    backend.expectOne((r) => r.url === '/v1/webhooks/w1/test' && r.method === 'POST').flush({ ...delivery, id: 'd2', event_type: 'webhook.test', attempts: 0 });
    await settle();
    backend.expectOne((r) => r.url === '/v1/webhooks/w1/deliveries').flush({ items: [delivery] });
    await settle();
    const row = el.querySelector('[data-delivery-id="d1"]')!;
    expect(row.textContent).toContain('pending');
    expect(row.textContent).toContain('The endpoint answered HTTP 500.');
    expect(row.textContent).toContain('500 · 31 ms');
    expect(row.textContent).toContain('next try');
  });

  it('enables a disabled endpoint again', async () => {
    button(el.querySelector('[data-webhook-id="w2"]')!, 'Enable').click();
    await settle();
    const req = backend.expectOne('/v1/webhooks/w2');
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ enabled: true });
    req.flush({ ...gone, enabled: true, disabled_reason: null, disabled_at: null });
    await settle();
    expect(el.querySelector('[data-webhook-id="w2"] [data-testid="disabled-reason"]')).toBeNull();
  });

  it('deletes after asking', async () => {
    button(el.querySelector('[data-webhook-id="w1"]')!, 'Delete').click();
    await settle();
    el.querySelector<HTMLButtonElement>('dialog [data-confirm]')!.click();
    await settle();
    const req = backend.expectOne('/v1/webhooks/w1');
    expect(req.request.method).toBe('DELETE');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(el.querySelector('[data-webhook-id="w1"]')).toBeNull();
  });
});
