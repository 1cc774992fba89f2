import type { OpenAPIObject } from '@nestjs/swagger';
import { API_TOKEN_PREFIX } from '@texttune/contracts';

/** Name of the personal API token security scheme in the OpenAPI document. */
export const API_TOKEN_SCHEME = 'api-token';

/**
 * Declares personal API tokens in the OpenAPI document: their own security scheme, and
 * accepted wherever a bearer session token is (so Swagger UI's Authorize works with either).
 */
export function addApiTokenSecurity(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.securitySchemes ??= {};
  document.components.securitySchemes[API_TOKEN_SCHEME] = {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: `${API_TOKEN_PREFIX}…`,
    description: `A personal API token from \`POST /v1/tokens\` (starts with \`${API_TOKEN_PREFIX}\`), sent as \`Authorization: Bearer <token>\`. Acts with its owner's permissions; revoked or expired tokens get 401 at once.`,
  };
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item)) {
      const security = (operation as { security?: Record<string, string[]>[] } | undefined)?.security;
      if (!Array.isArray(security) || !security.some((requirement) => 'bearer' in requirement)) continue;
      if (!security.some((requirement) => API_TOKEN_SCHEME in requirement)) security.push({ [API_TOKEN_SCHEME]: [] });
    }
  }
  return document;
}
