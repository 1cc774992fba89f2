/**
 * The plan for calling a Space: which endpoint renders music and how a TextTune request
 * fills each of its inputs. Pure functions over the Space's `/info` (as `view_api()`
 * gives it) and `/config` (where the sliders' ranges and radios' choices live).
 */

/** One parameter of an endpoint, as `view_api()` lists it. */
export interface ApiParameter {
  label?: string | null;
  parameter_name?: string | null;
  parameter_has_default?: boolean;
  parameter_default?: unknown;
  component?: string;
  type?: unknown;
  python_type?: { type?: string } | null;
}

export interface ApiEndpoint {
  parameters: ApiParameter[];
  returns: ApiParameter[];
}

export interface ApiInfoLike {
  named_endpoints: Record<string, ApiEndpoint>;
  unnamed_endpoints?: Record<string, ApiEndpoint>;
}

export interface ConfigLike {
  version?: string;
  api_prefix?: string;
  components?: { id: number; type?: string; props?: Record<string, unknown> }[];
  dependencies?: { id: number; api_name?: string | null | false; inputs?: number[]; outputs?: number[]; queue?: boolean | null }[];
}

/** Where an input's value comes from. */
export const INPUT_SOURCES = ['prompt', 'duration', 'seed', 'sampleRate', 'topK', 'topP', 'temperature', 'cfg', 'reference', 'model', 'default', 'fixed'] as const;
export type InputSource = (typeof INPUT_SOURCES)[number];

/** Spellings accepted in HF_SPACE_INPUTS `{from: …}`. */
const SOURCE_ALIASES: Record<string, InputSource> = {
  prompt: 'prompt',
  text: 'prompt',
  duration: 'duration',
  seconds: 'duration',
  seed: 'seed',
  samplerate: 'sampleRate',
  topk: 'topK',
  topp: 'topP',
  temperature: 'temperature',
  cfg: 'cfg',
  guidance: 'cfg',
  reference: 'reference',
  referenceaudio: 'reference',
  melody: 'reference',
  audio: 'reference',
  model: 'model',
  default: 'default',
};

export interface InputSlot {
  index: number;
  label: string;
  parameter: string | null;
  component: string;
  source: InputSource;
  /** how the source was decided */
  matchedBy: 'HF_SPACE_INPUTS' | 'label' | 'component' | 'fallback';
  hasDefault: boolean;
  default: unknown;
  /** the value of a `fixed` input (HF_SPACE_INPUTS) or the chosen model */
  value?: unknown;
  minimum?: number;
  maximum?: number;
  integer: boolean;
  /** values a radio/dropdown accepts */
  choices?: unknown[];
}

export interface OutputSlot {
  index: number;
  label: string;
  component: string;
}

export interface SpacePlan {
  /** `/predict_full`, or a number for an unnamed endpoint */
  endpoint: string | number;
  fnIndex: number | null;
  inputs: InputSlot[];
  /** the outputs that may carry the audio, best first (Audio, then File, then Video) */
  outputs: OutputSlot[];
  /** the endpoint's other named endpoints that were considered */
  candidates: string[];
  gradioVersion: string | null;
  apiPrefix: string;
}

export interface SpacePlanOptions {
  apiName?: string;
  model?: string;
  inputs?: Record<string, unknown>;
}

/** The Space cannot be used as configured; the message says why and what to set. */
export class SpacePlanError extends Error {}

const PREFERRED_ENDPOINTS = ['predict_full', 'predict', 'generate', 'predict_batched', 'music', 'generate_music', 'text_to_music', 'text2music', 'infer', 'run'];
const AUDIO_COMPONENTS: Record<string, number> = { audio: 0, file: 1, video: 2 };
const FILE_INPUTS = new Set(['audio', 'file', 'uploadbutton']);
const CHOICE_INPUTS = new Set(['radio', 'dropdown']);
const NUMERIC_INPUTS = new Set(['slider', 'number']);
const TEXT_INPUTS = new Set(['textbox', 'textarea', 'text']);

