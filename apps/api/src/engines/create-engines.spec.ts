import { loadConfig } from '../config/app-config';
import { createEngines } from './create-engines';
import { EngineRegistry } from './engine-registry';
import { EnglishPromptEngine } from './english-prompt-engine';
import { GradioEngine } from './gradio';

describe('createEngines', () => {
  it('is the offline engine alone without HF_SPACE_ID', () => {
    expect(createEngines(loadConfig({})).map((e) => e.id)).toEqual(['offline']);
  });

  it('puts the Gradio engine first when HF_SPACE_ID is set, with the offline engine as fallback only if asked', () => {
    const engines = createEngines(loadConfig({ HF_SPACE_ID: 'http://127.0.0.1:9/', HF_API_TOKEN: 'hf_x', ENGINE_FALLBACK: 'local', GENERATION_TIMEOUT_SECONDS: '42', MAX_AUDIO_BYTES: '5000000' }));
    expect(engines.map((e) => e.id)).toEqual(['gradio', 'offline']);
    // The Gradio engine is English-only (PROMPT_ENGLISH_ENGINES defaults to it): wrapped by the translator.
    expect(engines[0]).toBeInstanceOf(EnglishPromptEngine);
    const gradio = (engines[0] as EnglishPromptEngine).inner;
    expect(gradio).toBeInstanceOf(GradioEngine);
    const options = (gradio as unknown as { options: Record<string, unknown> }).options;
    expect(options).toMatchObject({ space: 'http://127.0.0.1:9/', token: 'hf_x', timeoutSeconds: 42, maxAudioBytes: 5_000_000 });
    expect(options.fallback).toBe(engines[1]);
    expect(((createEngines(loadConfig({ HF_SPACE_ID: 'acme/music' }))[0] as EnglishPromptEngine).inner as unknown as { options: { fallback?: unknown } }).options.fallback).toBeUndefined();
    expect(createEngines(loadConfig({ HF_SPACE_ID: 'acme/music', PROMPT_ENGLISH_ENGINES: '' }))[0]).toBeInstanceOf(GradioEngine);
    expect(createEngines(loadConfig({ PROMPT_ENGLISH_ENGINES: 'offline' }))[0]).toBeInstanceOf(EnglishPromptEngine);
  });

  it('closes the engines when the application shuts down', async () => {
    const config = loadConfig({ HF_SPACE_ID: 'acme/music' });
    const engines = createEngines(config);
    const close = jest.spyOn((engines[0] as EnglishPromptEngine).inner as GradioEngine, 'close');
    await new EngineRegistry(engines, config).onApplicationShutdown();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it("gives the Gradio engine the token policy and Hugging Face's address, and users' own tokens (also behind the translator)", () => {
    const key = Buffer.alloc(32, 7).toString('hex');
    const [wrapped] = createEngines(loadConfig({ HF_SPACE_ID: 'acme/music', HF_API_TOKEN: 'hf_x', HF_TOKEN_POLICY: 'user-only', SECRETS_KEY: key, HF_HUB_URL: 'http://hub.local:9/' }));
    const gradio = (wrapped as EnglishPromptEngine).inner as GradioEngine;
    expect((gradio as unknown as { options: Record<string, unknown> }).options).toMatchObject({ tokenPolicy: 'user-only', hubUrl: 'http://hub.local:9' });
    const source = { tokenFor: jest.fn(async () => null) };
    const bare = createEngines(loadConfig({ HF_SPACE_ID: 'acme/music', PROMPT_ENGLISH_ENGINES: '' }));
    for (const engine of [wrapped, ...bare]) engine.useUserTokens?.(source);
    expect((gradio as unknown as { userTokens: unknown }).userTokens).toBe(source);
    expect((bare[0] as unknown as { userTokens: unknown }).userTokens).toBe(source);
  });

  it('validates the new variables', () => {
    expect(loadConfig({ HF_SPACE_INPUTS: '{"Steps": 50, "Seed": {"from": "seed"}}' }).spaceEngine.inputs).toEqual({ Steps: 50, Seed: { from: 'seed' } });
    expect(() => loadConfig({ HF_SPACE_INPUTS: '[1]' })).toThrow(/HF_SPACE_INPUTS: must be a JSON object/);
    expect(() => loadConfig({ HF_SPACE_INPUTS: '{nope' })).toThrow(/HF_SPACE_INPUTS/);
    expect(() => loadConfig({ ENGINE_FALLBACK: 'cloud' })).toThrow(/ENGINE_FALLBACK/);
    expect(loadConfig({}).spaceEngine).toEqual({ apiName: undefined, model: undefined, inputs: undefined, fallback: 'none', maxAudioBytes: 200 * 1024 * 1024 });
  });
});
