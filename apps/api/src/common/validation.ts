import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiError } from './api-error';

function collect(errors: ValidationError[], prefix: string, out: Record<string, string[]>): void {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      out[path] = Object.entries(error.constraints).map(([rule, text]) => (rule === 'whitelistValidation' ? `${path} is not a known field` : text));
    }
    if (error.children?.length) collect(error.children, path, out);
  }
}

/** Turns class-validator errors into one 400 `validation_failed` with per-field sentences. */
export function validationError(errors: ValidationError[]): ApiError {
  const fields: Record<string, string[]> = {};
  collect(errors, '', fields);
  const summary = Object.values(fields).flat().slice(0, 3).join('; ');
  return new ApiError(400, 'validation_failed', `The request is invalid: ${summary}.`, { fields });
}

/** Unknown fields are rejected, payloads are transformed to their DTO classes. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: validationError,
  });
}
