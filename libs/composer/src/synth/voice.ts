/** The contract between a track and the notes it is playing. */
export interface Voice {
  /**
   * Adds this voice's output for frames [blockStart, blockStart + length) to the
   * track's block buffers (index 0 = blockStart). Mono voices (tracks whose patch
   * is not `stereo`) write `left` only. Frames before the voice's own start are
   * left alone. Returns false once the voice has fallen silent for good.
   */
  render(left: Float32Array, right: Float32Array, blockStart: number, length: number): boolean;
}

/** Timing every voice needs: first frame, note-off frame, and amplitude from velocity. */
export interface VoiceTiming {
  startFrame: number;
  releaseFrame: number;
  /** linear amplitude, already shaped from velocity */
  amplitude: number;
}

/** Perceived loudness grows faster than linearly with key velocity. */
export function velocityToAmplitude(velocity: number): number {
  return Math.pow(velocity, 1.6);
}
