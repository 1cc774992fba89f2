import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { ApiError } from './api-error';
import { refusedTextFields } from './text-input';

function collect(errors: ValidationError[], prefix: string, out: Record<string, string[]>): void {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      const sentences = Object.entries(error.constraints).map(([rule, text]) => (rule === 'whitelistValidation' ? `${path} is not a known field` : text));
      out[path] = [...(out[path] ?? []), ...sentences];
    }
    if (error.children?.length) collect(error.children, path, out);
  }
}

/** One 400 `validation_failed` from per-field sentences (field path -> sentences). */
export function fieldsError(fields: Record<string, string[]>): ApiError {
  const summary = Object.values(fields).flat().slice(0, 3).join('; ');
  return new ApiError(400, 'validation_failed', `The request is invalid: ${summary}.`, { fields });
}

/** Turns class-validator errors into one 400 `validation_failed` with per-field sentences. */
export function validationError(errors: ValidationError[]): ApiError {
  const fields: Record<string, string[]> = {};
  collect(errors, '', fields);
  return fieldsError(fields);
}

/** Field-path errors in class-validator's shape, so they join its own in one response. */
const asValidationErrors = (fields: Record<string, string[]>): ValidationError[] =>
  Object.entries(fields).map(([property, sentences]) => ({ property, constraints: Object.fromEntries(sentences.map((text, i) => [`textRule${i}`, text])), children: [] }));

/**
 * Nest's validation pipe plus the text rule ({@link refusedTextFields}: no control
 * characters, no lone surrogates) on every body, query and path parameter: checked on the
 * DTO instance (where a class may allow line breaks in a field) next to its own rules, or
 * on the raw value when the argument has no DTO (`@Param('id') id: string`).
 */
class TextTuneValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom' && !(metadata.metatype && this.toValidate(metadata))) {
      // A named argument is its own field (`id`); a whole query's fields are named as in a DTO (`q`).
      const fields = refusedTextFields(value, metadata.data || (typeof value === 'object' ? '' : metadata.type));
      if (Object.keys(fields).length) throw fieldsError(fields);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }

  protected override async validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    const refused = asValidationErrors(refusedTextFields(object, ''));
    let errors: ValidationError[];
    try {
      errors = await super.validate(object, validatorOptions);
    } catch (error) {
      // Some validators throw on text that is not Unicode (validator.js's isEmail on a lone
      // surrogate): the text rule has refused such a value already, and its answer stands.
      if (refused.length) return refused;
      throw error;
    }
    return [...errors, ...refused];
  }
}

/** Unknown fields are rejected, payloads are transformed to their DTO classes, text breaking the text rule is refused. */
export function createValidationPipe(): ValidationPipe {
  return new TextTuneValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: validationError,
  });
}
