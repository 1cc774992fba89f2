import type { HttpTestingController } from '@angular/common/http/testing';
import { job } from '../../../testing';
import { engine, openGeneratePage } from '../../../testing/generate-page';
import { referenceFileProblem } from './generate-form';

describe('GeneratePage: reference (melody) audio', () => {
  let backend: HttpTestingController;
  let el: HTMLElement;
  let settle: () => Promise<void>;
  let chooseEngine: (id: string) => Promise<void>;
  const flushAsync = async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve));
    await settle();
  };
  const set = (selector: string, value: string) => {
    const input = el.querySelector<HTMLInputElement | HTMLTextAreaElement>(selector)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
  };
  const pick = (file: File) => {
    const input = el.querySelector<HTMLInputElement>('#reference')!;
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
  };
  const submit = () => el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
  const wav = () => new File([new Uint8Array([0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4])], 'melody.wav', { type: 'audio/wav' });

  beforeEach(async () => {
    ({ backend, el, settle, chooseEngine } = await openGeneratePage([engine('gradio', true, { referenceAudio: true }), engine('offline', false)]));
  });
  afterEach(() => backend.verify());

  it('offers the optional field only while the chosen engine takes reference audio', async () => {
    const input = el.querySelector<HTMLInputElement>('#reference')!;
    expect(input.getAttribute('accept')).toBe('audio/*');
    expect(el.querySelector('label[for="reference"]')!.textContent).toContain('Reference audio');
    await chooseEngine('offline');
    expect(el.querySelector('#reference')).toBeNull();
    await chooseEngine('gradio');
    expect(el.querySelector('#reference')).not.toBeNull();
  });

  it('uploads the file first, then sends its reference_id; a second submit does not upload it again', async () => {
    set('#prompt', 'hum along');
    set('#duration', '5');
    pick(wav());
    submit();
    await flushAsync();
    const upload = backend.expectOne((r) => r.url === '/v1/references' && r.method === 'POST');
    expect(upload.request.body).toBeInstanceOf(FormData);
    expect((upload.request.body as FormData).get('file')).toBeInstanceOf(File);
    expect(((upload.request.body as FormData).get('file') as File).name).toBe('melody.wav');
    upload.flush({ id: 'ref-1', format: 'wav', size_bytes: 8, duration: null, created_at: '2026-01-01T00:00:00.000Z' }, { status: 201, statusText: 'Created' });
    await flushAsync();
    const create = backend.expectOne((r) => r.url === '/v1/generations' && r.method === 'POST');
    expect(create.request.body).toEqual({ prompt: 'hum along', duration: 5, samplerate: 44100, quality: 'draft', variations: 1, reference_id: 'ref-1' });
    create.flush({ statusCode: 503, code: 'queue_full', message: 'The generation queue is full right now; try again in a minute.' }, { status: 503, statusText: 'Unavailable' });
    await flushAsync();

    submit();
    await flushAsync();
    expect(backend.match((r) => r.url === '/v1/references')).toEqual([]);
    expect(backend.expectOne((r) => r.url === '/v1/generations').request.body.reference_id).toBe('ref-1');
  });

  it('shows a refused upload at the field and sends no generation', async () => {
    set('#prompt', 'hum along');
    pick(wav());
    submit();
    await flushAsync();
    backend
      .expectOne('/v1/references')
      .flush({ statusCode: 400, code: 'reference_invalid', message: 'The reference file is not audio this server can read; upload WAV, MP3, FLAC or Ogg.' }, { status: 400, statusText: 'Bad Request' });
    await flushAsync();
    expect(el.querySelector('#reference-error')!.textContent).toContain('not audio this server can read');
    expect(el.querySelector('#reference')!.getAttribute('aria-invalid')).toBe('true');
    expect(backend.match((r) => r.url === '/v1/generations')).toEqual([]);
  });

  it('refuses a file that is too large or not audio before uploading', async () => {
    const big = new File([new Uint8Array(8)], 'big.wav', { type: 'audio/wav' });
    Object.defineProperty(big, 'size', { value: 21 * 1024 * 1024 });
    pick(big);
    await settle();
    expect(el.querySelector('#reference-error')!.textContent).toContain('at most 20 MB');
    pick(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    await settle();
    expect(el.querySelector('#reference-error')!.textContent).toContain('Choose an audio file');
    expect(referenceFileProblem({ size: 10, type: '' })).toBeNull();
  });

  it('sends no reference when the engine chosen afterwards takes none', async () => {
    set('#prompt', 'hum along');
    pick(wav());
    await chooseEngine('offline');
    submit();
    await flushAsync();
    expect(backend.match((r) => r.url === '/v1/references')).toEqual([]);
    const create = backend.expectOne((r) => r.url === '/v1/generations');
    expect(create.request.body.reference_id).toBeUndefined();
    expect(create.request.body.engine).toBe('offline');
    create.flush(job());
    await flushAsync();
  });
});
