import { ChangeDetectionStrategy, Component, ElementRef, afterRenderEffect, inject, input, linkedSignal, output, viewChild } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import { Notifications } from '../core/notifications';
import { copyText } from '../core/share';
import { Icon } from './icon';

/**
 * The card of a secret the server shows only once (a new API token, a webhook's signing
 * secret): a read-only field, selected as it appears, a Copy button (when the browser
 * refuses the clipboard the field is selected for copying by hand) and Done. The texts are
 * the page's, translated; content placed inside follows the hint.
 */
@Component({
  selector: 'tt-shown-once-secret',
  imports: [TranslocoPipe, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card created" aria-labelledby="created-title">
      <h2 id="created-title">{{ heading() }}</h2>
      <p class="warning">{{ warning() }}</p>
      <div class="secret-row">
        <label [for]="inputId()" class="visually-hidden">{{ label() }}</label>
        <input #field [id]="inputId()" type="text" readonly [value]="value()" (focus)="field.select()" spellcheck="false" />
        <button type="button" class="btn primary" (click)="copy()"><tt-icon name="copy" />{{ (copied() ? 'track.copiedShort' : 'track.copy') | transloco }}</button>
      </div>
      <p class="hint">{{ hint() }} <ng-content /></p>
      <button type="button" class="btn" (click)="dismissed.emit()">{{ 'tokens.done' | transloco }}</button>
    </section>
  `,
  styles: `
    :host { display: block; }
    .created { border-color: var(--accent); box-shadow: 0 0 0 1px var(--accent); display: grid; gap: 0.75rem; justify-items: start; }
    .created h2 { margin: 0; }
    .warning { margin: 0; font-weight: 600; color: var(--accent-strong); }
    .secret-row { display: flex; gap: 0.5rem; width: 100%; }
    .secret-row input { flex: 1; min-width: 0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
  `,
})
export class ShownOnceSecret {
  private readonly notifications = inject(Notifications);
  /** the secret itself */
  readonly value = input.required<string>();
  /** the field's id (pages and their tests find the secret by it) */
  readonly inputId = input.required<string>();
  /** the field's label, for screen readers */
  readonly label = input.required<string>();
  readonly heading = input.required<string>();
  /** that it is shown only this once */
  readonly warning = input.required<string>();
  /** how to use the secret */
  readonly hint = input('');
  /** the notification after a successful copy */
  readonly copiedMessage = input.required<string>();
  /** Done: the page forgets the secret */
  readonly dismissed = output<void>();

  /** whether this secret was copied; a new secret starts uncopied */
  protected readonly copied = linkedSignal({ source: this.value, computation: () => false });
  private readonly field = viewChild.required<ElementRef<HTMLInputElement>>('field');

  constructor() {
    // Each new secret is selected as it appears, ready to copy by hand.
    afterRenderEffect(() => {
      this.value();
      this.field().nativeElement.select();
    });
  }

  protected async copy(): Promise<void> {
    if (await copyText(this.value())) {
      this.copied.set(true);
      this.notifications.info(this.copiedMessage());
    } else {
      const field = this.field().nativeElement;
      field.focus();
      field.select();
    }
  }
}
