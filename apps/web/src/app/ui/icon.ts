import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { ICONS, type IconName } from './icons';

const FILLED: ReadonlySet<IconName> = new Set(['play', 'pause', 'sparkle', 'previous', 'next']);

/** A decorative icon; the control that holds it carries the accessible name. */
@Component({
  selector: 'tt-icon',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"
    [attr.fill]="filled() ? 'currentColor' : 'none'" [attr.stroke]="filled() ? 'none' : 'currentColor'"
    stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path [attr.d]="path()" /></svg>`,
  styles: `:host { display: inline-flex; flex: none; } svg { display: block; }`,
})
export class Icon {
  readonly name = input.required<IconName>();
  protected readonly path = computed(() => ICONS[this.name()]);
  protected readonly filled = computed(() => FILLED.has(this.name()));
}
