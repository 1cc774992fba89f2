import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { SeekSlider } from './seek-slider';

@Component({
  imports: [SeekSlider],
  template: `<div ttSeekSlider aria-label="Position" [time]="time()" [total]="4" (seekTo)="sought.push($event)"></div>`,
})
class Host {
  readonly time = signal(0);
  readonly sought: number[] = [];
}

describe('the waveform as a seek slider', () => {
  const press = (el: HTMLElement, key: string) => el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));

  it('adds up key presses that come faster than the page re-renders, then follows the player again', () => {
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    const slider = fixture.nativeElement.querySelector('[role="slider"]') as HTMLElement;
    // A 4 s track steps 0.5 s a press; no render between the two presses.
    press(slider, 'ArrowRight');
    press(slider, 'ArrowRight');
    expect(fixture.componentInstance.sought).toEqual([0.5, 1]);
    // The player moved elsewhere meanwhile: the next press starts from there.
    fixture.componentInstance.time.set(3);
    fixture.detectChanges();
    press(slider, 'ArrowLeft');
    expect(fixture.componentInstance.sought).toEqual([0.5, 1, 2.5]);
    expect(slider.getAttribute('aria-valuenow')).toBe('3');
  });
});
