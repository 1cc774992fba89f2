/**
 * The request body Swagger UI prefills for "Try it out", for JSON media types: a port of
 * swagger-ui 5's `getDefaultRequestBodyValue` (oas3/components/request-body.jsx) and
 * `sampleFromSchemaGeneric` (json-schema-5-samples/fn/index.js) without the XML branches.
 * The media type's `examples` (the first one, which Swagger UI selects) or `example` is the
 * override; otherwise every property gets its `example`, else its `default`, else the
 * first `enum` value, else a value made from its type, format and limits.
 * Schemas must be dereferenced (Swagger UI resolves `$ref`s before sampling).
 */
export interface SampleSchema {
  type?: string;
  format?: string;
  example?: unknown;
  default?: unknown;
  enum?: unknown[];
  pattern?: string;
  properties?: Record<string, SampleSchema>;
  required?: string[];
  additionalProperties?: boolean | SampleSchema;
  items?: SampleSchema;
  oneOf?: SampleSchema[];
  anyOf?: SampleSchema[];
  allOf?: SampleSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  readOnly?: boolean;
  writeOnly?: boolean;
  deprecated?: boolean;
  nullable?: boolean;
}

export interface MediaTypeObject {
  schema?: SampleSchema;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}

export interface SampleConfig {
  includeReadOnly?: boolean;
  includeWriteOnly?: boolean;
}

const PRIMITIVES: Record<string, (schema: SampleSchema) => unknown> = {
  string: (schema) => {
    // Swagger UI makes a random string matching the pattern (randexp); an example is what a test can rely on.
    if (schema.pattern) throw new Error(`a string with pattern ${schema.pattern} and no example: Swagger UI would prefill a random match; give it an example`);
    return 'string';
  },
  string_email: () => 'user@example.com',
  'string_date-time': () => new Date().toISOString(),
  string_date: () => new Date().toISOString().substring(0, 10),
  string_time: () => new Date().toISOString().substring(11),
  string_uuid: () => '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  string_hostname: () => 'example.com',
  string_ipv4: () => '198.51.100.42',
  string_ipv6: () => '2001:0db8:5b96:0000:0000:426f:8e17:642a',
  number: () => 0,
  number_float: () => 0.0,
  integer: () => 0,
  boolean: (schema) => (typeof schema.default === 'boolean' ? schema.default : true),
};

function primitive(schema: SampleSchema): unknown {
  const fn = PRIMITIVES[`${schema.type}_${schema.format}`] ?? PRIMITIVES[schema.type ?? ''];
  return fn ? fn(schema) : `Unknown Type: ${schema.type}`;
}

const OBJECT_CONTRACTS = ['maxProperties', 'minProperties'] as const;
const ARRAY_CONTRACTS = ['minItems', 'maxItems'] as const;
const NUMBER_CONTRACTS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const;
const STRING_CONTRACTS = ['minLength', 'maxLength'] as const;

function skipProperty(property: SampleSchema | undefined, config: SampleConfig): boolean {
  return !!property && (!!property.deprecated || (!!property.readOnly && !config.includeReadOnly) || (!!property.writeOnly && !config.includeWriteOnly));
}

/** `mergeJsonSchema`: the first oneOf/anyOf branch folded into its parent (the parent's keywords win). */
function mergeJsonSchema(target: SampleSchema, source: SampleSchema, config: SampleConfig): SampleSchema {
  const merged: SampleSchema = { ...target };
  const keys = ['example', 'default', 'enum', 'type', ...OBJECT_CONTRACTS, ...ARRAY_CONTRACTS, ...NUMBER_CONTRACTS, ...STRING_CONTRACTS] as const;
  const record = merged as Record<string, unknown>;
  for (const key of keys) if (record[key] === undefined && source[key] !== undefined) record[key] = source[key];
  if (Array.isArray(source.required)) {
    merged.required = merged.required?.length ? [...merged.required] : [];
    for (const key of source.required) if (!merged.required.includes(key)) merged.required.push(key);
  }
  if (source.properties) {
    merged.properties = { ...(merged.properties ?? {}) };
    for (const [name, property] of Object.entries(source.properties)) {
      if (skipProperty(property, config)) continue;
      if (!merged.properties[name]) merged.properties[name] = property;
    }
  }
  if (source.items) merged.items = mergeJsonSchema(merged.items ?? {}, source.items, config);
  return merged;
}

/** swagger-client merges `allOf` into its schema while resolving the document, before any sampling. */
function mergeAllOf(schema: SampleSchema): SampleSchema {
  if (!schema.allOf) return schema;
  const { allOf, ...own } = schema;
  const merged: SampleSchema = {};
  for (const part of [...allOf.map(mergeAllOf), own]) {
    Object.assign(merged, part, {
      properties: part.properties || merged.properties ? { ...merged.properties, ...part.properties } : undefined,
      required: part.required || merged.required ? [...new Set([...(merged.required ?? []), ...(part.required ?? [])])] : undefined,
    });
  }
  if (!merged.properties) delete merged.properties;
  if (!merged.required) delete merged.required;
  return merged;
}

