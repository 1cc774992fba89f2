/**
 * Modelled on audiocraft's `demos/musicgen_app.py` (the facebook/MusicGen Space, "full"
 * UI): `submit.click(toggle_diffusion, decoder, [diffusion_output, audio_diffusion],
 * queue=False).then(predict_full, inputs=[model, model_path, decoder, text, melody,
 * duration, topk, topp, temperature, cfg_coef], outputs=[output, audio_output,
 * diffusion_output, audio_diffusion])`. So `toggle_diffusion` is fn_index 0 (not queued)
 * and `predict_full` is fn_index 1: picking the endpoint by name matters.
 */
import { renderTrack } from '../wav-render';
import { GradioError, num, str, update, type AppDef } from './app';
import { audio, button, markdown, number, radio, slider, textbox, video } from './components';

export const MUSICGEN_MODELS = ['facebook/musicgen-melody', 'facebook/musicgen-medium', 'facebook/musicgen-small', 'facebook/musicgen-large'];
/** MusicGen's EnCodec runs at 50 frames a second: progress counts generated tokens. */
const TOKENS_PER_SECOND = 50;

export function musicgenApp(): AppDef {
  const components = [
    markdown(1, '# MusicGen\nThis is your private demo for MusicGen, a simple and controllable model for music generation.'),
    textbox(2, 'Input Text'),
    audio(3, 'File', { type: 'filepath' }),
    button(4, 'Submit'),
    radio(5, 'Model', MUSICGEN_MODELS, 'facebook/musicgen-melody'),
    textbox(6, 'Model Path (custom models)'),
    radio(7, 'Decoder', ['Default', 'MultiBand_Diffusion'], 'Default'),
    slider(8, 'Duration', 1, 120, 10),
    number(9, 'Top-k', 250),
    number(10, 'Top-p', 0),
    number(11, 'Temperature', 1.0),
    number(12, 'Classifier Free Guidance', 3.0),
    video(13, 'Generated Music (video)'),
    audio(14, 'Generated Music (wav)', { type: 'filepath', interactive: false }),
    video(15, 'MultiBand Diffusion Decoder'),
    audio(16, 'MultiBand Diffusion Decoder (wav)', { type: 'filepath', interactive: false }),
  ];
  return {
    name: 'musicgen',
    title: 'MusicGen',
    components,
    layout: { id: 0, children: components.map((c) => ({ id: c.id })) },
    endpoints: [
      {
        id: 0,
        apiName: 'toggle_diffusion',
        fnName: 'toggle_diffusion',
        targets: [[4, 'click']],
        triggerAfter: null,
        inputs: [7],
        outputs: [15, 16],
        queue: false,
        batch: false,
        maxBatchSize: 4,
        parameterNames: ['choice'],
        run: async (ctx) => {
          const visible = ctx.inputs[0] === 'MultiBand_Diffusion';
          return [update({ visible }), update({ visible })];
        },
      },
      {
        id: 1,
        apiName: 'predict_full',
        fnName: 'predict_full',
        targets: [],
        triggerAfter: 0,
        inputs: [5, 6, 7, 2, 3, 8, 9, 10, 11, 12],
        outputs: [13, 14, 15, 16],
        queue: true,
        batch: false,
        maxBatchSize: 4,
        parameterNames: ['model', 'model_path', 'decoder', 'text', 'melody', 'duration', 'topk', 'topp', 'temperature', 'cfg_coef'],
        run: async (ctx) => {
          const [model, modelPath, decoder, text, melody, duration, topk, topp, temperature, cfg] = ctx.inputs;
          // the same checks predict_full makes before loading the model
          if (num(temperature, 1) < 0) throw new GradioError('Temperature must be >= 0.');
          if (num(topk, 250) < 0) throw new GradioError('Topk must be non-negative.');
          if (num(topp, 0) < 0) throw new GradioError('Topp must be non-negative.');
          const melodyFile = ctx.inputFile(melody);
          const seconds = num(duration, 10);
          const length = Math.round(seconds * TOKENS_PER_SECOND);
          const steps = 4;
          for (let k = 1; k <= steps; k++) await ctx.progress(Math.round((k / steps) * length), length);
          const seed = [str(modelPath) || str(model), Math.trunc(num(topk, 250)), num(topp, 0), num(temperature, 1), num(cfg, 3), melodyFile?.sha256 ?? ''].join('|');
          const track = renderTrack({ prompt: str(text), seed, durationSeconds: seconds, sampleRate: 32000, channels: 1 });
          const outputs = [ctx.videoOutput(track, 'tmp_video.mp4'), ctx.audioOutput(track, 'tmp_audio.wav'), null, null];
          if (decoder === 'MultiBand_Diffusion') {
            const mbd = renderTrack({ prompt: str(text), seed: `${seed}|mbd`, durationSeconds: seconds, sampleRate: 32000, channels: 1 });
            outputs[2] = ctx.videoOutput(mbd, 'tmp_diffusion.mp4');
            outputs[3] = ctx.audioOutput(mbd, 'tmp_diffusion.wav');
          }
          return outputs;
        },
      },
    ],
  };
}
