import type { OpenAPIObject } from '@nestjs/swagger';
import { API_TOKEN_PREFIX } from '@texttune/contracts';
import { REQUIRED_SCOPE_EXTENSION } from '../auth/scopes';
import { API_TOKEN_SCHEME } from '../common/openapi';

interface Operation {
  description?: string;
  security?: Record<string, string[]>[];
  responses?: Record<string, unknown>;
  [REQUIRED_SCOPE_EXTENSION]?: string;
}

/**
 * Declares personal API tokens in the OpenAPI document: their own security scheme, and
 * accepted wherever a bearer session token is (so Swagger UI's Authorize works with either).
 * Each operation's scope (`x-required-scope`, from {@link RequiresScope}) is also said in
 * its description, with the 403 `insufficient_scope` a token without it gets. (OpenAPI 3.0
 * allows scope lists only for OAuth schemes, so the security requirement stays `[]`.)
 */
export function addApiTokenSecurity(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.securitySchemes ??= {};
  document.components.securitySchemes[API_TOKEN_SCHEME] = {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: `${API_TOKEN_PREFIX}…`,
    description: `A personal API token from \`POST /v1/tokens\` (starts with \`${API_TOKEN_PREFIX}\`), sent as \`Authorization: Bearer <token>\`. Acts with its owner's permissions, limited to its scopes (\`read\`, \`generate\`, \`manage\`, \`admin\`): each operation names the one it needs in \`x-required-scope\`, and a token without it gets 403 \`insufficient_scope\`. Revoked or expired tokens get 401 at once.`,
  };
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item)) {
      const security = (operation as Operation | undefined)?.security;
      if (!Array.isArray(security) || !security.some((requirement) => 'bearer' in requirement)) continue;
      if (!security.some((requirement) => API_TOKEN_SCHEME in requirement)) security.push({ [API_TOKEN_SCHEME]: [] });
      describeScope(operation as Operation);
    }
  }
  return document;
}

function describeScope(operation: Operation): void {
  const scope = operation[REQUIRED_SCOPE_EXTENSION];
  if (!scope) return;
  const sentence = `API tokens need the \`${scope}\` scope (else 403 \`insufficient_scope\`).`;
  operation.description = operation.description ? `${operation.description}\n\n${sentence}` : sentence;
  operation.responses ??= {};
  operation.responses['403'] ??= { description: 'Signed in, but not allowed: an API token without this operation\u2019s scope gets `insufficient_scope` (`details.required_scope`).', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } } };
}
