/** Modelled on the Stable Audio Open demo (stable-audio-tools `gradio.py`): seconds, seed, steps, CFG. */
import { renderTrack } from '../wav-render';
import { num, str, type AppDef } from './app';
import { audio, button, number, slider, textbox } from './components';

export function stableAudioApp(): AppDef {
  const components = [
    textbox(1, 'Prompt'),
    textbox(2, 'Negative prompt'),
    slider(3, 'Seconds total', 1, 47, 30),
    number(4, 'Seed', -1, 0),
    slider(5, 'Steps', 1, 500, 100),
    slider(6, 'CFG scale', 0, 25, 7, 0.1),
    button(7, 'Generate'),
    audio(8, 'Output audio', { type: 'filepath', interactive: false }),
  ];
  return {
    name: 'stable-audio',
    title: 'Stable Audio Open',
    components,
    layout: { id: 0, children: components.map((c) => ({ id: c.id })) },
    endpoints: [
      {
        id: 0,
        apiName: 'generate',
        fnName: 'generate_cond',
        targets: [[7, 'click']],
        triggerAfter: null,
        inputs: [1, 2, 3, 4, 5, 6],
        outputs: [8],
        queue: true,
        batch: false,
        maxBatchSize: 4,
        parameterNames: ['prompt', 'negative_prompt', 'seconds_total', 'seed', 'steps', 'cfg_scale'],
        run: async (ctx) => {
          const [prompt, negative, seconds, seed, steps, cfg] = ctx.inputs;
          const total = Math.max(1, Math.round(num(steps, 100)));
          const updates = Math.min(5, total);
          for (let k = 1; k <= updates; k++) await ctx.progress(Math.round((k / updates) * total), total, 'Sampling');
          const track = renderTrack({
            prompt: str(prompt),
            seed: `${num(seed, -1)}|${str(negative)}|${total}|${num(cfg, 7)}`,
            durationSeconds: num(seconds, 30),
            sampleRate: 44100,
            channels: 2,
          });
          return [ctx.audioOutput(track, 'output.wav')];
        },
      },
    ],
  };
}
