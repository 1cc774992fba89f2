import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { settled, translocoTesting } from '../../testing';
import { Notifications } from '../core/notifications';
import { ShownOnceSecret } from './shown-once-secret';

/** A page showing a secret the way the tokens and webhooks pages do. */
@Component({
  imports: [ShownOnceSecret],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (secret(); as value) {
      <tt-shown-once-secret inputId="demo-secret" [value]="value" label="Demo secret" heading="Your new secret" warning="Shown only this once." hint="Send it along:" copiedMessage="Secret copied." (dismissed)="dismissals = dismissals + 1; secret.set(null)">
        <code>X-Demo: …</code>
      </tt-shown-once-secret>
    }
  `,
})
class DemoPage {
  readonly secret = signal<string | null>('sec_first');
  dismissals = 0;
}

describe('ShownOnceSecret', () => {
  let fixture: ComponentFixture<DemoPage>;
  let el: HTMLElement;
  const field = () => el.querySelector<HTMLInputElement>('#demo-secret')!;
  const button = (text: string) => [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent!.trim() === text);
  const notices = () => TestBed.inject(Notifications).notices().map((n) => n.text);
  const selected = (input: HTMLInputElement) => input.value.slice(input.selectionStart ?? 0, input.selectionEnd ?? 0);
  let writeText: jest.Mock;

  beforeEach(async () => {
    writeText = jest.fn().mockResolvedValue(undefined);
    Object.assign(navigator, { clipboard: { writeText } });
    TestBed.configureTestingModule({ imports: [DemoPage, translocoTesting] });
    fixture = TestBed.createComponent(DemoPage);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settled(fixture);
  });

  it('shows the secret in a labelled read-only field, selected, with the page’s texts', () => {
    expect(field().value).toBe('sec_first');
    expect(field().readOnly).toBe(true);
    expect(el.querySelector(`label[for="demo-secret"]`)!.textContent).toBe('Demo secret');
    expect(selected(field())).toBe('sec_first');
    const section = el.querySelector('section')!;
    expect(el.querySelector(`#${section.getAttribute('aria-labelledby')}`)!.textContent).toBe('Your new secret');
    expect(el.querySelector('.warning')!.textContent).toBe('Shown only this once.');
    expect(el.querySelector('.hint')!.textContent!.trim()).toBe('Send it along: X-Demo: …');
  });

  it('copies the secret, says so, and a new secret starts uncopied and selected', async () => {
    button('Copy')!.click();
    await settled(fixture);
    expect(writeText).toHaveBeenCalledWith('sec_first');
    expect(button('Copied')).toBeDefined();
    expect(notices()).toEqual(['Secret copied.']);

    fixture.componentInstance.secret.set('sec_second');
    await settled(fixture);
    expect(field().value).toBe('sec_second');
    expect(selected(field())).toBe('sec_second');
    expect(button('Copy')).toBeDefined();
  });

  it('selects the secret for copying by hand when the browser refuses the clipboard', async () => {
    writeText.mockRejectedValue(new DOMException('Write permission denied.', 'NotAllowedError'));
    field().setSelectionRange(0, 0);
    (document.activeElement as HTMLElement | null)?.blur();
    button('Copy')!.click();
    await settled(fixture);
    expect(writeText).toHaveBeenCalledWith('sec_first');
    expect(document.activeElement).toBe(field());
    expect(selected(field())).toBe('sec_first');
    expect(button('Copied')).toBeUndefined();
    expect(notices()).toEqual([]);
  });

  it('tells the page when the person is done', async () => {
    button('Done')!.click();
    await settled(fixture);
    expect(fixture.componentInstance.dismissals).toBe(1);
    expect(el.querySelector('#demo-secret')).toBeNull();
  });
});
