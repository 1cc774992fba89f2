import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, Injector, afterNextRender, computed, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators, type AbstractControl, type ValidationErrors } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { PROMPT_MAX_LENGTH, QUALITIES, REFERENCE_MAX_BYTES, SAMPLE_RATES, SEED_MAX, VARIATIONS_MAX, type EngineDescription, type GenerationResponse, type Quality, type SampleRate } from '@texttune/contracts';
import type { Subscription } from 'rxjs';
import { ActiveJobs, jobFailureText } from '../../core/active-jobs';
import { Api } from '../../core/api';
import { ErrorText } from '../../core/error-text';
import { fieldErrors, toErrorResponse } from '../../core/errors';
import { CHIP_GROUPS, EXAMPLE_PROMPTS, PROMPT_CHIPS, addToPrompt } from '../../core/examples';
import { GenerationWatcher, isFinished, progressView, type ProgressView } from '../../core/generation-watch';
import { LanguageService } from '../../core/language';
import { Notifications } from '../../core/notifications';
import { Icon } from '../../ui/icon';
import { JobProgress } from '../../ui/job-progress';
import { acceptsLoop, acceptsReference, defaultFormValue, durationLimit, formValueFromJob, referenceFileProblem, selectableEngines, toCreateRequest, type GenerateFormValue, type SeedMode } from './generate-form';
import { ServerLimits } from './server-limits';

const LAST_SEED_KEY = 'texttune.lastSeed';
/** The seed choice a job was created with, per job (sessionStorage): a reload shows the form as it was. */
const SEED_MODE_KEY = 'texttune.seedMode.';

@Component({
  selector: 'tt-generate',
  imports: [ReactiveFormsModule, RouterLink, TranslocoPipe, Icon, JobProgress],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './generate.html',
  styleUrl: './generate.css',
})
export class GeneratePage {
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  private readonly watcher = inject(GenerationWatcher);
  private readonly limits = inject(ServerLimits);
  private readonly errorText = inject(ErrorText);
  private readonly notifications = inject(Notifications);
  private readonly transloco = inject(TranslocoService);
  private readonly language = inject(LanguageService);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly activeJobs = inject(ActiveJobs);
  private readonly injector = inject(Injector);
  private readonly progressCard = viewChild<ElementRef<HTMLElement>>('progressCard');

  /** query parameters: a prompt to start from, or a job to follow */
  readonly prompt = input<string>();
  readonly job = input<string>();

  protected readonly qualities = QUALITIES;
  protected readonly sampleRates = SAMPLE_RATES;
  protected readonly variationChoices = Array.from({ length: VARIATIONS_MAX }, (_, i) => i + 1);
  protected readonly promptMax = PROMPT_MAX_LENGTH;
  protected readonly seedMax = SEED_MAX;
  protected readonly chipGroups = CHIP_GROUPS;
  protected readonly chips = computed(() => PROMPT_CHIPS[this.language.current()]);
  protected readonly examples = computed(() => EXAMPLE_PROMPTS[this.language.current()]);

  protected readonly engines = signal<EngineDescription[]>([]);
  protected readonly selectable = computed(() => selectableEngines(this.engines()));
  protected readonly serverMax = this.limits.maxDuration;
  protected readonly current = signal<GenerationResponse | null>(null);
  protected readonly progress = computed(() => (this.current() ? progressView(this.current()!) : null));
  /** The bar while the request is on its way (no job yet): moving, without a number. */
  protected readonly sending: ProgressView = { phase: 'queued', percent: null, position: null, etaSeconds: null };
  protected readonly active = computed(() => !!this.current() && !isFinished(this.current()!.status));
  protected readonly submitting = signal(false);
  protected readonly canceling = signal(false);
  protected readonly formError = signal<string | null>(null);
  protected readonly serverFieldErrors = signal<Record<string, string>>({});
  protected readonly lastSeed = signal<number | null>(readLastSeed());