/** "Top-k" -> "top k", "cfg_coef" -> "cfg coef", "Seconds total" -> "seconds total". */
function words(text: string | null | undefined): string {
  return (text ?? '')
    .toLowerCase()
    .replace(/[_\-/]+/g, ' ')
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const STRONG_PROMPT_LABELS = new Set(['input text', 'describe your music', 'prompt', 'text', 'description', 'text prompt', 'music description', 'caption', 'texts', 'input prompt']);
const PROMPT_HINT = /\b(prompts?|texts?|describe|descriptions?|captions?)\b/;
const NOT_PROMPT = /\b(negative|path|model|url|file|lyrics|tags? to avoid|avoid)\b/;

type NumericSource = 'duration' | 'seed' | 'sampleRate' | 'topK' | 'topP' | 'temperature' | 'cfg';
const NUMERIC_RULES: { source: NumericSource; match: RegExp; unless?: RegExp }[] = [
  { source: 'duration', match: /\b(duration|seconds total|total seconds|seconds|secs?|length|audio length|length in seconds)\b/, unless: /\b(start|offset|fade|overlap|crossfade|steps?|chunk)\b/ },
  { source: 'seed', match: /\bseed\b/ },
  { source: 'sampleRate', match: /\b(sample rate|samplerate|sampling rate|sr)\b/ },
  { source: 'topK', match: /\b(top k|topk)\b/ },
  { source: 'topP', match: /\b(top p|topp)\b/ },
  { source: 'temperature', match: /\b(temperature|temp)\b/ },
  { source: 'cfg', match: /\b(classifier free guidance|cfg|cfg coef|cfg scale|guidance scale|guidance)\b/, unless: /\brescale\b/ },
];
const numericRule = (text: string, taken: Set<InputSource>) => NUMERIC_RULES.find((r) => !taken.has(r.source) && r.match.test(text) && !r.unless?.test(text));
const MODEL_RULE = /^(model|models|model name|model id|model version|checkpoint|model size)$/;

function componentOf(p: ApiParameter): string {
  return (p.component ?? '').toLowerCase();
}

function isTextParameter(p: ApiParameter): boolean {
  const c = componentOf(p);
  return TEXT_INPUTS.has(c) || (c === '' && p.type === 'string');
}

function audioRank(p: ApiParameter): number {
  return AUDIO_COMPONENTS[componentOf(p)] ?? Number.POSITIVE_INFINITY;
}

function endpointRank(name: string): number {
  const bare = name.replace(/^\//, '');
  const exact = PREFERRED_ENDPOINTS.indexOf(bare);
  if (exact >= 0) return exact;
  return /predict|generate|music|audio|song/.test(bare) ? 50 : 100;
}

function describeEndpoint(name: string, info: ApiEndpoint): string {
  const ins = info.parameters.map((p) => `${p.label || p.parameter_name || '?'} (${p.component ?? '?'})`).join(', ');
  const outs = info.returns.map((r) => r.component ?? '?').join(', ');
  return `${name} [${ins}] -> [${outs}]`;
}

/** Chooses the endpoint: HF_SPACE_API_NAME, else the best named one that takes text and returns audio. */
function chooseEndpoint(api: ApiInfoLike, apiName: string | undefined): { name: string | number; info: ApiEndpoint; considered: string[] } {
  const named = Object.entries(api.named_endpoints ?? {});
  const considered = named.map(([name]) => name);
  if (apiName) {
    const wanted = apiName.trim();
    if (/^\d+$/.test(wanted) && api.unnamed_endpoints?.[wanted]) return { name: Number(wanted), info: api.unnamed_endpoints[wanted], considered };
    const key = `/${wanted.replace(/^\/+/, '')}`;
    const found = api.named_endpoints?.[key];
    if (!found) {
      throw new SpacePlanError(`HF_SPACE_API_NAME "${apiName}" is not an endpoint of this Space; it has ${considered.length ? considered.join(', ') : 'no named endpoints'}`);
    }
    return { name: key, info: found, considered };
  }
  const candidates = named
    .map(([name, info], order) => ({ name, info, order, audio: Math.min(...info.returns.map(audioRank), Number.POSITIVE_INFINITY) }))
    .filter((c) => Number.isFinite(c.audio) && c.info.parameters.some(isTextParameter))
    .sort((a, b) => endpointRank(a.name) - endpointRank(b.name) || a.audio - b.audio || a.order - b.order);
  if (!candidates.length) {
    const listing = named.map(([name, info]) => describeEndpoint(name, info)).join('; ');
    throw new SpacePlanError(
      `no named endpoint of this Space takes text and returns audio (${listing || 'it lists no named endpoints; its API may be hidden'}); set HF_SPACE_API_NAME (and HF_SPACE_INPUTS)`,
    );
  }
  return { name: candidates[0].name, info: candidates[0].info, considered };
}

function numberProp(props: Record<string, unknown> | undefined, key: string): number | undefined {
  const value = props?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Radio/Dropdown choices: Gradio 4+ sends `[label, value]` pairs, Gradio 3 plain values. */
function choiceValues(props: Record<string, unknown> | undefined): unknown[] | undefined {
  const choices = props?.choices;
  if (!Array.isArray(choices)) return undefined;
  return (choices as unknown[]).map((c) => (isPair(c) ? c[1] : c));
}

const isPair = (value: unknown): value is [unknown, unknown] => Array.isArray(value) && value.length === 2;

function parseOverride(key: string, raw: unknown): { source: InputSource; value?: unknown } {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'from' in raw) {
    const from = raw.from;
    const source = typeof from === 'string' ? SOURCE_ALIASES[from.toLowerCase().replace(/[^a-z]/g, '')] : undefined;
    if (!source) {
      throw new SpacePlanError(`HF_SPACE_INPUTS["${key}"].from must be one of prompt, duration, seed, sample_rate, top_k, top_p, temperature, cfg, reference, model, default (got ${JSON.stringify(from)})`);
    }
    return { source };
  }
  return { source: 'fixed', value: raw };
}

function chooseModel(slot: InputSlot, wanted: string): unknown {
  const choices = slot.choices ?? [];
  const exact = choices.find((c) => String(c) === wanted) ?? choices.find((c) => String(c).toLowerCase() === wanted.toLowerCase());
  if (exact !== undefined) return exact;
  const partial = choices.filter((c) => String(c).toLowerCase().includes(wanted.toLowerCase()));
  if (partial.length === 1) return partial[0];
  throw new SpacePlanError(
    `HF_SPACE_MODEL "${wanted}" is not ${partial.length > 1 ? 'a unique' : 'a'} choice of the Space's "${slot.label}" input; choose one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`,
  );
}

/**
 * Builds the plan for a Space. Throws {@link SpacePlanError} when no endpoint
 * fits, or HF_SPACE_API_NAME / HF_SPACE_MODEL / HF_SPACE_INPUTS name something the Space
 * does not have.
 */
export function planSpace(api: ApiInfoLike, config: ConfigLike, options: SpacePlanOptions = {}): SpacePlan {
  const { name, info, considered } = chooseEndpoint(api, options.apiName);
  const bare = typeof name === 'string' ? name.replace(/^\//, '') : null;
  const dependency = (config.dependencies ?? []).find((d) => (bare !== null ? d.api_name === bare : d.id === name));
  const componentIds = dependency?.inputs && dependency.inputs.length === info.parameters.length ? dependency.inputs : [];
  const componentProps = (index: number) => (config.components ?? []).find((c) => c.id === componentIds[index])?.props;

  const overrides = new Map<string, unknown>(Object.entries(options.inputs ?? {}));
  const used = new Set<string>();
  const taken = new Set<InputSource>();
  const inputs: InputSlot[] = info.parameters.map((p, index) => {
    const props = componentProps(index);
    const component = p.component ?? 'unknown';
    const label = p.label || p.parameter_name || `input ${index}`;
    const precision = props?.precision;
    const slot: InputSlot = {
      index,
      label,
      parameter: p.parameter_name ?? null,
      component,
      source: 'default',
      matchedBy: 'fallback',
      hasDefault: p.parameter_has_default === true,
      default: p.parameter_has_default ? (p.parameter_default ?? null) : null,
      minimum: numberProp(props, 'minimum'),
      maximum: numberProp(props, 'maximum'),
      integer: precision === 0 || p.python_type?.type === 'int',
      choices: choiceValues(props),
    };
    const overrideKey = [p.label, p.parameter_name].find((k): k is string => !!k && overrides.has(k));
    if (overrideKey !== undefined) {
      used.add(overrideKey);
      const { source, value } = parseOverride(overrideKey, overrides.get(overrideKey));
      Object.assign(slot, { source, matchedBy: 'HF_SPACE_INPUTS' as const }, source === 'fixed' ? { value } : {});
      taken.add(source);
    }
    return slot;
  });
  const unknown = [...overrides.keys()].filter((k) => !used.has(k));
  if (unknown.length) {
    throw new SpacePlanError(
      `HF_SPACE_INPUTS names ${unknown.map((k) => `"${k}"`).join(', ')}, which ${unknown.length > 1 ? 'are not inputs' : 'is not an input'} of ${name}; its inputs are ${inputs.map((s) => `"${s.label}"`).join(', ')}`,
    );
  }

  const free = (slot: InputSlot) => slot.matchedBy === 'fallback';
  const assign = (slot: InputSlot, source: InputSource, matchedBy: InputSlot['matchedBy']) => {
    slot.source = source;
    slot.matchedBy = matchedBy;
    taken.add(source);
  };
  const text = (slot: InputSlot) => `${words(slot.label)} | ${words(slot.parameter)}`;

  for (const slot of inputs.filter(free)) {
    const c = slot.component.toLowerCase();
    if (c === 'state') continue;
    if (FILE_INPUTS.has(c) && !taken.has('reference')) assign(slot, 'reference', 'component');
    else if (CHOICE_INPUTS.has(c) && !taken.has('model') && (MODEL_RULE.test(words(slot.label)) || MODEL_RULE.test(words(slot.parameter)))) assign(slot, 'model', 'label');
    else if (NUMERIC_INPUTS.has(c) || CHOICE_INPUTS.has(c)) {
      // radios/dropdowns only for numbers with choices (a sample rate, a duration)
      const rule = numericRule(text(slot), taken);
      if (rule && (NUMERIC_INPUTS.has(c) || rule.source === 'sampleRate' || rule.source === 'duration')) assign(slot, rule.source, 'label');
    }
  }
  if (!taken.has('prompt')) {
    const texts = inputs.filter((s) => free(s) && isTextParameter(info.parameters[s.index]));
    const prompt =
      texts.find((s) => STRONG_PROMPT_LABELS.has(words(s.label)) || STRONG_PROMPT_LABELS.has(words(s.parameter))) ??
      texts.find((s) => PROMPT_HINT.test(text(s)) && !NOT_PROMPT.test(text(s))) ??
      texts.find((s) => !NOT_PROMPT.test(text(s)));
    if (prompt) assign(prompt, 'prompt', 'label');
  }
  if (!taken.has('prompt')) {
    throw new SpacePlanError(`no input of ${name} looks like the prompt (${inputs.map((s) => `"${s.label}" ${s.component}`).join(', ')}); name it in HF_SPACE_INPUTS, e.g. {"<label>": {"from": "prompt"}}`);
  }

  const model = inputs.find((s) => s.source === 'model');
  if (options.model) {
    if (!model) throw new SpacePlanError(`HF_SPACE_MODEL is set, but ${name} has no model choice (inputs: ${inputs.map((s) => `"${s.label}"`).join(', ')})`);
    model.value = chooseModel(model, options.model);
  } else if (model) {
    model.value = model.default;
  }

  const outputs = info.returns
    .map((r, index) => ({ index, label: r.label || `output ${index}`, component: r.component ?? 'unknown', rank: audioRank(r) }))
    .filter((o) => Number.isFinite(o.rank))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ index, label, component }) => ({ index, label, component }));
  if (!outputs.length && options.apiName) {
    // An unusual endpoint (e.g. returns a JSON with a URL): look at every output.
    outputs.push(...info.returns.map((r, index) => ({ index, label: r.label || `output ${index}`, component: r.component ?? 'unknown' })));
  }

  return {
    endpoint: name,
    fnIndex: dependency?.id ?? (typeof name === 'number' ? name : null),
    inputs,
    outputs,
    candidates: considered,
    gradioVersion: config.version ?? null,
    apiPrefix: config.api_prefix ?? '',
  };
}

