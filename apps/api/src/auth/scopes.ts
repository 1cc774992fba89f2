import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { ApiTokenScope } from '@texttune/contracts';
import { ApiError } from '../common/api-error';
import type { AuthUser } from './auth-user';

export const REQUIRED_SCOPE = 'texttune:requiredScope';
/** The OpenAPI extension naming the scope an operation needs (tokens/openapi.ts describes it). */
export const REQUIRED_SCOPE_EXTENSION = 'x-required-scope';

/**
 * The scope a personal API token needs for this route (on a handler, or on a controller
 * for all its handlers; a handler's overrides its controller's). Every route that is not
 * {@link Public} declares one: the auth guard refuses tokens on a route without one, and
 * a unit test (scopes.spec.ts) fails for it. Sessions are not limited by scopes.
 */
export const RequiresScope = (scope: ApiTokenScope) => applyDecorators(SetMetadata(REQUIRED_SCOPE, scope), ApiExtension(REQUIRED_SCOPE_EXTENSION, scope));

const insufficientScope = (scope: ApiTokenScope) =>
  new ApiError(403, 'insufficient_scope', `This request needs an API token with the "${scope}" scope; create a token with it (POST /v1/tokens) or use a session.`, { required_scope: scope });

/**
 * Refuses a caller whose API token lacks `required` (403 `insufficient_scope`); a route
 * that declares no scope is refused to every token. Sessions pass.
 */
export function checkScope(user: AuthUser, required: ApiTokenScope | undefined): void {
  if (!user.tokenScopes) return;
  if (!required) throw new ApiError(403, 'insufficient_scope', 'API tokens cannot call this route (it declares no scope); use a session.');
  if (!user.tokenScopes.includes(required)) throw insufficientScope(required);
}