  protected readonly form = this.fb.group({
    prompt: ['', [Validators.required, Validators.maxLength(PROMPT_MAX_LENGTH), notBlank]],
    duration: [defaultFormValue(this.serverMax()).duration, [Validators.required, Validators.min(1)]],
    seedMode: ['random' as SeedMode],
    seed: [null as number | null, [Validators.min(0), Validators.max(SEED_MAX), integer]],
    quality: ['draft' as Quality],
    samplerate: [defaultFormValue(null).samplerate as SampleRate],
    variations: [1],
    engine: [''],
    loop: [false],
  });
  private readonly formValue = toSignal(this.form.valueChanges, { initialValue: this.form.getRawValue() });
  protected readonly selectedEngine = computed(() => {
    const id = this.formValue().engine;
    return this.engines().find((e) => (id ? e.id === id : e.default));
  });
  protected readonly maxDuration = computed(() => durationLimit(this.serverMax(), this.selectedEngine()));
  protected readonly promptLength = computed(() => (this.formValue().prompt ?? '').length);
  protected readonly promptOver = computed(() => Math.max(0, this.promptLength() - PROMPT_MAX_LENGTH));
  /** the max a typed duration was brought down to (shown beside the field until the duration changes) */
  protected readonly durationClamped = signal<number | null>(null);

  /** Reference (melody) audio: offered only when the chosen engine takes it. */
  protected readonly acceptsReference = computed(() => acceptsReference(this.selectedEngine()));
  /** The Loop switch: offered only when the chosen engine renders loops. */
  protected readonly acceptsLoop = computed(() => acceptsLoop(this.selectedEngine()));
  protected readonly referenceFile = signal<File | null>(null);
  protected readonly referenceError = signal<string | null>(null);
  protected readonly referenceMaxMb = REFERENCE_MAX_BYTES / 1024 / 1024;
  /** the last file uploaded and its id, so submitting again does not upload it again */
  private uploadedReference: { file: File; id: string } | null = null;

  private watching?: { id: string; subscription: Subscription };

  constructor() {
    this.api.engines().then((list) => this.engines.set(list.items), () => undefined);
    void this.limits.refresh();

    // The duration's upper bound follows the server's max (once known) and the engine's.
    effect(() => {
      const max = this.maxDuration();
      untracked(() => {
        const control = this.form.controls.duration;
        control.setValidators([Validators.required, Validators.min(1), Validators.max(max)]);
        if (this.serverMax() !== null && control.value > max) control.setValue(max);
        control.updateValueAndValidity({ emitEvent: false });
      });
    });

    // The number field and the slider show one value: above the max, both show the max.
    this.form.controls.duration.valueChanges.pipe(takeUntilDestroyed()).subscribe((value) => {
      const max = this.maxDuration();
      if (this.serverMax() !== null && typeof value === 'number' && value > max) {
        this.form.controls.duration.setValue(max);
        this.durationClamped.set(max);
      } else if (value !== this.durationClamped()) {
        this.durationClamped.set(null);
      }
    });

    // A prompt from the landing page's examples.
    effect(() => {
      const prompt = this.prompt();
      if (prompt) untracked(() => this.form.controls.prompt.setValue(prompt.slice(0, PROMPT_MAX_LENGTH)));
    });

    // A job to follow (after submitting, regenerating, or reloading the page).
    effect(() => {
      const id = this.job();
      if (id) untracked(() => void this.resume(id));
    });

    inject(DestroyRef).onDestroy(() => {
      this.watching?.subscription.unsubscribe();
      this.activeJobs.showing(null);
    });
  }

  protected addChip(words: string): void {
    const control = this.form.controls.prompt;
    control.setValue(addToPrompt(control.value, words).slice(0, PROMPT_MAX_LENGTH));
    control.markAsDirty();
  }

  protected useExample(example: string): void {
    this.form.controls.prompt.setValue(example);
  }

  protected setSeedMode(mode: SeedMode): void {
    this.form.controls.seedMode.setValue(mode);
    if (mode === 'fixed' && this.form.controls.seed.value === null) this.form.controls.seed.setValue(this.lastSeed() ?? Math.floor(Math.random() * 100000));
  }

  protected reuseSeed(): void {
    const seed = this.lastSeed();
    if (seed === null) return;
    this.form.patchValue({ seedMode: 'fixed', seed });
  }

