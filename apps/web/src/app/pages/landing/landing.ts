import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import { EXAMPLE_PROMPTS } from '../../core/examples';
import { LanguageService } from '../../core/language';
import { Icon } from '../../ui/icon';

@Component({
  selector: 'tt-landing',
  imports: [RouterLink, TranslocoPipe, Icon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="hero" aria-labelledby="hero-title">
      <p class="eyebrow">{{ 'landing.eyebrow' | transloco }}</p>
      <h1 id="hero-title">{{ 'landing.title' | transloco }} <span class="accent">{{ 'landing.titleAccent' | transloco }}</span></h1>
      <p class="lead">{{ 'landing.lead' | transloco }}</p>
      <div class="cta">
        <a routerLink="/create" class="btn primary large"><tt-icon name="sparkle" />{{ 'landing.cta' | transloco }}</a>
        <a routerLink="/library" class="btn large">{{ 'landing.library' | transloco }}</a>
      </div>
    </section>

    <section aria-labelledby="examples-title" class="examples">
      <h2 id="examples-title">{{ 'landing.examplesTitle' | transloco }}</h2>
      <ul>
        @for (example of examples(); track example) {
          <li>
            <a [routerLink]="['/create']" [queryParams]="{ prompt: example }" class="example">
              <span class="quote">“{{ example }}”</span>
              <span class="try">{{ 'landing.tryIt' | transloco }} →</span>
            </a>
          </li>
        }
      </ul>
    </section>

    <section class="steps" [attr.aria-label]="'landing.howTitle' | transloco">
      @for (step of steps; track step; let i = $index) {
        <div class="step card">
          <span class="num" aria-hidden="true">{{ i + 1 }}</span>
          <h3>{{ 'landing.steps.' + step + '.title' | transloco }}</h3>
          <p>{{ 'landing.steps.' + step + '.body' | transloco }}</p>
        </div>
      }
    </section>
  `,
  styles: `
    .hero { padding: 2.5rem 0 2rem; max-width: 46rem; }
    .eyebrow { text-transform: uppercase; letter-spacing: 0.08em; font-weight: 700; font-size: 0.8rem; color: var(--accent-strong); margin: 0 0 0.75rem; }
    h1 { font-size: clamp(2.1rem, 5.5vw, 3.6rem); }
    /* The gradient runs over each line of the second sentence on its own (box-decoration-break),
       so it never changes colour halfway through a word at the edge of one long gradient box. */
    .accent { background: linear-gradient(100deg, var(--accent-strong), var(--accent-2)); -webkit-background-clip: text; background-clip: text; color: transparent; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
    .lead { font-size: 1.15rem; color: var(--muted-strong); margin: 0.5rem 0 1.75rem; }
    .cta { display: flex; gap: 0.75rem; flex-wrap: wrap; }
    .examples { margin: 2rem 0; }
    .examples ul { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 0.875rem; }
    .example { display: flex; flex-direction: column; justify-content: space-between; gap: 0.75rem; height: 100%; padding: 1.1rem 1.25rem; border-radius: var(--radius-lg); border: 1px solid var(--border); background: var(--surface); color: var(--text); text-decoration: none; box-shadow: var(--shadow); transition: border-color 0.15s, transform 0.15s; }
    .example:hover { border-color: var(--accent); transform: translateY(-2px); }
    .quote { font-size: 1.05rem; font-weight: 500; }
    .try { color: var(--accent-strong); font-weight: 600; font-size: 0.9rem; }
    .steps { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 1rem; margin-top: 2.5rem; }
    .step h3 { margin: 0.5rem 0 0.25rem; font-size: 1.05rem; }
    .step p { margin: 0; color: var(--muted); }
    .num { display: inline-grid; place-items: center; width: 2rem; height: 2rem; border-radius: 50%; background: var(--accent-soft); color: var(--accent-strong); font-weight: 700; }
  `,
})
export class LandingPage {
  private readonly language = inject(LanguageService);
  protected readonly examples = computed(() => EXAMPLE_PROMPTS[this.language.current()]);
  protected readonly steps = ['describe', 'listen', 'keep'] as const;
}
