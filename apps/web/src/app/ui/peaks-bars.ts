import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { barsFromPeaks } from './peaks';

/** A small waveform (SVG bars) with the played part in the accent colour. */
@Component({
  selector: 'tt-peaks-bars',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <svg [attr.viewBox]="'0 0 ' + bars().length * 3 + ' 40'" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      @for (bar of bars(); track $index) {
        <rect [attr.x]="$index * 3" [attr.y]="20 - bar * 19 - 0.5" width="2" [attr.height]="bar * 38 + 1" rx="1" [class.played]="$index < playedBars()" />
      }
    </svg>
  `,
  styles: `
    :host { display: block; height: 100%; min-height: 24px; }
    svg { width: 100%; height: 100%; display: block; }
    rect { fill: var(--wave); }
    rect.played { fill: var(--accent); }
  `,
})
export class PeaksBars {
  readonly peaks = input<readonly number[] | null>(null);
  readonly count = input(80);
  /** 0…1 */
  readonly progress = input(0);
  protected readonly bars = computed(() => barsFromPeaks(this.peaks(), this.count()));
  protected readonly playedBars = computed(() => Math.round(this.progress() * this.bars().length));
}
