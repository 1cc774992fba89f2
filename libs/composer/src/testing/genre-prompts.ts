import type { GenreId } from '../plan';

/** A short prompt for every genre, one the prompt interpreter recognises as that genre. */
export const GENRE_PROMPTS: Record<GenreId, string> = {
  lofi: 'lo-fi beats to study to',
  hiphop: 'boom bap hip hop',
  trap: 'dark trap',
  house: 'deep house groove',
  techno: 'warehouse techno',
  dnb: 'liquid drum and bass',
  ambient: 'ambient soundscape',
  cinematic: 'orchestral film score',
  'classical-piano': 'classical piano nocturne',
  jazz: 'smoky jazz trio',
  funk: 'funky groove',
  rock: 'indie rock',
  pop: 'synth pop anthem',
  ballad: 'power ballad',
  reggae: 'reggae',
  chiptune: '8-bit video game music',
};
