import { AUDIT_ACTIONS, GENERATION_STATUSES, HF_TOKEN_POLICIES, QUALITIES, USER_ROLES, WEBHOOK_DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from '@texttune/contracts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CHIP_GROUPS } from '../core/examples';
import { REPEAT_MODES } from '../core/player';
import { ADMIN_TABS } from '../pages/admin/admin';
import { PROMPT_TRANSLATION_METHODS, SHARE_CHOICES } from '../pages/track/track';
import { en } from './en';
import { ko } from './ko';

function flatten(value: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof child === 'string') out[full] = child;
    else Object.assign(out, flatten(child, full));
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(html|ts)$/.test(name) && !name.endsWith('.spec.ts') ? [full] : [];
  });
}

const EXTRA = /^(errorCodes|generationErrors|oidcErrors)\./;
const enKeys = flatten(en);
const koKeys = flatten(ko);

describe('translations', () => {
  it('Korean has every English key, and no stray ones', () => {
    expect(Object.keys(koKeys).filter((k) => !EXTRA.test(k)).sort()).toEqual(Object.keys(enKeys).sort());
  });

  it('keeps the same {{ parameters }} in both languages', () => {
    const params = (text: string) => [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(enKeys)) expect([key, params(koKeys[key])]).toEqual([key, params(enKeys[key])]);
  });

  it('has every key the templates and components use', () => {
    const used = new Set<string>();
    for (const file of sources(path.join(__dirname, '..'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/'([a-z][A-Za-z]+(?:\.[A-Za-z0-9]+)+)'\s*(?:\||\))/g)) used.add(m[1]);
      for (const m of text.matchAll(/translate\('([a-zA-Z.]+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/title: '([a-zA-Z.]+)'/g)) used.add(m[1]);
    }
    for (const status of GENERATION_STATUSES) used.add(`generate.status.${status}`).add(`admin.status.${status}`);
    for (const quality of QUALITIES) used.add(`generate.qualities.${quality}`);
    for (const group of CHIP_GROUPS) used.add(`generate.chips.${group}`);
    for (const hours of SHARE_CHOICES) used.add(`track.expiry.${hours}`);
    for (const step of ['describe', 'listen', 'keep']) used.add(`landing.steps.${step}.title`);
    for (const mode of REPEAT_MODES) used.add(`player.repeat.${mode}`);
    for (const kind of ['library', 'librarySearch', 'playlist', 'track', 'shared']) used.add(`player.context.${kind}`);
    for (const method of PROMPT_TRANSLATION_METHODS) used.add(`track.english.method.${method}`);
    for (const policy of HF_TOKEN_POLICIES) used.add(`settings.hf.policy.${policy}`);
    for (const role of USER_ROLES) used.add(`admin.roles.${role}`);
    for (const tab of ADMIN_TABS) used.add(`admin.tabs.${tab}`);
    for (const action of AUDIT_ACTIONS) used.add(`admin.audit.actions.${action}`);
    for (const type of WEBHOOK_EVENT_TYPES) used.add(`webhooks.eventNames.${type.split('.')[1]}`);
    for (const status of WEBHOOK_DELIVERY_STATUSES) used.add(`webhooks.deliveryStatus.${status}`);
    // Only strings in a dictionary's namespaces are keys ('wavesurfer.js' is not).
    const namespaces = new Set(Object.keys(en));
    const missing = [...used].filter((k) => namespaces.has(k.split('.')[0]) && !(k in enKeys));
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(150);
  });
});
