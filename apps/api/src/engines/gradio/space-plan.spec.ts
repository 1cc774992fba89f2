import { buildInputs, mappedSampling, SpacePlanError, planSpace, type ApiInfoLike, type ConfigLike, type InputValues } from './space-plan';

/** `/info` + `/config` fragments shaped like the real Spaces (see tools/fake-space). */
const param = (label: string, parameter_name: string, component: string, def?: unknown, type = component === 'Textbox' || component === 'Radio' ? 'string' : 'number') => ({
  label,
  parameter_name,
  component,
  type,
  parameter_has_default: def !== undefined,
  parameter_default: def,
});
const ret = (label: string, component: string) => ({ label, component });

const MUSICGEN_API: ApiInfoLike = {
  named_endpoints: {
    '/toggle_diffusion': { parameters: [param('Decoder', 'choice', 'Radio', 'Default')], returns: [ret('MultiBand Diffusion Decoder', 'Video'), ret('MultiBand Diffusion Decoder (wav)', 'Audio')] },
    '/predict_full': {
      parameters: [
        param('Model', 'model', 'Radio', 'facebook/musicgen-melody'),
        param('Model Path (custom models)', 'model_path', 'Textbox', ''),
        param('Decoder', 'decoder', 'Radio', 'Default'),
        param('Input Text', 'text', 'Textbox', ''),
        param('File', 'melody', 'Audio', undefined, 'Blob | File | Buffer'),
        param('Duration', 'duration', 'Slider', 10),
        param('Top-k', 'topk', 'Number', 250),
        param('Top-p', 'topp', 'Number', 0),
        param('Temperature', 'temperature', 'Number', 1),
        param('Classifier Free Guidance', 'cfg_coef', 'Number', 3),
      ],
      returns: [ret('Generated Music (video)', 'Video'), ret('Generated Music (wav)', 'Audio'), ret('MultiBand Diffusion Decoder', 'Video'), ret('MultiBand Diffusion Decoder (wav)', 'Audio')],
    },
  },
  unnamed_endpoints: {},
};
const MODELS = ['facebook/musicgen-melody', 'facebook/musicgen-medium', 'facebook/musicgen-small', 'facebook/musicgen-large'];
const MUSICGEN_CONFIG: ConfigLike = {
  version: '5.49.1',
  api_prefix: '/gradio_api',
  components: [
    { id: 5, type: 'radio', props: { choices: MODELS.map((m) => [m, m]) } },
    { id: 8, type: 'slider', props: { minimum: 1, maximum: 120, value: 10 } },
    { id: 9, type: 'number', props: { precision: null, minimum: null, maximum: null } },
  ],
  dependencies: [
    { id: 0, api_name: 'toggle_diffusion', inputs: [7], outputs: [15, 16], queue: false },
    { id: 1, api_name: 'predict_full', inputs: [5, 6, 7, 2, 3, 8, 9, 10, 11, 12], outputs: [13, 14, 15, 16], queue: true },
  ],
};

const STABLE_API: ApiInfoLike = {
  named_endpoints: {
    '/generate': {
      parameters: [
        param('Prompt', 'prompt', 'Textbox', ''),
        param('Negative prompt', 'negative_prompt', 'Textbox', ''),
        param('Seconds start', 'seconds_start', 'Slider', 0),
        param('Seconds total', 'seconds_total', 'Slider', 30),
        param('Seed', 'seed', 'Number', -1),
        param('Steps', 'steps', 'Slider', 100),
        param('CFG scale', 'cfg_scale', 'Slider', 7),
      ],
      returns: [ret('Output audio', 'Audio')],
    },
  },
};
const STABLE_CONFIG: ConfigLike = {
  components: [
    { id: 3, type: 'slider', props: { minimum: 0, maximum: 512 } },
    { id: 4, type: 'slider', props: { minimum: 1, maximum: 47 } },
    { id: 5, type: 'number', props: { precision: 0 } },
    { id: 6, type: 'slider', props: { minimum: 1, maximum: 500 } },
    { id: 7, type: 'slider', props: { minimum: 0, maximum: 25 } },
  ],
  dependencies: [{ id: 0, api_name: 'generate', inputs: [1, 2, 3, 4, 5, 6, 7], outputs: [8] }],
};

const BATCHED_API: ApiInfoLike = {
  named_endpoints: { '/predict_batched': { parameters: [param('Describe your music', 'texts', 'Textbox', ''), param('File', 'melodies', 'Audio', undefined, 'Blob')], returns: [ret('Generated Music (wav)', 'Audio')] } },
};