/** What a request fills in: the engine's request fields by source. */
export interface InputValues {
  prompt: string;
  durationSeconds: number;
  seed: number;
  sampleRate: number;
  topK?: number;
  topP?: number;
  temperature?: number;
  cfg?: number;
  /** the uploaded (or to-be-uploaded) reference audio, or null */
  reference: unknown;
}

export interface Adjustment {
  input: string;
  requested: number;
  sent: number;
  /** why the value changed */
  reason: 'minimum' | 'maximum' | 'integer' | 'wrapped' | 'nearest choice';
}

export interface BuiltInputs {
  /** positional data for `submit`, one value per parameter */
  data: unknown[];
  /** label -> value sent (the reference audio as a marker) */
  sent: Record<string, unknown>;
  adjustments: Adjustment[];
}

function fitNumber(slot: InputSlot, requested: number, adjustments: Adjustment[], wrap = false): number {
  let value = requested;
  if (slot.integer && !Number.isInteger(value)) {
    value = Math.round(value);
    adjustments.push({ input: slot.label, requested, sent: value, reason: 'integer' });
  }
  const { minimum: min, maximum: max } = slot;
  if (wrap && min !== undefined && max !== undefined && (value < min || value > max)) {
    const span = Math.floor(max - min) + 1;
    const wrapped = min + (((Math.floor(value - min) % span) + span) % span);
    adjustments.push({ input: slot.label, requested, sent: wrapped, reason: 'wrapped' });
    return wrapped;
  }
  if (min !== undefined && value < min) {
    adjustments.push({ input: slot.label, requested, sent: min, reason: 'minimum' });
    return min;
  }
  if (max !== undefined && value > max) {
    adjustments.push({ input: slot.label, requested, sent: max, reason: 'maximum' });
    return max;
  }
  return value;
}

