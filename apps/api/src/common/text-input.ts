/**
 * The one rule for text a client sends (JSON bodies, query strings, path parameters):
 * no C0 control characters and no DEL, and well-formed Unicode. NUL in particular never
 * reaches Postgres, which refuses it in text ("invalid byte sequence for encoding UTF8:
 * 0x00"); a lone surrogate (`"\ud800"` in JSON) has no UTF-8 form and makes validators
 * throw. A field that takes several lines (a prompt) opts in to tab, line feed and
 * carriage return with {@link AllowsLineBreaks}; ids, names, emails and queries take none.
 */

// Matching control characters is the point of these two.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/u;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/u;

/** Half of a surrogate pair without the other half. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const LINE_BREAKS = Symbol('texttune:allowsLineBreaks');

/** The property may hold tab, line feed and carriage return (other control characters stay refused). */
export const AllowsLineBreaks = (): PropertyDecorator => (target, key) => Reflect.defineMetadata(LINE_BREAKS, true, target, key);

const allowsLineBreaks = (owner: object, key: string): boolean => Reflect.getMetadata(LINE_BREAKS, owner, key) === true;

/** The sentence for a value the rule refuses, or null. */
function refusal(text: string, path: string, lineBreaks: boolean): string | null {
  if (LONE_SURROGATE.test(text)) return `${path} must be valid Unicode text (it holds half of a surrogate pair)`;
  if ((lineBreaks ? CONTROL_BUT_LINE_BREAKS : CONTROL).test(text)) return `${path} must not contain control characters${lineBreaks ? ' other than tab and line breaks' : ''}`;
  return null;
}

const isBinary = (value: object): boolean => ArrayBuffer.isView(value) || value instanceof ArrayBuffer;

/**
 * The fields of `value` (a request body, query or parameter, as parsed) holding text the
 * rule refuses, as `validation_failed` details: field path -> sentences. `path` names
 * `value` itself; the paths inside follow class-validator's (`params.topK`, `trackIds.0`).
 * Line breaks are allowed where the object's class says so. Recursion is bounded by the
 * body parser's depth limit and the flat query and path parameters.
 */
export function refusedTextFields(value: unknown, path: string, lineBreaks = false, out: Record<string, string[]> = {}): Record<string, string[]> {
  if (typeof value === 'string') {
    const sentence = refusal(value, path, lineBreaks);
    if (sentence) (out[path] ??= []).push(sentence);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => refusedTextFields(item, path ? `${path}.${index}` : String(index), lineBreaks, out));
  } else if (typeof value === 'object' && value !== null && !isBinary(value) && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      if (refusal(key, 'a field name', false)) {
        const owner = path || 'request';
        (out[owner] ??= []).push(`${owner} must not have field names with control characters or lone surrogates`);
        continue;
      }
      refusedTextFields(item, path ? `${path}.${key}` : key, allowsLineBreaks(value, key), out);
    }
  }
  return out;
}