  protected pickReference(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0] ?? null;
    this.referenceError.set(null);
    if (file) {
      const problem = referenceFileProblem(file);
      if (problem) {
        this.referenceError.set(this.transloco.translate(`generate.errors.${problem}`, { max: this.referenceMaxMb }));
        input.value = '';
        this.referenceFile.set(null);
        return;
      }
    }
    this.referenceFile.set(file);
  }

  protected clearReference(input: HTMLInputElement): void {
    input.value = '';
    this.referenceFile.set(null);
    this.referenceError.set(null);
  }

  /** Uploads the picked reference (POST /v1/references) and remembers its id; throws after showing why at the field. */
  private async uploadReference(file: File): Promise<string> {
    try {
      const reference = await this.api.uploadReference(file);
      this.uploadedReference = { file, id: reference.id };
      return reference.id;
    } catch (error) {
      const body = toErrorResponse(error);
      this.referenceError.set(body.code === 'payload_too_large' ? this.transloco.translate('generate.errors.referenceTooLarge', { max: this.referenceMaxMb }) : this.errorText.describe(body));
      focusFirstInvalid('reference');
      throw new ReferenceRefused();
    }
  }

  protected fieldError(name: keyof GenerateFormValue): string | null {
    const server = this.serverFieldErrors()[name];
    if (server) return server;
    const control = this.form.controls[name] as AbstractControl;
    if (!control.invalid || !(control.touched || control.dirty)) return null;
    const t = (key: string, params?: Record<string, unknown>) => this.transloco.translate(key, params);
    if (control.hasError('required') || control.hasError('blank')) return t(`generate.errors.${name}Required`);
    if (control.hasError('maxlength')) return t('generate.errors.promptOver', { max: PROMPT_MAX_LENGTH, n: this.promptOver() });
    if (control.hasError('max') && name === 'duration') return t('generate.errors.durationMax', { max: this.maxDuration() });
    if (control.hasError('min') || control.hasError('max') || control.hasError('integer')) return t(`generate.errors.${name}Range`, { max: name === 'seed' ? SEED_MAX : this.maxDuration() });
    return null;
  }

  protected async submit(): Promise<void> {
    this.form.markAllAsTouched();
    this.formError.set(null);
    this.serverFieldErrors.set({});
    if (this.form.invalid || this.active() || this.submitting()) {
      focusFirstInvalid();
      return;
    }
    const value = this.form.getRawValue();
    this.referenceError.set(null);
    this.current.set(null);
    this.submitting.set(true);
    this.revealProgress();
    let referenceId: string | null = null;
    try {
      // Uploaded once: submitting again (after a refusal) reuses it.
      const file = this.acceptsReference() ? this.referenceFile() : null;
      if (file) referenceId = this.uploadedReference?.file === file ? this.uploadedReference.id : await this.uploadReference(file);
      const job = await this.api.createGeneration(toCreateRequest(value, referenceId, this.acceptsLoop()));
      this.rememberSeed(job.params.seed);
      rememberSeedMode(job.job_id, value.seedMode);
      this.current.set(job);
      this.activeJobs.showing(job.job_id);
      this.activeJobs.follow(job);
      this.revealProgress();
      // The address names the job (a reload finds it again); the page stays where it is.
      await this.router.navigate([], { queryParams: { job: job.job_id, prompt: null }, replaceUrl: true, scroll: 'manual' });
      this.follow(job.job_id);
    } catch (error) {
      if (!(error instanceof ReferenceRefused)) this.showRequestError(error, referenceId);
    } finally {
      this.submitting.set(false);
    }
  }

  protected async cancel(): Promise<void> {
    const job = this.current();
    if (!job || !this.active()) return;
    this.canceling.set(true);
    try {
      this.current.set(await this.api.cancelGeneration(job.job_id));
    } catch {
      // the interceptor showed why; the stream still tells the outcome
    } finally {
      this.canceling.set(false);
    }
  }

  protected dismissJob(): void {
    this.current.set(null);
    this.activeJobs.showing(null);
    void this.router.navigate([], { queryParams: { job: null }, replaceUrl: true, scroll: 'manual' });
  }

  /** Brings the progress card into view once it is drawn (Create is often pressed with the form scrolled). */
  private revealProgress(): void {
    afterNextRender(
      () => {
        const card = this.progressCard()?.nativeElement;
        if (card) revealBetweenBars(card);
      },
      { injector: this.injector },
    );
  }

  private async resume(id: string): Promise<void> {
    if (this.watching?.id === id) return;
    try {
      const job = await this.api.generation(id);
      this.current.set(job);
      this.form.patchValue(formValueFromJob(job, readSeedMode(id)));
      if (isFinished(job.status)) this.settle(job, false);
      else {
        this.activeJobs.showing(id);
        this.activeJobs.follow(job);
        this.follow(id);
      }
    } catch {
      // the interceptor said why (e.g. not found)
    }
  }

  private follow(id: string): void {
    if (this.watching?.id === id) return;
    this.watching?.subscription.unsubscribe();
    const subscription = this.watcher.watch(id).subscribe({
      next: (job) => {
        this.current.set(job);
        if (isFinished(job.status)) this.settle(job, true);
      },
      error: () => this.formError.set(this.transloco.translate('generate.lostTrack')),
    });
    this.watching = { id, subscription };
  }

  /** A finished job: to the track on success; otherwise say why and keep the form. */
  private settle(job: GenerationResponse, live: boolean): void {
    if (job.status === 'succeeded' && job.track_ids.length) {
      if (live) void this.router.navigate(['/tracks', job.track_ids[0]]);
      return;
    }
    if (job.status === 'failed') {
      this.formError.set(jobFailureText(this.transloco, job));
    } else if (job.status === 'canceled' && live) {
      this.notifications.info(this.transloco.translate('generate.canceled'));
    }
  }

  private showRequestError(error: unknown, referenceId: string | null = null): void {
    const body = toErrorResponse(error);
    const message = this.errorText.describe(body);
    if (referenceId && (body.code === 'reference_not_supported' || body.code === 'reference_invalid' || body.code === 'not_found')) {
      // the reference is gone or unusable: upload it again next time
      this.uploadedReference = null;
      this.referenceError.set(body.code === 'not_found' ? this.transloco.translate('generate.errors.referenceGone') : message);
      focusFirstInvalid('reference');
      return;
    }
    const max = this.limits.learnFrom(error);
    if (max !== null) {
      this.serverFieldErrors.set({ duration: message });
      this.form.controls.duration.markAsTouched();
      focusFirstInvalid('duration');
      return;
    }
    const fields = fieldErrors(body);
    const mapped: Record<string, string> = {};
    for (const [field, messages] of Object.entries(fields)) mapped[field.split('.')[0]] = messages.join(' ');
    if (body.code === 'prompt_blocked') mapped['prompt'] = message;
    if (Object.keys(mapped).length) this.serverFieldErrors.set(mapped);
    else this.formError.set(message);
  }

  private rememberSeed(seed: number): void {
    this.lastSeed.set(seed);
    try {
      globalThis.localStorage?.setItem(LAST_SEED_KEY, String(seed));
    } catch {
      // not remembered across visits
    }
  }
}

