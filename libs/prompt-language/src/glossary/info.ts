/** Size and contents of the built-in glossary (for docs, metadata and tests). */
import type { TermKind } from './entries';
import { defaultLexicon } from './lexicon';

export interface GlossaryInfo {
  /** glossary entries (one Korean term, with its spelling variants, and its English) */
  entries: number;
  /** distinct Korean spellings across entries */
  spellings: number;
  /** distinct surface forms matched, conjugations included */
  surfaceForms: number;
  byGroup: Record<string, number>;
  byKind: Partial<Record<TermKind, number>>;
}

export function glossaryInfo(): GlossaryInfo {
  const lexicon = defaultLexicon();
  const byGroup: Record<string, number> = {};
  const byKind: Partial<Record<TermKind, number>> = {};
  const spellings = new Set<string>();
  for (const entry of lexicon.entries) {
    byGroup[entry.group] = (byGroup[entry.group] ?? 0) + 1;
    byKind[entry.kind] = (byKind[entry.kind] ?? 0) + 1;
    entry.korean.forEach((k) => spellings.add(k.replace(/\s+/g, '')));
  }
  return { entries: lexicon.entries.length, spellings: spellings.size, surfaceForms: lexicon.surfaceForms, byGroup, byKind };
}
