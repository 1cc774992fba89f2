/**
 * Builds the lookup structures from the glossary tables: every surface form (spaces
 * removed, predicates conjugated) in a character trie, and the particles that may
 * follow a noun.
 */
import { conjugate } from '../hangul';
import { GLOSSARY_TABLES, type GlossaryTable, type TermKind } from './entries';

export interface Term {
  /** the Korean key as written in the glossary (first spelling) */
  readonly key: string;
  /** English; empty for fillers */
  readonly en: string;
  /** English used right before another noun ("orchestral") */
  readonly attr?: string;
  readonly kind: TermKind;
  readonly group: string;
  /** a connective form ("잔잔하고", "밝으며"): joins the next adjective with "and" */
  readonly connective: boolean;
  /** an adverb or predicate form ("강하게", "잔잔하다"): may follow the noun it describes */
  readonly adverbial: boolean;
  /** one syllable: may not touch an unknown stretch of the same word */
  readonly short: boolean;
}

export interface GlossaryEntryInfo {
  korean: readonly string[];
  english: string;
  attr?: string;
  kind: TermKind;
  group: string;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  /** a word ends here */
  end?: boolean;
  term?: Term;
}

/** What a particle does to the phrase it ends. */
export type ParticleRole = 'break' | 'genitive' | 'and' | 'or';

const PARTICLE_TABLE: Record<ParticleRole, string> = {
  genitive: '의',
  and: '와 과 랑 이랑 하고 이며 며 와의 과의',
  or: '이나 나 이든 든 거나 이거나',
  break:
    '이 가 은 는 을 를 에 에서 에서의 에서는 에서도 에는 에도 에게 께 로 으로 로의 으로의 로는 으로는 로도 으로도 로서 으로서 도 만 만의 만으로 ' +
    '인데 이라서 라서 이라 처럼 까지 부터 보다 이라는 라는 이란 란 인 이다 입니다 이에요 예요 이야 야 요 용 들 들이 들은 들을 들의 들과 들로 들에 들도 쯤 정도 짜리',
};

export interface Lexicon {
  readonly root: TrieNode;
  readonly particles: TrieNode;
  readonly particleRoles: ReadonlyMap<string, ParticleRole>;
  readonly entries: readonly GlossaryEntryInfo[];
  /** number of distinct Korean surface forms, conjugations included */
  readonly surfaceForms: number;
  /** surface forms claimed by two entries with different English (first one wins) */
  readonly conflicts: readonly string[];
}

function insert(root: TrieNode, word: string): TrieNode {
  let node = root;
  for (const ch of word) {
    let child = node.next.get(ch);
    if (!child) {
      child = { next: new Map() };
      node.next.set(ch, child);
    }
    node = child;
  }
  node.end = true;
  return node;
}

const CONNECTIVE = /(고|며|면서)$/;
const ADVERBIAL = /(게|히|다|해|워|로)$/;

export function parseTable(t: GlossaryTable): GlossaryEntryInfo[] {
  const out: GlossaryEntryInfo[] = [];
  for (const raw of t.lines.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf(' = ');
    if (eq < 0) throw new Error(`glossary ${t.group}: no " = " in "${line}"`);
    const korean = line
      .slice(0, eq)
      .split('|')
      .map((k) => k.trim())
      .filter(Boolean);
    const [english, attr] = line
      .slice(eq + 3)
      .split(' / ')
      .map((s) => s.trim());
    out.push({ korean, english: english === '—' ? '' : english, ...(attr ? { attr } : {}), kind: t.kind, group: t.group });
  }
  return out;
}

export function buildLexicon(tables: readonly GlossaryTable[] = GLOSSARY_TABLES): Lexicon {
  const root: TrieNode = { next: new Map() };
  const entries: GlossaryEntryInfo[] = [];
  const conflicts: string[] = [];
  let surfaceForms = 0;
  for (const t of tables) {
    for (const entry of parseTable(t)) {
      entries.push(entry);
      for (const spelling of entry.korean) {
        const compact = spelling.replace(/\s+/g, '');
        const forms = entry.kind === 'adj' ? conjugate(compact) : [compact];
        for (const form of forms) {
          const node = insert(root, form);
          if (node.term) {
            if (node.term.en !== entry.english && !conflicts.includes(form)) conflicts.push(form);
            continue;
          }
          surfaceForms++;
          node.term = {
            key: entry.korean[0],
            en: entry.english,
            ...(entry.attr ? { attr: entry.attr } : {}),
            kind: entry.kind,
            group: entry.group,
            connective: entry.kind === 'adj' && form !== compact && CONNECTIVE.test(form),
            adverbial: entry.kind === 'adj' && (form !== compact || compact.endsWith('다')) && ADVERBIAL.test(form),
            short: form.length === 1,
          };
        }
      }
    }
  }
  const particles: TrieNode = { next: new Map() };
  const particleRoles = new Map<string, ParticleRole>();
  for (const [role, list] of Object.entries(PARTICLE_TABLE) as [ParticleRole, string][]) {
    for (const p of list.split(' ')) {
      insert(particles, p);
      particleRoles.set(p, role);
    }
  }
  return { root, particles, particleRoles, entries, surfaceForms, conflicts };
}

/** Every match of a trie word starting at `pos`, skipping spaces inside the text. */
export function trieMatches(root: TrieNode, text: string, pos: number, skipSpaces: boolean): { end: number; term?: Term; word: string }[] {
  const found: { end: number; term?: Term; word: string }[] = [];
  let node: TrieNode | undefined = root;
  let word = '';
  let i = pos;
  while (i < text.length && node) {
    const ch = text[i];
    if (ch === ' ') {
      if (!skipSpaces || i === pos) break;
      i++;
      continue;
    }
    node = node.next.get(ch);
    if (!node) break;
    word += ch;
    i++;
    if (node.end) found.push({ end: i, term: node.term, word });
  }
  return found.reverse(); // longest first
}

let shared: Lexicon | null = null;
/** The built-in glossary, built once. */
export function defaultLexicon(): Lexicon {
  shared ??= buildLexicon();
  return shared;
}
