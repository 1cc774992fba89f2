/**
 * The offline Korean → English prompt rewriter.
 *
 * 1. The prompt is normalised (NFKC, emoji and bare jamo such as ㅋㅋ removed) and cut
 *    into segments at punctuation (, . ; ! ? / newlines, brackets …).
 * 2. Each segment is read left to right by a shortest-path search over glossary words
 *    (spaces inside a glossary word optional: 비오는날 = 비 오는 날), particles after
 *    a word (피아노와, 카페에서), number and key patterns (120비피엠, 80년대, D 단조) and
 *    English words (passed through as written). A stretch no reading covers is an
 *    unknown word: it is left out of the English and reported.
 * 3. The words form phrases: modifiers then nouns, as in English ("잔잔한 재즈 피아노" →
 *    "calm jazz piano"). A phrase ends at a particle that closes it (가, 를, 에서 …), at a
 *    verb of listening or making (듣기 좋은, 위한, 만들어줘 …), or when a modifier follows
 *    a noun. 와/과/랑/하고 and -고 join with "and" ("잔잔하고 따뜻한" → "calm and warm").
 * 4. Output, segment by segment: the phrases about the music first (head noun a genre,
 *    instrument or production word, or adjectives alone), then, in order of appearance,
 *    scenes/times/places ("rainy day"), purposes ("for studying"), negations ("no
 *    drums"), keys ("D minor") and tempo ("120 bpm"). Items are joined with ", ", and
 *    repeated items are dropped.
 */
import type { TermKind } from './entries';
import { defaultLexicon, trieMatches, type Lexicon, type ParticleRole } from './lexicon';
import { specialMatches } from './special';

export interface GlossaryTranslation {
  /** the English prompt; empty when nothing was understood */
  english: string;
  /** words of the prompt the glossary does not know, as written, in order */
  unknown: string[];
}

type Piece =
  | { type: 'term'; kind: TermKind; en: string; attr?: string; connective: boolean; adverbial: boolean; raw: string }
  | { type: 'latin'; en: string; raw: string }
  | { type: 'particle'; role: ParticleRole; raw: string }
  | { type: 'unknown'; raw: string };

// ---------------------------------------------------------------- normalisation

