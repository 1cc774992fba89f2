/**
 * Component builders. Each one yields the three views Gradio derives from a component:
 * its entry in `/config` (`components[]`), its entry in `/info` (a parameter or a
 * return), and its `preprocess` check, which here reproduces the validation real
 * Gradio 4/5 components do on input (Radio rejects values outside `choices`, Slider
 * rejects values outside `minimum..maximum`) with Gradio's own messages.
 */
import type { Json, JsonObject } from '../types';

/** A value failed the component's preprocess step: Gradio answers with `gr.Error(message)`. */
export class ComponentValueError extends Error {}

export interface ComponentDef {
  id: number;
  /** lower-case block type as in the config (`textbox`, `radio`, `audio`, ...) */
  type: string;
  /** class name as in `/info` (`Textbox`, `Radio`, `Audio`, ...) */
  className: string;
  label: string;
  props: JsonObject;
  /** JSON schema of the value (`/info` `type`) */
  apiType: JsonObject;
  /** `/info` `python_type` */
  pythonType: { type: string; description: string };
  exampleInput: Json;
  /** initial value, `null` when none: decides `parameter_has_default` */
  initial: Json;
  preprocess(value: Json): Json;
}

const FILE_DATA_SCHEMA: JsonObject = {
  additional_description: null,
  properties: {
    path: { title: 'Path', type: 'string' },
    url: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'Url' },
    size: { anyOf: [{ type: 'integer' }, { type: 'null' }], default: null, title: 'Size' },
    orig_name: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'Orig Name' },
    mime_type: { anyOf: [{ type: 'string' }, { type: 'null' }], default: null, title: 'Mime Type' },
    is_stream: { default: false, title: 'Is Stream', type: 'boolean' },
    meta: { default: { _type: 'gradio.FileData' }, title: 'Meta', type: 'object' },
  },
  required: ['path'],
  title: 'FileData',
  type: 'object',
};

const SAMPLE_AUDIO_URL = 'https://github.com/gradio-app/gradio/raw/main/test/test_files/audio_sample.wav';
const SAMPLE_VIDEO_URL = 'https://github.com/gradio-app/gradio/raw/main/demo/video_component/files/world.mp4';

function base(id: number, type: string, className: string, label: string, props: JsonObject) {
  return {
    id,
    type,
    className,
    label,
    props: { label, show_label: true, visible: true, interactive: true, elem_id: null, elem_classes: [], name: type, ...props },
  };
}

export function textbox(id: number, label: string, opts: { value?: string; lines?: number } = {}): ComponentDef {
  const value = opts.value ?? '';
  return {
    ...base(id, 'textbox', 'Textbox', label, { value, lines: opts.lines ?? 1, max_lines: 20, placeholder: null, type: 'text' }),
    apiType: { type: 'string' },
    pythonType: { type: 'str', description: '' },
    exampleInput: 'Hello!!',
    initial: value,
    preprocess: (v) => (v === null ? null : String(v)),
  };
}

export function radio(id: number, label: string, choices: string[], value: string): ComponentDef {
  return {
    ...base(id, 'radio', 'Radio', label, { value, choices: choices.map((c) => [c, c]), type: 'value' }),
    apiType: { enum: choices, title: 'Radio', type: 'string' },
    pythonType: { type: `Literal[${choices.map((c) => `'${c}'`).join(', ')}]`, description: '' },
    exampleInput: choices[0],
    initial: value,
    preprocess: (v) => {
      if (v !== null && !choices.includes(String(v))) {
        throw new ComponentValueError(`Value: ${JSON.stringify(v)} is not in the list of choices: ${JSON.stringify(choices)}`);
      }
      return v;
    },
  };
}

export function slider(id: number, label: string, minimum: number, maximum: number, value: number, step = 1): ComponentDef {
  return {
    ...base(id, 'slider', 'Slider', label, { value, minimum, maximum, step }),
    apiType: { type: 'number' },
    pythonType: { type: 'float', description: `numeric value between ${minimum} and ${maximum}` },
    exampleInput: minimum,
    initial: value,
    preprocess: (v) => {
      const n = Number(v);
      if (v === null || typeof v === 'boolean' || !Number.isFinite(n)) throw new ComponentValueError(`Value ${JSON.stringify(v)} is not a number.`);
      if (n < minimum) throw new ComponentValueError(`Value ${n} is less than minimum value ${minimum}.`);
      if (n > maximum) throw new ComponentValueError(`Value ${n} is greater than maximum value ${maximum}.`);
      return n;
    },
  };
}

export function number(id: number, label: string, value: number, precision: number | null = null): ComponentDef {
  return {
    ...base(id, 'number', 'Number', label, { value, precision, minimum: null, maximum: null, step: 1 }),
    apiType: { type: 'number' },
    pythonType: { type: precision === 0 ? 'int' : 'float', description: '' },
    exampleInput: 3,
    initial: value,
    preprocess: (v) => {
      if (v === null) return null;
      const n = Number(v);
      if (typeof v === 'boolean' || !Number.isFinite(n)) throw new ComponentValueError(`Value ${JSON.stringify(v)} is not a number.`);
      return precision === 0 ? Math.round(n) : n;
    },
  };
}

export function audio(id: number, label: string, opts: { type?: 'filepath' | 'numpy'; interactive?: boolean } = {}): ComponentDef {
  const interactive = opts.interactive ?? true;
  return {
    ...base(id, 'audio', 'Audio', label, {
      value: null,
      type: opts.type ?? 'filepath',
      sources: ['upload', 'microphone'],
      format: 'wav',
      streaming: false,
      autoplay: false,
      interactive,
    }),
    apiType: FILE_DATA_SCHEMA,
    pythonType: { type: 'filepath', description: '' },
    exampleInput: { path: SAMPLE_AUDIO_URL, meta: { _type: 'gradio.FileData' }, orig_name: 'audio_sample.wav', url: SAMPLE_AUDIO_URL },
    initial: null,
    preprocess: (v) => v,
  };
}

export function video(id: number, label: string): ComponentDef {
  return {
    ...base(id, 'video', 'Video', label, { value: null, format: null, autoplay: false, interactive: false }),
    apiType: {
      properties: { video: FILE_DATA_SCHEMA, subtitles: { anyOf: [FILE_DATA_SCHEMA, { type: 'null' }], default: null } },
      required: ['video'],
      title: 'VideoData',
      type: 'object',
    },
    pythonType: { type: 'filepath', description: '' },
    exampleInput: { video: { path: SAMPLE_VIDEO_URL, meta: { _type: 'gradio.FileData' } }, subtitles: null },
    initial: null,
    preprocess: (v) => v,
  };
}

export function button(id: number, label: string): ComponentDef {
  return {
    ...base(id, 'button', 'Button', label, { value: label, variant: 'secondary' }),
    apiType: { type: 'string' },
    pythonType: { type: 'str', description: '' },
    exampleInput: label,
    initial: label,
    preprocess: (v) => v,
  };
}

export function markdown(id: number, text: string): ComponentDef {
  return {
    ...base(id, 'markdown', 'Markdown', '', { value: text, show_label: false }),
    apiType: { type: 'string' },
    pythonType: { type: 'str', description: '' },
    exampleInput: text,
    initial: text,
    preprocess: (v) => v,
  };
}
