import { defaultRequestBody, sampleFromSchema } from './swagger-ui-sample';

// Expected values are what swagger-ui 5.32 prefills for these schemas (json-schema-5-samples).
describe('sampleFromSchema (Swagger UI prefill rules)', () => {
  const createGeneration = {
    type: 'object',
    required: ['prompt'],
    properties: {
      prompt: { type: 'string', minLength: 1, maxLength: 500, example: 'calm piano' },
      duration: { type: 'number', minimum: 1, example: 10 },
      samplerate: { type: 'number', enum: [16000, 44100], default: 44100 },
      seed: { type: 'number', minimum: 0, maximum: 4294967295 },
      quality: { type: 'string', enum: ['draft', 'standard'], default: 'draft' },
      engine: { type: 'string' },
      reference_id: { type: 'string', format: 'uuid' },
      params: { type: 'object', properties: { topK: { type: 'integer', minimum: 1, maximum: 1000, example: 250 } } },
    },
  };

  it('fills every property: example, else default, else the first enum value, else a typed placeholder', () => {
    expect(sampleFromSchema(createGeneration, { includeWriteOnly: true })).toEqual({
      prompt: 'calm piano',
      duration: 10,
      samplerate: 44100,
      seed: 4294967295, // the maximum wins over the minimum
      quality: 'draft',
      engine: 'string',
      reference_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      params: { topK: 250 },
    });
  });

  it('applies string and array limits, skips readOnly in requests, samples oneOf from its first branch', () => {
    expect(sampleFromSchema({ type: 'string', minLength: 10 })).toBe('stringstri');
    expect(sampleFromSchema({ type: 'string', maxLength: 3 })).toBe('str');
    expect(sampleFromSchema({ type: 'array', items: { type: 'integer', minimum: 2 }, minItems: 2 })).toEqual([2, 2]);
    expect(sampleFromSchema({ type: 'object', properties: { id: { type: 'string', readOnly: true }, on: { type: 'boolean' } } })).toEqual({ on: true });
    expect(sampleFromSchema({ oneOf: [{ type: 'integer', minimum: 3 }, { type: 'string' }] })).toBe(3);
    expect(sampleFromSchema({ type: 'object', additionalProperties: true })).toEqual({ additionalProp1: {} });
    expect(sampleFromSchema({ type: 'object', nullable: true, allOf: [{ type: 'object', properties: { n: { type: 'integer', example: 2 } } }] })).toEqual({ n: 2 });
    expect(() => sampleFromSchema({ type: 'string', pattern: '^a+$' })).toThrow(/example/);
  });

  it('uses the media type example, or the first of its examples, as it is', () => {
    expect(JSON.parse(defaultRequestBody({ schema: createGeneration, example: { prompt: 'x' } }))).toEqual({ prompt: 'x' });
    expect(JSON.parse(defaultRequestBody({ schema: createGeneration, examples: { a: { value: { prompt: 'a' } }, b: { value: { prompt: 'b' } } } }))).toEqual({ prompt: 'a' });
  });
});