export function sampleFromSchema(input: SampleSchema | undefined, config: SampleConfig = {}, exampleOverride?: unknown): unknown {
  let schema = input ? mergeAllOf({ ...input }) : undefined;
  let usePlainValue = exampleOverride !== undefined || schema?.example !== undefined || schema?.default !== undefined;
  const hasOneOf = !usePlainValue && !!schema?.oneOf?.length;
  const hasAnyOf = !usePlainValue && !!schema?.anyOf?.length;
  if (schema && !usePlainValue && (hasOneOf || hasAnyOf)) {
    const branch = (hasOneOf ? schema.oneOf : schema.anyOf)![0];
    schema = mergeJsonSchema(schema, branch, config);
    if (schema.example !== undefined && branch.example !== undefined) usePlainValue = true;
    else if (branch.properties) {
      schema.properties = { ...(schema.properties ?? {}) };
      for (const [name, property] of Object.entries(branch.properties)) {
        if (skipProperty(property, config)) continue;
        if (!schema.properties[name]) schema.properties[name] = property;
      }
    }
  }
  const props = schema?.properties ?? {};
  let type = schema?.type;
  const has = (keys: readonly string[]) => !!schema && keys.some((key) => Object.prototype.hasOwnProperty.call(schema, key));
  if (schema && !type) {
    if (schema.properties || schema.additionalProperties || has(OBJECT_CONTRACTS)) type = 'object';
    else if (schema.items || has(ARRAY_CONTRACTS)) type = 'array';
    else if (has(NUMBER_CONTRACTS)) type = schema.type = 'number';
    else if (!usePlainValue && !schema.enum) type = schema.type = 'string';
  }

  const handleMinMaxItems = (items: unknown[]): unknown[] => {
    let result = items;
    if (schema?.maxItems !== undefined && schema.maxItems !== null) result = result.slice(0, schema.maxItems);
    if (schema?.minItems !== undefined && schema.minItems !== null) {
      let i = 0;
      while (result.length < schema.minItems) result.push(result[i++ % result.length]);
    }
    return result;
  };

  const result: Record<string, unknown> = {};
  let added = 0;
  const exceededMax = () => schema?.maxProperties !== undefined && schema.maxProperties !== null && added >= schema.maxProperties;
  const requiredLeft = () => (schema?.required ? schema.required.length - schema.required.filter((key) => result[key] !== undefined).length : 0);
  const canAdd = (name: string) => {
    if (!schema || schema.maxProperties === undefined || schema.maxProperties === null) return true;
    if (exceededMax()) return false;
    if (schema.required?.includes(name)) return true;
    return schema.maxProperties - added - requiredLeft() > 0;
  };
  const addProperty = (name: string, override?: unknown) => {
    if (!canAdd(name)) return;
    result[name] = sampleFromSchema(props[name], config, override);
    added++;
  };

  if (usePlainValue) {
    // For JSON the example (or default) is used as it is; only the XML sampler walks into it.
    const sample = exampleOverride !== undefined ? exampleOverride : schema?.example !== undefined ? schema.example : schema?.default;
    if (typeof sample === 'number' && type === 'string') return `${sample}`;
    if (typeof sample !== 'string' || type === 'string') return sample;
    try {
      return JSON.parse(sample) as unknown;
    } catch {
      return sample;
    }
  }

  if (type === 'object') {
    for (const name of Object.keys(props)) {
      if (skipProperty(props[name], config)) continue;
      addProperty(name);
    }
    if (exceededMax()) return result;
    const extra = schema?.additionalProperties;
    if (extra === true) {
      result.additionalProp1 = {};
    } else if (extra) {
      const extraSample = sampleFromSchema(extra, config);
      const count = schema?.minProperties !== undefined && schema.minProperties !== null && added < schema.minProperties ? schema.minProperties - added : 3;
      for (let i = 1; i <= count; i++) {
        if (exceededMax()) return result;
        result[`additionalProp${i}`] = extraSample;
        added++;
      }
    }
    return result;
  }

  if (type === 'array') {
    const items = schema?.items;
    if (!items) return undefined;
    const branches = items.anyOf ?? items.oneOf;
    const list = branches ? branches.map((branch) => sampleFromSchema(mergeJsonSchema(branch, items, config), config)) : [sampleFromSchema(items, config)];
    return handleMinMaxItems(list);
  }

  if (!schema) return undefined;
  let value: unknown;
  if (Array.isArray(schema.enum)) value = schema.enum[0];
  else {
    value = primitive(schema);
    if (typeof value === 'number') {
      if (schema.minimum !== undefined && schema.minimum !== null) value = schema.exclusiveMinimum ? schema.minimum + 1 : schema.minimum;
      if (schema.maximum !== undefined && schema.maximum !== null) value = schema.exclusiveMaximum ? schema.maximum - 1 : schema.maximum;
    }
    if (typeof value === 'string') {
      if (schema.maxLength !== undefined && schema.maxLength !== null) value = value.slice(0, schema.maxLength);
      if (schema.minLength !== undefined && schema.minLength !== null) {
        let text = value as string;
        let i = 0;
        while (text.length < schema.minLength) text += text[i++ % text.length];
        value = text;
      }
    }
  }
  if (type === 'file') return undefined;
  return value;
}

/** `getDefaultRequestBodyValue` for a JSON media type: the text Swagger UI puts in the body editor. */
export function defaultRequestBody(mediaType: MediaTypeObject): string {
  const firstExampleKey = mediaType.examples ? Object.keys(mediaType.examples)[0] : undefined;
  const override = mediaType.examples !== undefined ? (firstExampleKey === undefined ? undefined : mediaType.examples[firstExampleKey]?.value) : mediaType.example;
  const sample = sampleFromSchema(mediaType.schema ?? {}, { includeWriteOnly: true }, override);
  // getJsonSampleSchema stringifies objects and, for JSON media types, strings; numbers and booleans are written as they are.
  if (typeof sample === 'object' || typeof sample === 'string') return JSON.stringify(sample, null, 2);
  return typeof sample === 'number' || typeof sample === 'boolean' ? String(sample) : 'undefined';
}
