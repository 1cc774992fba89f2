import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../../..');

interface Case {
  file: string;
  code: string;
}

/**
 * Lints each case's code with the repository's eslint.config.mjs as if it were the file at
 * `file` (relative to the root), in one ESLint process; returns the import-restriction
 * messages of each, or the parser's fatal message (a case that was never linted must fail).
 */
async function lint(cases: Case[]): Promise<string[][]> {
  const script = `
    const { ESLint } = require('eslint');
    const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    // The cases are not files on disk, so the type-checked rules (which need a TypeScript
    // program holding the file) are off for them; the import rules do not use types.
    const eslint = new ESLint({ overrideConfig: require('typescript-eslint').configs.disableTypeChecked });
    Promise.all(cases.map(async ({ file, code }) => (await eslint.lintText(code, { filePath: file }))[0].messages
      .filter((m) => m.fatal || m.ruleId === 'no-restricted-imports').map((m) => m.message)))
      .then((out) => process.stdout.write(JSON.stringify(out)));`;
  const run = promisify(execFile)(process.execPath, ['-e', script], { cwd: ROOT });
  run.child.stdin!.end(JSON.stringify(cases));
  return JSON.parse((await run).stdout) as string[][];
}

/** The import, and a use of what it imports (so no other rule has anything to say). */
const source = (importLine: string) => `${importLine}\nexport const used = [${/\{ (\w+) \}/.exec(importLine)![1]}];\n`;

const BACKWARDS: [string, string, string, RegExp][] = [
  ['a lower layer importing a higher one', 'apps/api/src/users/fixture.ts', "import { GenerationsService } from '../generations/generations.service';", /users\/ is below .*generations/],
  ['a folder importing another of its own layer', 'apps/api/src/shares/fixture.ts', "import { GenerationEvents } from '../generations/generation-events';", /shares\/ is below .*generations/],
  ['a nested file reaching up', 'apps/api/src/engines/gradio/fixture.ts', "import type { GenerationEntity } from '../../generations/generation.entity';", /engines\/ is below/],
  ['a type-only import from a feature into database/', 'apps/api/src/database/fixture.ts', "import type { TrackEntity } from '../tracks/track.entity';", /database\/ is below .*tracks/],
  ['a service importing a controller', 'apps/api/src/playlists/fixture.ts', "import { AudioSender } from '../library/stream.controller';", /Controllers are the top layer/],
  ['a feature importing the root module', 'apps/api/src/generations/fixture.ts', "import { AppModule } from '../app.module';", /Only entry points/],
];
const ALLOWED: [string, string, string][] = [
  ['a higher layer importing a lower one', 'apps/api/src/generations/fixture.ts', "import { UsersService } from '../users/users.service';"],
  ['a controller importing any feature', 'apps/api/src/tracks/fixture.controller.ts', "import { PlaylistsService } from '../playlists/playlists.service';"],
  ['an entry point importing everything', 'apps/api/src/fixture.ts', "import { ApiModule } from './api.module';"],
];

describe('the layer order of apps/api/src (no-restricted-imports in eslint.config.mjs)', () => {
  let backwards: string[][];
  let allowed: string[][];

  beforeAll(async () => {
    const results = await lint([...BACKWARDS, ...ALLOWED].map(([, file, code]) => ({ file, code: source(code) })));
    backwards = results.slice(0, BACKWARDS.length);
    allowed = results.slice(BACKWARDS.length);
  }, 120_000);

  it.each(BACKWARDS.map((c, i) => [c[0], i, c[3]] as const))('fails on %s', (_what, index, message) => {
    expect(backwards[index]).toEqual([expect.stringMatching(message)]);
  });

  it.each(ALLOWED.map((c, i) => [c[0], i] as const))('accepts %s', (_what, index) => {
    expect(allowed[index]).toEqual([]);
  });
});
