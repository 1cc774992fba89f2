/**
 * Modelled on the batched MusicGen Space (`demos/musicgen_app.py` `ui_batched`, which the
 * public facebook/MusicGen Space ran): one text box, an optional melody, fixed 10 s,
 * `batch=True` so requests are grouped server-side (clients still send one item).
 */
import { renderTrack } from '../wav-render';
import { str, type AppDef } from './app';
import { audio, button, markdown, textbox } from './components';

export function batchedApp(): AppDef {
  const components = [
    markdown(1, '# MusicGen\nThis is the demo for MusicGen. Requests are batched: up to 12 run together.'),
    textbox(2, 'Describe your music', { lines: 2 }),
    audio(3, 'File', { type: 'numpy' }),
    button(4, 'Generate'),
    audio(5, 'Generated Music (wav)', { type: 'filepath', interactive: false }),
  ];
  return {
    name: 'batched',
    title: 'MusicGen (batched)',
    components,
    layout: { id: 0, children: components.map((c) => ({ id: c.id })) },
    endpoints: [
      {
        id: 0,
        apiName: 'predict_batched',
        fnName: 'predict_batched',
        targets: [[4, 'click']],
        triggerAfter: null,
        inputs: [2, 3],
        outputs: [5],
        queue: true,
        batch: true,
        maxBatchSize: 12,
        parameterNames: ['texts', 'melodies'],
        run: async (ctx) => {
          const [text, melody] = ctx.inputs;
          const melodyFile = ctx.inputFile(melody);
          const length = 500;
          for (let k = 1; k <= 4; k++) await ctx.progress(k * 125, length);
          const track = renderTrack({ prompt: str(text), seed: `batched|${melodyFile?.sha256 ?? ''}`, durationSeconds: 10, sampleRate: 32000, channels: 1 });
          return [ctx.audioOutput(track, 'batched.wav')];
        },
      },
    ],
  };
}