const request = (overrides: Partial<InputValues> = {}): InputValues => ({ prompt: 'lo-fi piano', durationSeconds: 8, seed: 42, sampleRate: 44100, reference: null, ...overrides });
const sources = (plan: ReturnType<typeof planSpace>) => Object.fromEntries(plan.inputs.map((i) => [i.label, i.source]));

describe('planSpace', () => {
  it('musicgen: picks predict_full (not the queue=false toggle) and maps every input by label and component', () => {
    const plan = planSpace(MUSICGEN_API, MUSICGEN_CONFIG);
    expect(plan).toMatchObject({ endpoint: '/predict_full', fnIndex: 1, gradioVersion: '5.49.1', apiPrefix: '/gradio_api' });
    expect(sources(plan)).toEqual({
      Model: 'model',
      'Model Path (custom models)': 'default',
      Decoder: 'default',
      'Input Text': 'prompt',
      File: 'reference',
      Duration: 'duration',
      'Top-k': 'topK',
      'Top-p': 'topP',
      Temperature: 'temperature',
      'Classifier Free Guidance': 'cfg',
    });
    expect(plan.inputs.find((i) => i.label === 'Duration')).toMatchObject({ minimum: 1, maximum: 120 });
    expect(plan.inputs.find((i) => i.label === 'Model')?.value).toBe('facebook/musicgen-melody');
    // the Audio output comes before the Video one
    expect(plan.outputs.map((o) => o.label)).toEqual(['Generated Music (wav)', 'MultiBand Diffusion Decoder (wav)', 'Generated Music (video)', 'MultiBand Diffusion Decoder']);
    expect(mappedSampling(plan)).toEqual(['topK', 'topP', 'temperature', 'cfg']);
  });

  it('musicgen: fills defaults, null for the melody, the request elsewhere; clamps the duration to the slider', () => {
    const plan = planSpace(MUSICGEN_API, MUSICGEN_CONFIG);
    const built = buildInputs(plan, request({ durationSeconds: 300, topK: 50, cfg: 5 }));
    expect(built.data).toEqual(['facebook/musicgen-melody', '', 'Default', 'lo-fi piano', null, 120, 50, 0, 1, 5]);
    expect(built.adjustments).toEqual([{ input: 'Duration', requested: 300, sent: 120, reason: 'maximum' }]);
    expect(built.sent).toMatchObject({ 'Input Text': 'lo-fi piano', Duration: 120, File: null });
    const withMelody = buildInputs(plan, request({ reference: { blob: true } }));
    expect(withMelody.data[4]).toEqual({ blob: true });
    expect(withMelody.sent.File).toEqual({ reference_audio: true });
  });

  it('HF_SPACE_MODEL picks a model choice (exactly, or by a unique part) and refuses one the Space lacks', () => {
    expect(planSpace(MUSICGEN_API, MUSICGEN_CONFIG, { model: 'facebook/musicgen-large' }).inputs[0].value).toBe('facebook/musicgen-large');
    expect(planSpace(MUSICGEN_API, MUSICGEN_CONFIG, { model: 'small' }).inputs[0].value).toBe('facebook/musicgen-small');
    expect(() => planSpace(MUSICGEN_API, MUSICGEN_CONFIG, { model: 'stereo-huge' })).toThrow(/HF_SPACE_MODEL "stereo-huge" is not a choice of the Space's "Model" input; choose one of "facebook\/musicgen-melody"/);
    expect(() => planSpace(STABLE_API, STABLE_CONFIG, { model: 'x' })).toThrow(/has no model choice/);
  });

  it('stable audio: "Seconds total" is the duration ("Seconds start" is not), seed and CFG scale are mapped, Steps keeps its default', () => {
    const plan = planSpace(STABLE_API, STABLE_CONFIG);
    expect(sources(plan)).toEqual({ Prompt: 'prompt', 'Negative prompt': 'default', 'Seconds start': 'default', 'Seconds total': 'duration', Seed: 'seed', Steps: 'default', 'CFG scale': 'cfg' });
    const built = buildInputs(plan, request({ durationSeconds: 60, cfg: 30, seed: 7 }));
    expect(built.data).toEqual(['lo-fi piano', '', 0, 47, 7, 100, 25]);
    expect(built.adjustments).toEqual([
      { input: 'Seconds total', requested: 60, sent: 47, reason: 'maximum' },
      { input: 'CFG scale', requested: 30, sent: 25, reason: 'maximum' },
    ]);
  });

  it('batched MusicGen: the prompt and the melody, no duration', () => {
    const plan = planSpace(BATCHED_API, {});
    expect(sources(plan)).toEqual({ 'Describe your music': 'prompt', File: 'reference' });
    expect(buildInputs(plan, request()).data).toEqual(['lo-fi piano', null]);
  });

  it('HF_SPACE_INPUTS overrides the heuristics (fixed values and sources) and must name real inputs', () => {
    const plan = planSpace(STABLE_API, STABLE_CONFIG, { inputs: { 'Negative prompt': 'vocals', steps: 20, 'Seconds start': { from: 'default' }, Prompt: { from: 'prompt' } } });
    expect(plan.inputs.find((i) => i.label === 'Negative prompt')).toMatchObject({ source: 'fixed', value: 'vocals', matchedBy: 'HF_SPACE_INPUTS' });
    expect(plan.inputs.find((i) => i.label === 'Steps')).toMatchObject({ source: 'fixed', value: 20 });
    expect(buildInputs(plan, request()).data).toEqual(['lo-fi piano', 'vocals', 0, 8, 42, 20, 7]);
    expect(() => planSpace(STABLE_API, STABLE_CONFIG, { inputs: { Melody: { from: 'reference' } } })).toThrow(/HF_SPACE_INPUTS names "Melody", which is not an input of \/generate; its inputs are "Prompt"/);
    expect(() => planSpace(STABLE_API, STABLE_CONFIG, { inputs: { Seed: { from: 'moon' } } })).toThrow(/from must be one of prompt/);
    // a source moved by the override is not taken again by the heuristics
    const swapped = planSpace(STABLE_API, STABLE_CONFIG, { inputs: { 'Negative prompt': { from: 'prompt' } } });
    expect(sources(swapped)).toMatchObject({ Prompt: 'default', 'Negative prompt': 'prompt' });
  });

  it('HF_SPACE_API_NAME chooses the endpoint (with or without the slash); an unknown one is named with the alternatives', () => {
    expect(planSpace(MUSICGEN_API, MUSICGEN_CONFIG, { apiName: 'predict_full' }).endpoint).toBe('/predict_full');
    expect(() => planSpace(MUSICGEN_API, MUSICGEN_CONFIG, { apiName: '/nope' })).toThrow('HF_SPACE_API_NAME "/nope" is not an endpoint of this Space; it has /toggle_diffusion, /predict_full');
  });

  it('refuses a Space with no endpoint that takes text and returns audio, saying what it has', () => {
    const api: ApiInfoLike = { named_endpoints: { '/caption': { parameters: [param('Image', 'image', 'Image', undefined, 'Blob')], returns: [ret('Caption', 'Textbox')] } } };
    expect(() => planSpace(api, {})).toThrow(SpacePlanError);
    expect(() => planSpace(api, {})).toThrow(/\/caption \[Image \(Image\)\] -> \[Textbox\]\); set HF_SPACE_API_NAME/);
  });

  it('seeds wrap into a bounded range instead of piling up on the maximum; integer inputs are rounded', () => {
    const api: ApiInfoLike = { named_endpoints: { '/predict': { parameters: [param('Text', 'text', 'Textbox', ''), param('Seed', 'seed', 'Slider', 0), param('Length', 'length', 'Number', 5)], returns: [ret('Audio', 'Audio')] } } };
    const config: ConfigLike = {
      components: [
        { id: 2, props: { minimum: 0, maximum: 999 } },
        { id: 3, props: { precision: 0 } },
      ],
      dependencies: [{ id: 0, api_name: 'predict', inputs: [1, 2, 3] }],
    };
    const built = buildInputs(planSpace(api, config), request({ seed: 4242, durationSeconds: 7.5 }));
    expect(built.data).toEqual(['lo-fi piano', 242, 8]);
    expect(built.adjustments.map((a) => a.reason)).toEqual(['wrapped', 'integer']);
  });

  it('a sample-rate radio gets the nearest choice', () => {
    const api: ApiInfoLike = { named_endpoints: { '/generate': { parameters: [param('Prompt', 'prompt', 'Textbox', ''), param('Sample rate', 'sr', 'Radio', '32000')], returns: [ret('Out', 'File')] } } };
    const config: ConfigLike = { components: [{ id: 2, props: { choices: [['16 kHz', '16000'], ['32 kHz', '32000'], ['48 kHz', '48000']] } }], dependencies: [{ id: 0, api_name: 'generate', inputs: [1, 2] }] };
    const built = buildInputs(planSpace(api, config), request({ sampleRate: 44100 }));
    expect(built.data).toEqual(['lo-fi piano', '48000']);
    expect(built.adjustments).toEqual([{ input: 'Sample rate', requested: 44100, sent: 48000, reason: 'nearest choice' }]);
  });
});
