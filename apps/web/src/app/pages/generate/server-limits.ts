import { Injectable, inject, signal } from '@angular/core';
import type { UserLimits } from '@texttune/contracts';
import { AuthStore } from '../../core/auth';
import { maxDurationFrom, toErrorResponse } from '../../core/errors';

const STORAGE_KEY = 'texttune.maxDuration';

/**
 * What this user may ask for: the `limits` of `GET /v1/me` (the server's
 * MAX_DURATION_SECONDS and quotas, with any per-user overrides). Asked each time the
 * create page opens (an admin may have changed them) and remembered for the next visit,
 * so the slider has the right range at once; a 400 `duration_too_long` (a limit lowered
 * meanwhile) corrects it too.
 */
@Injectable({ providedIn: 'root' })
export class ServerLimits {
  private readonly auth = inject(AuthStore);
  readonly maxDuration = signal<number | null>(readStored());
  readonly limits = signal<UserLimits | null>(null);

  /** Asks the server for the current limits (failures keep what is known). */
  async refresh(): Promise<void> {
    try {
      const limits = (await this.auth.reload())?.limits;
      if (!limits) return;
      this.limits.set(limits);
      this.remember(limits.maxDurationSeconds);
    } catch {
      // offline or the server is busy: the remembered max stands
    }
  }

  /** Takes the max from an error answer, if it is a `duration_too_long`. Returns it. */
  learnFrom(error: unknown): number | null {
    const max = maxDurationFrom(toErrorResponse(error));
    if (max !== null) this.remember(max);
    return max;
  }

  private remember(max: number): void {
    if (!Number.isInteger(max) || max < 1) return;
    this.maxDuration.set(max);
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, String(max));
    } catch {
      // not remembered: asked again next time
    }
  }
}

function readStored(): number | null {
  try {
    const value = Number(globalThis.localStorage?.getItem(STORAGE_KEY));
    return Number.isInteger(value) && value >= 1 ? value : null;
  } catch {
    return null;
  }
}