/** A numeric request value for a radio/dropdown: the nearest numeric choice. */
function nearestChoice(slot: InputSlot, requested: number, adjustments: Adjustment[]): unknown {
  const numeric = (slot.choices ?? []).map((c) => ({ c, n: Number(c) })).filter((x) => Number.isFinite(x.n));
  if (!numeric.length) return slot.default;
  const best = numeric.reduce((a, b) => (Math.abs(b.n - requested) < Math.abs(a.n - requested) ? b : a));
  if (best.n !== requested) adjustments.push({ input: slot.label, requested, sent: best.n, reason: 'nearest choice' });
  return best.c;
}

/** Fills the Space's inputs for one request, clamping numbers to each component's range. */
export function buildInputs(plan: SpacePlan, values: InputValues): BuiltInputs {
  const adjustments: Adjustment[] = [];
  const sent: Record<string, unknown> = {};
  const data = plan.inputs.map((slot) => {
    const fallback = slot.hasDefault ? slot.default : null;
    let value: unknown;
    switch (slot.source) {
      case 'prompt':
        value = values.prompt;
        break;
      case 'duration':
      case 'seed':
      case 'sampleRate':
      case 'topK':
      case 'topP':
      case 'temperature':
      case 'cfg': {
        const requested = slot.source === 'duration' ? values.durationSeconds : values[slot.source];
        if (requested === undefined) value = fallback;
        else if (CHOICE_INPUTS.has(slot.component.toLowerCase())) value = nearestChoice(slot, requested, adjustments);
        else value = fitNumber(slot, requested, adjustments, slot.source === 'seed');
        break;
      }
      case 'reference':
        value = values.reference;
        break;
      case 'model':
        value = slot.value ?? fallback;
        break;
      case 'fixed':
        value = slot.value;
        break;
      default:
        value = slot.component.toLowerCase() === 'state' ? null : fallback;
    }
    sent[slot.label] = slot.source === 'reference' && value !== null ? { reference_audio: true } : value;
    return value;
  });
  return { data, sent, adjustments };
}

/** The sampling parameters the plan passes on (for `supports.samplingParams`). */
export function mappedSampling(plan: SpacePlan): ('topK' | 'topP' | 'temperature' | 'cfg')[] {
  return (['topK', 'topP', 'temperature', 'cfg'] as const).filter((s) => plan.inputs.some((i) => i.source === s));
}
