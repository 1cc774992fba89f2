import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * No SQL outside repositories, migrations and database/: services hold rules and call
 * repositories, and nothing else in the API sends statements, builds queries or reaches
 * for TypeORM's repositories or the driver.
 */
const SRC = path.resolve(__dirname, '../src');

function sources(dir: string): string[] {
  return readdirSync(path.join(SRC, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = dir ? `${dir}/${entry.name}` : entry.name;
    return entry.isDirectory() ? sources(file) : [file];
  });
}

const CHECKED = sources('').filter((file) => file.endsWith('.ts') && !file.startsWith('database/') && !/\.(repository|entity)\.ts$|\.(int-)?spec\.ts$/.test(file));

/** Statement text in a string or template literal. */
const SQL_TEXT = /\b(SELECT\s[\s\S]*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|WITH\s+\w+\s+AS\s*\()\b/i;
/** TypeORM and driver reach: query builders, repositories, entity managers, raw queries, the pg driver. */
const FORBIDDEN_NAMES = new Set(['createQueryBuilder', 'getRepository', 'InjectRepository', 'Repository', 'EntityManager', 'QueryRunner', 'createQueryRunner']);
/** `x.query(…)` */
const FORBIDDEN_MEMBERS = new Set(['query']);
/** The driver: node-postgres, or TypeORM's driver internals. */
const DRIVER_MODULE = /^pg$|^typeorm\/driver\//;

function violations(file: string): string[] {
  const text = readFileSync(path.join(SRC, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const where = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) && SQL_TEXT.test(node.text)) {
      found.push(`${where(node)} SQL text: ${node.text.slice(0, 60)}`);
    }
    if (ts.isIdentifier(node) && FORBIDDEN_NAMES.has(node.text)) found.push(`${where(node)} ${node.text}`);
    if (ts.isPropertyAccessExpression(node) && FORBIDDEN_MEMBERS.has(node.name.text)) found.push(`${where(node)} .${node.name.text}`);
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && DRIVER_MODULE.test(node.moduleSpecifier.text)) found.push(`${where(node)} imports ${node.moduleSpecifier.text}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('SQL stays in repositories', () => {
  it('checks the files it is meant to', () => {
    expect(CHECKED).toEqual(expect.arrayContaining(['generations/generations.service.ts', 'generations/generation-runner.ts', 'tracks/tracks.service.ts', 'auth/auth.service.ts', 'admin/admin.service.ts', 'webhooks/webhook-outbox.ts']));
    expect(CHECKED.some((file) => file.startsWith('database/') || file.endsWith('.repository.ts'))).toBe(false);
  });

  it.each(CHECKED)('%s has no SQL text, query builder, TypeORM repository or driver access', (file) => {
    expect(violations(file)).toEqual([]);
  });

  it('finds each kind of reach in a file that has it', () => {
    // The check itself: the repository files it skips do all of these.
    expect(violations('generations/generation.repository.ts').some((v) => v.includes('SQL text'))).toBe(true);
    expect(violations('shares/share.repository.ts')).toEqual(expect.arrayContaining([expect.stringContaining('createQueryBuilder'), expect.stringContaining(' Repository')]));
  });
});
