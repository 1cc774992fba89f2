import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { appTestProviders, translocoTesting } from '../../../testing';
import { Player, type PlayContext, type QueueTrack } from '../../core/player';
import { PlayerBar } from './player-bar';

const tracks: QueueTrack[] = ['a', 'b', 'c'].map((id) => ({ id, title: `Track ${id}`, duration: 65, audio_url: `/v1/stream/${id}`, peaks_url: `/v1/tracks/${id}/peaks`, link: `/tracks/${id}` }));
const context: PlayContext = { kind: 'playlist', key: 'p1', label: 'Focus', link: '/playlists/p1' };

describe('PlayerBar', () => {
  let fixture: ComponentFixture<PlayerBar>;
  let player: Player;
  let el: HTMLElement;
  const settle = async () => {
    await fixture.whenStable();
    fixture.detectChanges();
  };
  const button = (label: string) => el.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`)!;
  const upcoming = () => [...el.querySelectorAll('#player-queue li')].map((li) => li.getAttribute('data-track-id'));

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({ imports: [PlayerBar, translocoTesting], providers: appTestProviders([{ path: '**', children: [] }]) });
    player = TestBed.inject(Player);
    player.playContext(context, tracks, 'a');
    fixture = TestBed.createComponent(PlayerBar);
    el = fixture.nativeElement;
    fixture.detectChanges();
    TestBed.inject(HttpTestingController).expectOne('/v1/tracks/a/peaks').flush({ peaks: [-1, 1, -0.5, 0.5] });
    await settle();
  });

  it('shows the current track, where it comes from, and its place', () => {
    expect(el.querySelector('[data-testid="player-title"]')!.textContent).toBe('Track a');
    expect(el.querySelector('.from')!.textContent!.trim()).toBe('Focus');
    expect(el.querySelector('[role="slider"]')!.getAttribute('aria-valuetext')).toBe('0:00 / 1:05');
  });

  it('plays the next and previous track, and toggles shuffle and repeat', async () => {
    button('Next track').click();
    await settle();
    TestBed.inject(HttpTestingController).expectOne('/v1/tracks/b/peaks').flush({ peaks: [] });
    expect(el.querySelector('[data-testid="player-title"]')!.textContent).toBe('Track b');
    button('Previous track').click();
    await settle();
    expect(player.current()?.id).toBe('a');
    el.querySelector<HTMLButtonElement>('[data-testid="repeat"]')!.click();
    await settle();
    expect(el.querySelector('[data-testid="repeat"]')!.getAttribute('aria-label')).toBe('Repeat: all');
    button('Shuffle').click();
    await settle();
    expect(button('Shuffle').getAttribute('aria-pressed')).toBe('true');
  });

  it('opens the queue: move up/down with the keyboard, remove, clear', async () => {
    button('Queue').click();
    await settle();
    expect(el.querySelector('#player-queue')!.hasAttribute('hidden')).toBe(false);
    expect(upcoming()).toEqual(['b', 'c']);
    button('Move Track c up').click();
    await settle();
    expect(upcoming()).toEqual(['c', 'b']);
    expect(el.querySelector('.bar > [role="status"]')!.textContent).toBe('“Track c” is now number 1 in next up.');
    button('Remove Track b from the queue').click();
    await settle();
    expect(upcoming()).toEqual(['c']);
    [...el.querySelectorAll<HTMLButtonElement>('#player-queue button')].find((b) => b.textContent!.trim() === 'Clear')!.click();
    await settle();
    expect(upcoming()).toEqual([]);
    expect(el.querySelector('#player-queue')!.textContent).toContain('Nothing plays after this track.');
    expect(player.current()?.id).toBe('a');
  });

  it('closes: the music stops and the queue is forgotten', async () => {
    button('Close the player').click();
    await settle();
    expect(player.current()).toBeNull();
    expect(el.querySelector('[data-testid="player-bar"]')).toBeNull();
  });
});
