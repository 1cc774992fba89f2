import { STYLES } from '../compose/styles';
import { INSTRUMENT_INFO } from '../instruments';
import { MusicPlan } from '../plan';

/** The plan as one line, e.g. "lo-fi hip hop · 82 bpm · A minor · electric piano, bass, drums, vinyl noise · calm". */
export function describePlan(plan: MusicPlan): string {
  const parts = [
    STYLES[plan.genre].label,
    `${Math.round(plan.tempoBpm * 100) / 100} bpm`,
    plan.beatsPerBar === 3 ? '3/4' : '',
    plan.key.name,
    plan.instruments.map((i) => (i === 'drums' && plan.drums !== 'normal' ? `${plan.drums} drums` : INSTRUMENT_INFO[i].label)).join(', '),
    plan.moods.join(', '),
    plan.loop ? 'seamless loop' : '',
  ];
  return parts.filter(Boolean).join(' · ');
}