/** Punctuation that separates phrases; '.', '/', '~' and '-' are handled around digits first. */
const SEPARATORS = /[,，、;；!?！？。\n\r\t|·•…()[\]{}<>「」『』"“”:：+=]+/;

export function segmentsOf(prompt: string): string[] {
  let s = prompt.replace(/[\u3131-\u318e]+/g, ' '); // ㅋㅋ, ㅠㅠ, ㅎㅎ
  s = s.normalize('NFKC');
  s = s.replace(/[\u1100-\u11ff]+/g, ' ');
  s = s.replace(/♯/g, '#').replace(/♭/g, 'b');
  s = s.replace(/\p{Extended_Pictographic}|\p{So}/gu, ' ');
  s = s.replace(/(bpm|템포|tempo)\s*[:=]\s*(?=\d)/gi, '$1 ');
  s = s.replace(/(?<!\d)\.|\.(?!\d)/g, ','); // sentence ends, but not 1.5
  s = s.replace(/(?<!\d)\/|\/(?!\d)/g, ','); // lists, but not 3/4
  s = s.replace(/(^|\s)[-–—]+(?=\s|$)/g, '$1,'); // " - " between phrases
  s = s.replace(/[~～]/g, (m, offset: number, all: string) => (/\d/.test(all[offset - 1] ?? '') && /\s*\d/.test(all.slice(offset + 1, offset + 3)) ? m : ' '));
  s = s.replace(/([가-힣])\s*&\s*(?=[가-힣])/g, '$1 그리고 ');
  s = s.replace(/[^\p{L}\p{N}\s#&'’.\-/~,，、;；!?！？。|·•…()[\]{}<>「」『』"“”:：+=]/gu, ' ');
  return s
    .split(SEPARATORS)
    .map((seg) => seg.replace(/['’](?![A-Za-z])|(?<![A-Za-z])['’]/g, ' ').replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

// ---------------------------------------------------------------- reading

/** Reading states: what the previous step was. */
const St = { Boundary: 0, Long: 1, Short: 2, Unknown: 3, Particle: 4 } as const;
type St = (typeof St)[keyof typeof St];
const STATES = 5;
const CONTENT_KINDS: ReadonlySet<TermKind> = new Set<TermKind>(['noun', 'adj', 'scene', 'purpose', 'key', 'tempo', 'extra']);
const COST = { match: 1, special: 0.9, latin: 1, particle: 0.25, unknownBase: 10, unknownPerChar: 3 } as const;

interface Back {
  prev: number;
  piece: Piece | null;
}

/** The cheapest reading of one segment as a sequence of pieces. */
export function readSegment(text: string, lexicon: Lexicon = defaultLexicon()): Piece[] {
  const n = text.length;
  const cost = new Float64Array((n + 1) * STATES).fill(Infinity);
  const back = new Array<Back | undefined>((n + 1) * STATES);
  cost[0 * STATES + St.Boundary] = 0;
  const relax = (from: number, pos: number, state: St, add: number, piece: Piece | null): void => {
    const idx = pos * STATES + state;
    const c = cost[from] + add;
    if (c < cost[idx]) {
      cost[idx] = c;
      back[idx] = { prev: from, piece };
    }
  };
  const wordEndFrom = (pos: number): number => {
    const space = text.indexOf(' ', pos);
    return space < 0 ? n : space;
  };

  for (let pos = 0; pos < n; pos++) {
    for (let state = 0; state < STATES; state++) {
      const from = pos * STATES + state;
      if (cost[from] === Infinity) continue;
      if (text[pos] === ' ') {
        relax(from, pos + 1, St.Boundary, 0, null);
        continue;
      }
      // glossary words (spaces inside optional)
      for (const m of trieMatches(lexicon.root, text, pos, true)) {
        const term = m.term;
        if (!term) continue;
        // after an unknown stretch of the same word only a content word of two syllables or more may follow
        if (state === St.Unknown && (term.short || !CONTENT_KINDS.has(term.kind))) continue;
        const piece: Piece = {
          type: 'term',
          kind: term.kind,
          en: term.en,
          ...(term.attr ? { attr: term.attr } : {}),
          connective: term.connective,
          adverbial: term.adverbial,
          raw: text.slice(pos, m.end),
        };
        relax(from, m.end, term.short ? St.Short : St.Long, COST.match, piece);
      }
      // numbers with units, keys, English words
      for (const m of specialMatches(text, pos)) {
        const raw = text.slice(pos, m.end);
        const piece: Piece = m.kind === 'latin' ? { type: 'latin', en: m.en, raw } : { type: 'term', kind: m.kind, en: m.en, connective: false, adverbial: false, raw };
        relax(from, m.end, St.Long, m.kind === 'latin' ? COST.latin : COST.special, piece);
      }
      // particles after a word
      if (state === St.Long || state === St.Short) {
        for (const m of trieMatches(lexicon.particles, text, pos, false)) {
          const role = lexicon.particleRoles.get(m.word);
          if (role) relax(from, m.end, St.Particle, COST.particle, { type: 'particle', role, raw: m.word });
        }
      }
      // an unknown stretch: to the end of the word, or up to a word we know
      if (state === St.Boundary || state === St.Long || state === St.Particle) {
        const end = wordEndFrom(pos);
        for (let q = pos + 1; q <= end; q++) {
          relax(from, q, St.Unknown, COST.unknownBase + COST.unknownPerChar * (q - pos), { type: 'unknown', raw: text.slice(pos, q) });
        }
      }
    }
  }
  let best = -1;
  for (let state = 0; state < STATES; state++) {
    const idx = n * STATES + state;
    if (cost[idx] < Infinity && (best < 0 || cost[idx] < cost[best])) best = idx;
  }
  const pieces: Piece[] = [];
  for (let idx = best; idx > 0; ) {
    const step = back[idx];
    if (!step) break;
    if (step.piece) pieces.push(step.piece);
    idx = step.prev;
  }
  return pieces.reverse();
}

// ---------------------------------------------------------------- phrases

type Link = 'and' | 'or';
type Category = 'core' | 'scene' | 'purpose';

interface Word {
  en: string;
  attr?: string;
  cat: Category;
  link?: Link;
}

interface Phrase {
  mods: Word[];
  nouns: Word[];
  /** joined to the next phrase with "and"/"or" */
  link?: Link;
}

type Event = { type: 'phrase'; phrase: Phrase } | { type: 'other'; text: string };

function joinLinked(words: { text: string; link?: Link }[]): string {
  const parts: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const chain = [words[i].text];
    let conj: Link | undefined;
    while (i < words.length - 1 && words[i].link) {
      conj ??= words[i].link;
      i++;
      chain.push(words[i].text);
    }
    if (chain.length === 1) parts.push(chain[0]);
    else if (chain.length === 2) parts.push(`${chain[0]} ${conj} ${chain[1]}`);
    else parts.push(`${chain.slice(0, -1).join(', ')} ${conj} ${chain[chain.length - 1]}`);
  }
  return parts.join(' ');
}

function dedupeAdjacent<T extends { en: string }>(words: T[]): T[] {
  return words.filter((w, i) => w.en && (i === 0 || w.en.toLowerCase() !== words[i - 1].en.toLowerCase()));
}

function renderPhrase(phrase: Phrase): string {
  const mods = dedupeAdjacent(phrase.mods);
  const nouns = dedupeAdjacent(phrase.nouns);
  const modText = joinLinked(mods.map((m, i) => ({ text: m.en, link: i < mods.length - 1 ? m.link : undefined })));
  const nounText = joinLinked(
    nouns.map((w, i) => {
      const beforeNoun = i < nouns.length - 1 && !w.link;
      return { text: beforeNoun && w.attr ? w.attr : w.en, link: i < nouns.length - 1 ? w.link : undefined };
    }),
  );
  return [modText, nounText].filter(Boolean).join(' ');
}

const NOUN_CATEGORY: Partial<Record<TermKind, Category>> = { noun: 'core', scene: 'scene', purpose: 'purpose' };

/** Turns the pieces of one segment into its English items (music first, then the rest). */
export function assemble(pieces: Piece[]): string[] {
  const events: Event[] = [];
  let cur: Phrase = { mods: [], nouns: [] };
  let justClosed = null as Phrase | null; // the phrase a particle or filler just ended
  let intensity: string | null = null;

  const close = (): Phrase | null => {
    const closed = cur.mods.length || cur.nouns.length ? cur : null;
    if (closed) {
      events.push({ type: 'phrase', phrase: closed });
      justClosed = closed;
    }
    cur = { mods: [], nouns: [] };
    return closed;
  };
  const lastWord = (): Word | undefined => cur.nouns[cur.nouns.length - 1] ?? cur.mods[cur.mods.length - 1];
  const startWord = (): void => {
    justClosed = null;
  };

  for (const piece of pieces) {
    if (piece.type === 'unknown') continue;
    if (piece.type === 'particle') {
      if (piece.role === 'break') close();
      else if (piece.role === 'and' || piece.role === 'or') {
        const word = lastWord();
        if (word) word.link = piece.role;
      }
      continue;
    }
    if (piece.type === 'latin') {
      startWord();
      intensity = null;
      cur.nouns.push({ en: piece.en, cat: 'core' });
      continue;
    }
    const { kind, en } = piece;
    switch (kind) {
      case 'adj': {
        const described = cur.nouns.length ? cur : justClosed;
        if (piece.adverbial && described && described.nouns.length) {
          // "808 베이스 강하게", "피아노는 잔잔하게": describes the noun before it
          described.mods.push({ en: intensity ? `${intensity} ${en}` : en, cat: 'core' });
          intensity = null;
          break;
        }
        if (cur.nouns.length) {
          const link = cur.nouns[cur.nouns.length - 1].link;
          delete cur.nouns[cur.nouns.length - 1].link;
          const closed = close();
          if (link && closed) closed.link = link;
        }
        startWord();
        cur.mods.push({ en: intensity ? `${intensity} ${en}` : en, cat: 'core', ...(piece.connective ? { link: 'and' as const } : {}) });
        intensity = null;
        break;
      }
      case 'noun':
      case 'scene':
      case 'purpose': {
        startWord();
        intensity = null;
        cur.nouns.push({ en, ...(piece.attr ? { attr: piece.attr } : {}), cat: NOUN_CATEGORY[kind] ?? 'core' });
        break;
      }
      case 'tempo-head': {
        if (!cur.nouns.length && cur.mods.length) {
          events.push({ type: 'other', text: `${renderPhrase({ mods: cur.mods, nouns: [] })} ${en}` });
          cur = { mods: [], nouns: [] };
        }
        break;
      }
      case 'tempo':
      case 'key':
      case 'extra':
        if (en) events.push({ type: 'other', text: en });
        break;
      case 'neg': {
        let target: Phrase | null = null;
        if (cur.mods.length || cur.nouns.length) {
          target = cur;
          cur = { mods: [], nouns: [] };
        } else if (justClosed) {
          target = justClosed;
          const at = events.findIndex((e) => e.type === 'phrase' && e.phrase === target);
          if (at >= 0) events.splice(at, 1);
          justClosed = null;
        }
        if (target) events.push({ type: 'other', text: `no ${renderPhrase(target)}` });
        break;
      }
      case 'style': {
        // "재즈풍", "시티팝 스타일의", "80년대 스타일": the words before become one modifier
        const base = cur.nouns.length ? renderPhrase({ mods: [], nouns: cur.nouns }) : cur.mods.pop()?.en;
        if (base) {
          cur.nouns = [];
          cur.mods.push({ en: `${base}${base.includes(' ') ? ' style' : '-style'}`, cat: 'core' });
        }
        break;
      }
      case 'and':
      case 'or': {
        const word = lastWord();
        if (word) word.link = kind;
        else if (justClosed) justClosed.link = kind;
        break;
      }
      case 'very':
      case 'slightly':
        intensity = en;
        break;
      case 'filler-break':
        if (cur.nouns.length) close();
        intensity = null;
        break;
      case 'filler-soft':
        break;
    }
  }
  close();

  // purposes always stand alone ("잔잔한 공부 음악" → "calm music, for studying")
  const core: { text: string; link?: Link }[] = [];
  const rest: string[] = [];
  for (const event of events) {
    if (event.type === 'other') {
      rest.push(event.text);
      continue;
    }
    const { phrase } = event;
    const purposes = phrase.nouns.filter((w) => w.cat === 'purpose');
    const nouns = phrase.nouns.filter((w) => w.cat !== 'purpose');
    const text = nouns.length || phrase.mods.length ? renderPhrase({ mods: phrase.mods, nouns }) : '';
    const head = nouns[nouns.length - 1]?.cat ?? (purposes.length ? 'purpose' : 'core');
    if (text) {
      if (head === 'core') core.push({ text, link: phrase.link });
      else rest.push(text);
    }
    rest.push(...purposes.map((p) => p.en));
  }
  const coreItems: string[] = [];
  for (let i = 0; i < core.length; i++) {
    let text = core[i].text;
    while (core[i].link && i < core.length - 1) {
      text += ` ${core[i].link} ${core[i + 1].text}`;
      i++;
    }
    coreItems.push(text);
  }
  return [...coreItems, ...rest].filter(Boolean);
}

// ---------------------------------------------------------------- entry point

/**
 * Rewrites a (Korean) prompt into an English one with the built-in glossary.
 * English words pass through; unknown Korean words are dropped and listed.
 */
export function glossaryTranslate(prompt: string, lexicon: Lexicon = defaultLexicon()): GlossaryTranslation {
  const items: string[] = [];
  const seen = new Set<string>();
  const unknown: string[] = [];
  for (const segment of segmentsOf(prompt)) {
    const pieces = readSegment(segment, lexicon);
    for (const piece of pieces) {
      if (piece.type === 'unknown' && !unknown.includes(piece.raw)) unknown.push(piece.raw);
    }
    for (const item of assemble(pieces)) {
      const key = item.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(item);
    }
  }
  return { english: items.join(', '), unknown };
}