/** The reference upload was refused; its field already says why. */
class ReferenceRefused extends Error {}

function notBlank(control: AbstractControl<string>): ValidationErrors | null {
  return typeof control.value === 'string' && control.value.trim() === '' && control.value !== '' ? { blank: true } : null;
}

function integer(control: AbstractControl<number | null>): ValidationErrors | null {
  return control.value === null || Number.isInteger(control.value) ? null : { integer: true };
}

/** The gap kept between a revealed element and the header or player bar. */
const REVEAL_MARGIN_PX = 12;

/**
 * Scrolls the least needed for `element` to be seen whole between the sticky header and
 * the docked player bar (what `scrollIntoView` cannot know: they cover part of the window).
 */
export function revealBetweenBars(element: HTMLElement, doc: Document = document): void {
  const view = doc.defaultView;
  if (!view) return;
  const box = element.getBoundingClientRect();
  if (box.height === 0) return; // not laid out (yet)
  const top = (doc.querySelector('.site-header')?.getBoundingClientRect().bottom ?? 0) + REVEAL_MARGIN_PX;
  const bottom = (doc.querySelector('[data-testid="player-bar"]')?.getBoundingClientRect().top ?? view.innerHeight) - REVEAL_MARGIN_PX;
  if (box.top < top) view.scrollBy({ top: box.top - top, behavior: 'instant' });
  else if (box.bottom > bottom) view.scrollBy({ top: Math.min(box.bottom - bottom, box.top - top), behavior: 'instant' });
}

function rememberSeedMode(jobId: string, mode: SeedMode): void {
  try {
    globalThis.sessionStorage?.setItem(SEED_MODE_KEY + jobId, mode);
  } catch {
    // a reload shows Random, the safe choice
  }
}

/** How the seed was chosen for a job created in this tab; Random when not known (a new seed each time is the safe default). */
function readSeedMode(jobId: string): SeedMode {
  try {
    return globalThis.sessionStorage?.getItem(SEED_MODE_KEY + jobId) === 'fixed' ? 'fixed' : 'random';
  } catch {
    return 'random';
  }
}

function readLastSeed(): number | null {
  try {
    const raw = globalThis.localStorage?.getItem(LAST_SEED_KEY);
    const value = raw === null || raw === undefined ? NaN : Number(raw);
    return Number.isInteger(value) ? value : null;
  } catch {
    return null;
  }
}

function focusFirstInvalid(id?: string): void {
  setTimeout(() => {
    const target = id ? document.getElementById(id) : document.querySelector<HTMLElement>('form [aria-invalid="true"]');
    target?.focus();
  });
}
