/**
 * The offline engine's interpretation of a prompt, in the reader's language. The engine
 * records its plan (genre, tempo, key, instruments, moods) as structured data in a
 * track's `engine_meta.plan`; its `prompt_expanded` is the same in English words. Each
 * part is looked up in the dictionary's `interpretation` section; a part the dictionary
 * does not know (a newer engine's genre) is shown as the engine named it.
 */

export interface InterpretedPlan {
  genre: string;
  tempoBpm: number;
  beatsPerBar?: number;
  key?: { tonic?: number; mode: string; name: string };
  instruments: string[];
  drums?: string;
  moods: string[];
}

/** The plan in `engine_meta`, when it has the shape the description needs. */
export function planFrom(engineMeta: Record<string, unknown> | null | undefined): InterpretedPlan | null {
  const plan = engineMeta?.['plan'] as Partial<InterpretedPlan> | undefined;
  if (!plan || typeof plan !== 'object') return null;
  if (typeof plan.genre !== 'string' || typeof plan.tempoBpm !== 'number' || !Array.isArray(plan.instruments) || !Array.isArray(plan.moods)) return null;
  return plan as InterpretedPlan;
}

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** "lo-fi hip hop · 82 bpm · A minor · piano, bass, drums · calm", in the language of `t`. */
export function describePlan(plan: InterpretedPlan, t: Translate): string {
  const term = (group: string, id: string, fallback = id) => {
    const key = `interpretation.${group}.${id}`;
    const text = t(key);
    return text && text !== key ? text : fallback;
  };
  const instruments = plan.instruments.map((id) => (id === 'drums' && plan.drums && plan.drums !== 'normal' ? term('drums', plan.drums, `${plan.drums} drums`) : term('instruments', id, id.replace(/-/g, ' '))));
  const parts = [
    term('genres', plan.genre, plan.genre.replace(/-/g, ' ')),
    t('interpretation.bpm', { n: plan.tempoBpm }),
    plan.beatsPerBar === 3 ? '3/4' : '',
    plan.key ? keyText(plan.key, term) : '',
    instruments.join(t('interpretation.listSeparator')),
    plan.moods.map((id) => term('moods', id)).join(t('interpretation.listSeparator')),
  ];
  return parts.filter(Boolean).join(' · ');
}

function keyText(key: NonNullable<InterpretedPlan['key']>, term: (group: string, id: string, fallback?: string) => string): string {
  const tonic = key.name.split(' ')[0];
  const mode = term('modes', key.mode, '');
  return mode ? `${tonic} ${mode}` : key.name;
}
