import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { refusedTextFields } from '../common/text-input';
import { isUuid } from '../common/uuid';
import { fieldsError } from '../common/validation';

/**
 * A route's resource read by the statement that authenticates the request, so the
 * route costs one database round trip instead of two (the audio routes: every seek of a
 * player is a request), and none while AuthCache holds both. The resource is joined to the caller's user row: a row of
 * another user, like a missing one, comes back as none, and the route answers 404.
 */
export interface OwnedLookup<T> {
  /** short and unique: keys the statements built from it */
  readonly name: string;
  /** a table with `id uuid` and `user_id uuid` columns */
  readonly table: string;
  readonly columns: readonly string[];
  /** the route parameter holding the resource id */
  readonly param: string;
  fromRow(row: Record<string, unknown>): T;
  /** what the route answers when the caller owns no such resource */
  notFound(): Error;
}

/** A lookup and the id the request names (null when it is not a UUID: nothing is found). */
export interface OwnedTarget {
  lookup: OwnedLookup<unknown>;
  id: string | null;
}

export const OWNED_LOOKUP = 'texttune:ownedLookup';
const TARGET = Symbol('texttune:ownedTarget');
const OWNED = Symbol('texttune:owned');
type WithOwned = Request & { [TARGET]?: OwnedTarget; [OWNED]?: unknown };

/** The route's `lookup.param` resource is read with the authentication; the handler takes it with {@link Owned}. */
export const LoadsOwned = (lookup: OwnedLookup<unknown>) => SetMetadata(OWNED_LOOKUP, lookup);

/**
 * Marks the request as one whose authentication also reads the route's resource (the
 * guard, before authenticating). The id is read here rather than by a pipe, so it meets
 * the text rule (control characters, lone surrogates) here too.
 */
export function markOwnedTarget(req: Request, lookup: OwnedLookup<unknown>): OwnedTarget {
  const id = req.params[lookup.param];
  const refused = refusedTextFields(id, lookup.param);
  if (Object.keys(refused).length) throw fieldsError(refused);
  return ((req as WithOwned)[TARGET] = { lookup, id: typeof id === 'string' && isUuid(id) ? id : null });
}

/** What the authentication should read along with the caller, if anything. */
export const ownedTargetOf = (req: Request): OwnedTarget | undefined => (req as WithOwned)[TARGET];

/** Prefixes the resource's columns apart from the user's in an authenticating row. */
export const OWNED_PREFIX = 'owned.';

/** The resource in an authenticating row, or null when the caller owns none by that id. */
export function ownedFromRow<T>(lookup: OwnedLookup<T>, row: Record<string, unknown>): T | null {
  if (row[`${OWNED_PREFIX}id`] === null) return null;
  const own: Record<string, unknown> = {};
  for (const column of lookup.columns) own[column] = row[`${OWNED_PREFIX}${column}`];
  return lookup.fromRow(own);
}

/** Attaches what the authentication found (null: nothing) to the request, for {@link Owned}. */
export function attachOwned(req: Request, owned: unknown): void {
  (req as WithOwned)[OWNED] = owned;
}

/**
 * The resource the route's {@link LoadsOwned} read with the authentication; the
 * lookup's 404 when the caller owns none by that id.
 */
export const Owned = createParamDecorator((_data: unknown, ctx: ExecutionContext): unknown => {
  const req = ctx.switchToHttp().getRequest<WithOwned>();
  const target = req[TARGET];
  if (!target || !(OWNED in req)) throw new Error(`@Owned() needs @LoadsOwned() on ${ctx.getClass().name}.${ctx.getHandler().name}, and an authenticated request`);
  if (req[OWNED] === null) throw target.lookup.notFound();
  return req[OWNED];
});
