import { ChangeDetectionStrategy, Component, ElementRef, input, signal, viewChild } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';

/**
 * A modal question (native `<dialog>`: focus is trapped and returned, Escape cancels).
 * `ask()` resolves true when the person confirms.
 */
@Component({
  selector: 'tt-confirm-dialog',
  imports: [TranslocoPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog #dialog aria-labelledby="confirm-title" aria-describedby="confirm-body" (close)="onClose()" (cancel)="onClose()">
      <h2 id="confirm-title">{{ heading() }}</h2>
      <p id="confirm-body">{{ body() }}</p>
      <div class="actions">
        <button type="button" class="btn" (click)="finish(false)">{{ 'common.cancel' | transloco }}</button>
        <button type="button" class="btn" [class.danger]="danger()" [class.primary]="!danger()" (click)="finish(true)" data-confirm>{{ confirmLabel() }}</button>
      </div>
    </dialog>
  `,
  styles: `
    dialog { border: 1px solid var(--border); border-radius: var(--radius-lg); padding: 1.5rem; max-width: min(28rem, calc(100vw - 2rem)); background: var(--surface); color: var(--text); box-shadow: var(--shadow-lg); }
    dialog::backdrop { background: rgb(15 12 30 / 0.55); }
    h2 { margin: 0 0 0.5rem; font-size: 1.25rem; }
    p { margin: 0 0 1.5rem; color: var(--muted); }
    .actions { display: flex; justify-content: flex-end; gap: 0.75rem; flex-wrap: wrap; }
  `,
})
export class ConfirmDialog {
  readonly heading = input('');
  readonly body = input('');
  readonly confirmLabel = input('OK');
  readonly danger = input(false);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private resolve?: (ok: boolean) => void;
  protected readonly openState = signal(false);

  ask(): Promise<boolean> {
    this.resolve?.(false);
    const dialog = this.dialog().nativeElement;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    this.openState.set(true);
    return new Promise<boolean>((resolve) => (this.resolve = resolve));
  }

  protected finish(ok: boolean): void {
    const resolve = this.resolve;
    this.resolve = undefined;
    const dialog = this.dialog().nativeElement;
    if (typeof dialog.close === 'function') dialog.close();
    else dialog.removeAttribute('open');
    this.openState.set(false);
    resolve?.(ok);
  }

  protected onClose(): void {
    if (this.resolve) this.finish(false);
  }
}
