/**
 * Seeded randomness. Everything the engine leaves to chance goes through `Rng`
 * (mulberry32), so the same seed always yields the same piece; `Math.random` is
 * never used.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A child generator for one concern (e.g. "drums"), independent of how much others draw. */
  fork(label: string): Rng {
    return new Rng(hashString(label, this.state));
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Roughly normal (sum of three uniforms), mean 0, standard deviation `sd`. */
  gaussian(sd: number): number {
    return (this.next() + this.next() + this.next() - 1.5) * 2 * sd;
  }

  /** A fresh 32-bit seed, e.g. for a synthesizer voice's noise source. */
  seed(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }
}

/** FNV-1a of a string, mixed with a starting state. */
export function hashString(text: string, state = 0x811c9dc5): number {
  let h = (state ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
