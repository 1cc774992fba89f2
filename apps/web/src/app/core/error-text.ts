import { Injectable, inject } from '@angular/core';
import { TranslocoService } from '@jsverse/transloco';
import type { ErrorResponse } from '@texttune/contracts';

/**
 * A sentence for an API error in the reader's language: the server's own `message`
 * (English), or its translation when the active language has one for the error's code.
 */
@Injectable({ providedIn: 'root' })
export class ErrorText {
  private readonly transloco = inject(TranslocoService);

  describe(error: ErrorResponse): string {
    if (error.statusCode === 0 && error.code === 'not_ready') return this.transloco.translate('errors.offline');
    const key = `errorCodes.${error.code}`;
    const translated = this.transloco.translate(key, { ...(error.details ?? {}) });
    return translated && translated !== key ? translated : error.message;
  }
}
