import { Controller, Delete, Get, Module, Post, RequestMethod, type DynamicModule, type ForwardReference, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { API_TOKEN_SCOPES, type ApiTokenScope } from '@texttune/contracts';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';
import { IS_PUBLIC, Public, type AuthUser } from './auth-user';
import { checkScope, REQUIRED_SCOPE, RequiresScope } from './scopes';

type Importable = Type<unknown> | DynamicModule | ForwardReference | Promise<DynamicModule>;

interface Route {
  /** e.g. `GET /admin/users/:id` (without the version) */
  route: string;
  method: string;
  path: string;
  /** null: public; undefined: declares no scope */
  scope: ApiTokenScope | null | undefined;
}

/** Every controller reachable from a module, read from Nest's module metadata (nothing is instantiated or connected). */
async function controllersOf(root: Importable, seen = new Set<unknown>()): Promise<Type<unknown>[]> {
  const found: Type<unknown>[] = [];
  let item = await root;
  if ('forwardRef' in item) item = item.forwardRef() as Type<unknown>;
  const dynamic = 'module' in item ? item : undefined;
  const moduleClass = dynamic ? dynamic.module : (item as Type<unknown>);
  const key = dynamic ?? moduleClass;
  if (seen.has(key)) return found;
  seen.add(key);
  const controllers = [...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, moduleClass) as Type<unknown>[] | undefined) ?? []), ...(dynamic?.controllers ?? [])];
  const imports = [...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, moduleClass) as Importable[] | undefined) ?? []), ...((dynamic?.imports as Importable[] | undefined) ?? [])];
  found.push(...controllers);
  for (const imported of imports) if (imported) found.push(...(await controllersOf(imported, seen)));
  return [...new Set(found)];
}

const join = (...parts: unknown[]) => `/${parts.flatMap((part) => (Array.isArray(part) ? part[0] : part) ?? []).map((part) => String(part).replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;

/** Each route of the controllers, with the scope it declares (on the handler or its controller). */
function routesOf(controllers: Type<unknown>[]): Route[] {
  const routes: Route[] = [];
  for (const controller of controllers) {
    const prefix = (Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined) ?? '';
    let proto: object | null = controller.prototype as object;
    const names = new Set<string>();
    for (; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
    for (const name of names) {
      if (name === 'constructor') continue;
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (typeof handler !== 'function' || !Reflect.hasMetadata(METHOD_METADATA, handler)) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const path = join(prefix, Reflect.getMetadata(PATH_METADATA, handler));
      const isPublic = Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller);
      const scope = isPublic ? null : ((Reflect.getMetadata(REQUIRED_SCOPE, handler) ?? Reflect.getMetadata(REQUIRED_SCOPE, controller)) as ApiTokenScope | undefined);
      routes.push({ route: `${method} ${path}`, method, path, scope });
    }
  }
  return routes.sort((a, b) => a.route.localeCompare(b.route));
}

let appRouteList: Promise<Route[]> | undefined;
/** The application's routes: its module graph as `npm start` builds it (built once; nothing connects). */
const appRoutes = () => (appRouteList ??= controllersOf(AppModule.forRoot({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), databaseUrl: 'postgres://unused@127.0.0.1:1/unused' })).then(routesOf));

describe('route scopes', () => {
  it('finds the routes of a module and the ones declaring no scope (what the next test relies on)', async () => {
    @Controller({ path: 'things', version: '1' })
    @RequiresScope('read')
    class ThingsController {
      @Get() list() {}
      @Delete(':id') @RequiresScope('manage') remove() {}
    }
    @Controller({ path: 'loose', version: '1' })
    class LooseController {
      @Post() forgotten() {}
      @Get('open') @Public() open() {}
    }
    @Module({ controllers: [LooseController] })
    class LooseModule {}
    @Module({ imports: [LooseModule], controllers: [ThingsController] })
    class RootModule {}
    expect(routesOf(await controllersOf(RootModule)).map(({ route, scope }) => [route, scope])).toEqual([
      ['DELETE /things/:id', 'manage'],
      ['GET /loose/open', null],
      ['GET /things', 'read'],
      ['POST /loose', undefined],
    ]);
  });

  it('every authenticated route of the application declares a scope (@RequiresScope)', async () => {
    const routes = await appRoutes();
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.filter((r) => r.scope === undefined).map((r) => r.route)).toEqual([]);
    for (const r of routes) if (r.scope) expect(API_TOKEN_SCOPES).toContain(r.scope);
  });

  it('the scopes follow their definitions', async () => {
    const routes = await appRoutes();
    const scoped = (predicate: (r: Route) => boolean) => routes.filter((r) => r.scope !== null && predicate(r));
    const wrong = (routesToCheck: Route[], expected: ApiTokenScope) => routesToCheck.filter((r) => r.scope !== expected).map((r) => `${r.route}: ${r.scope}`);
    // the admin API is admin; tokens and webhooks are managed
    expect(wrong(scoped((r) => r.path.startsWith('/admin')), 'admin')).toEqual([]);
    expect(wrong(scoped((r) => /^\/(tokens|webhooks)(\/|$)/.test(r.path)), 'manage')).toEqual([]);
    // share links are capabilities: listing them is managing them
    expect(wrong(scoped((r) => /\/shares?(\/|$)/.test(r.path)), 'manage')).toEqual([]);
    // nothing but reading is `read` (signing out changes nothing for a token)
    expect(scoped((r) => r.scope === 'read' && r.method !== 'GET' && r.route !== 'POST /auth/logout').map((r) => r.route)).toEqual([]);
    // every delete and rename is `manage`, except the admin API's
    expect(wrong(scoped((r) => (r.method === 'DELETE' || r.method === 'PATCH') && !r.path.startsWith('/admin')), 'manage')).toEqual([]);
    // jobs are made by `generate`
    expect(Object.fromEntries(scoped((r) => ['POST /generations', 'POST /generations/:id/cancel', 'POST /tracks/:id/regenerate', 'POST /references'].includes(r.route)).map((r) => [r.route, r.scope]))).toEqual({
      'POST /generations': 'generate',
      'POST /generations/:id/cancel': 'generate',
      'POST /tracks/:id/regenerate': 'generate',
      'POST /references': 'generate',
    });
  });
});

describe('checkScope', () => {
  const caller = (tokenScopes: ApiTokenScope[] | null) => ({ tokenScopes }) as AuthUser;

  it('lets sessions through whatever the route needs, and tokens holding the scope', () => {
    expect(() => checkScope(caller(null), 'admin')).not.toThrow();
    expect(() => checkScope(caller(null), undefined)).not.toThrow();
    expect(() => checkScope(caller(['read', 'manage']), 'manage')).not.toThrow();
  });

  it('refuses a token without the scope, naming it, and every token on a route declaring none', () => {
    expect(() => checkScope(caller(['read']), 'generate')).toThrow(expect.objectContaining({ status: 403, code: 'insufficient_scope', details: { required_scope: 'generate' } }));
    expect(() => checkScope(caller(['read', 'generate', 'manage', 'admin']), undefined)).toThrow(expect.objectContaining({ status: 403, code: 'insufficient_scope' }));
  });
});
