import { TestBed } from '@angular/core/testing';
import { appTestProviders, translocoTesting } from '../../testing';
import { AuthStore } from './auth';
import { PlaybackSettings } from './loudness';
import { PLAYER_STORAGE_KEY, Player, describeContext, fromLibraryItem, fromSharedTrack, moved, shuffled, type PlayContext, type QueueTrack } from './player';

const tracks: QueueTrack[] = ['a', 'b', 'c', 'd'].map((id) => ({ id, title: `Track ${id}`, duration: 10, audio_url: `/v1/stream/${id}`, peaks_url: null, link: `/tracks/${id}` }));
const playlist: PlayContext = { kind: 'playlist', key: 'p1', label: 'Focus', link: '/playlists/p1' };
const user = { id: 'u1', email: 'a@b.c', role: 'user' as const, isGuest: false, createdAt: '', displayName: null };

describe('the global player', () => {
  let player: Player;
  const ids = () => player.queue().map((t) => t.id);
  const src = () => player.media.getAttribute('src');
  const fire = (type: string) => player.media.dispatchEvent(new Event(type));
  const make = () => {
    TestBed.configureTestingModule({ imports: [translocoTesting], providers: appTestProviders() });
    TestBed.inject(AuthStore).user.set(user);
    player = TestBed.inject(Player);
    TestBed.tick();
  };

  beforeEach(() => {
    localStorage.clear();
    make();
  });
  afterEach(() => TestBed.resetTestingModule());

  it('plays a context from the chosen track, through one audio element in the page', () => {
    const play = jest.spyOn(player.media, 'play');
    player.playContext(playlist, tracks, 'b');
    expect(ids()).toEqual(['a', 'b', 'c', 'd']);
    expect(player.current()?.id).toBe('b');
    expect(src()).toBe('/v1/stream/b');
    expect(play).toHaveBeenCalled();
    expect(document.querySelectorAll('audio[data-testid="player-audio"]')).toHaveLength(1);
    expect(player.upNext().map((t) => t.id)).toEqual(['c', 'd']);
  });

  it('shows a renamed track’s new title, in the bar and in the queue', () => {
    player.playContext(playlist, tracks, 'b');
    player.renamed('b', 'Harbour lights');
    player.renamed('c', 'Tide');
    expect(player.current()?.title).toBe('Harbour lights');
    expect(player.queue().map((t) => t.title)).toEqual([tracks[0].title, 'Harbour lights', 'Tide', tracks[3].title]);
    player.renamed('zzz', 'nothing');
    expect(player.queue().find((t) => t.id === 'b')?.title).toBe('Harbour lights');
  });

  it('goes to the next and previous track, restarting a track that has played a while', () => {
    player.playContext(playlist, tracks, 'a');
    fire('play');
    player.next();
    expect(player.current()?.id).toBe('b');
    player.previous();
    expect(player.current()?.id).toBe('a');
    player.previous(); // the first: starts again
    expect(player.current()?.id).toBe('a');
    player.next();
    player.media.currentTime = 5;
    player.previous();
    expect(player.current()?.id).toBe('b');
    expect(player.time()).toBe(0);
  });

  it('moves on when a track ends, stops after the last, and repeats all or one', () => {
    player.playContext(playlist, tracks.slice(0, 2), 'a');
    fire('ended');
    expect(player.current()?.id).toBe('b');
    fire('ended');
    expect(player.current()?.id).toBe('b'); // repeat off: the end
    expect(player.hasNext()).toBe(false);
    player.cycleRepeat();
    expect(player.repeat()).toBe('all');
    expect(player.hasNext()).toBe(true);
    fire('ended');
    expect(player.current()?.id).toBe('a');
    player.cycleRepeat();
    expect(player.repeat()).toBe('one');
    const play = jest.spyOn(player.media, 'play');
    player.media.currentTime = 9.9;
    fire('ended');
    expect(player.current()?.id).toBe('a');
    expect(player.media.currentTime).toBe(0);
    expect(play).toHaveBeenCalled();
    player.cycleRepeat();
    expect(player.repeat()).toBe('off');
  });

  it('repeats a loop track through the element itself under repeat-one, or when it is the whole queue', () => {
    const loop: QueueTrack = { ...tracks[0], id: 'l', loop: true };
    player.playContext(playlist, [loop, tracks[1]], 'l');
    TestBed.tick();
    expect(player.media.loop).toBe(false);
    player.cycleRepeat();
    player.cycleRepeat();
    expect(player.repeat()).toBe('one');
    TestBed.tick();
    expect(player.media.loop).toBe(true);
    player.next();
    TestBed.tick();
    expect(player.media.loop).toBe(false); // not a loop
    player.cycleRepeat();
    player.playContext({ kind: 'track', key: 'l', label: '', link: '/tracks/l' }, [loop], 'l');
    TestBed.tick();
    expect(player.repeat()).toBe('off');
    expect(player.media.loop).toBe(true);
    player.playContext(playlist, [tracks[0]], 'a');
    TestBed.tick();
    expect(player.media.loop).toBe(false);
    const item = { id: 'a', title: 'A', duration: 8, audio_url: '/v1/stream/a', peaks_url: null, loudness: null };
    expect(fromLibraryItem({ ...item, loop: true }).loop).toBe(true);
    expect(fromLibraryItem(item)).not.toHaveProperty('loop');
  });

  it('shuffles what follows the current track, and turns back to the context’s order', () => {
    player.playContext(playlist, tracks, 'b');
    player.toggleShuffle();
    expect(player.shuffle()).toBe(true);
    expect(player.current()?.id).toBe('b');
    expect(player.index()).toBe(0);
    expect([...ids()].sort()).toEqual(['a', 'b', 'c', 'd']);
    player.next();
    const now = player.current()!.id;
    player.toggleShuffle();
    expect(ids()).toEqual(['a', 'b', 'c', 'd']);
    expect(player.current()?.id).toBe(now);
    // With shuffle on, a context starts with the chosen track and shuffles the rest.
    player.toggleShuffle();
    player.playContext(playlist, tracks, 'd');
    expect(ids()[0]).toBe('d');
    expect([...ids()].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reorders, removes and clears what plays next', () => {
    player.playContext(playlist, tracks, 'b');
    player.move(3, 2);
    expect(ids()).toEqual(['a', 'b', 'd', 'c']);
    expect(player.current()?.id).toBe('b');
    player.removeAt(0);
    expect(ids()).toEqual(['b', 'd', 'c']);
    expect(player.index()).toBe(0);
    player.clearUpcoming();
    expect(ids()).toEqual(['b']);
    player.forget('b');
    expect(player.current()).toBeNull();
  });

  it('follows a playlist that changed while it plays', () => {
    player.playContext(playlist, tracks, 'b');
    player.syncContext({ kind: 'playlist', key: 'p1' }, [tracks[3], tracks[1], tracks[0]]);
    expect(ids()).toEqual(['d', 'b', 'a']);
    expect(player.current()?.id).toBe('b');
    player.syncContext({ kind: 'playlist', key: 'other' }, [tracks[0]]);
    expect(ids()).toEqual(['d', 'b', 'a']);
  });

  it('keeps the queue, the place and the settings across a reload, for the same account', async () => {
    player.playContext(playlist, tracks, 'c');
    player.cycleRepeat();
    player.setVolume(0.4);
    player.media.currentTime = 4.2;
    fire('pause');
    TestBed.tick();
    const saved = JSON.parse(localStorage.getItem(PLAYER_STORAGE_KEY)!);
    expect(saved).toMatchObject({ owner: 'u1', index: 2, position: 4.2, repeat: 'all', volume: 0.4, context: playlist });

    TestBed.resetTestingModule();
    make();
    await Promise.resolve();
    expect(player.current()?.id).toBe('c');
    expect(ids()).toEqual(['a', 'b', 'c', 'd']);
    expect(player.time()).toBe(4.2);
    expect(player.repeat()).toBe('all');
    expect(player.volume()).toBe(0.4);
    expect(player.playing()).toBe(false);
    expect(src()).toBe('/v1/stream/c');
  });

  describe('loudness normalization', () => {
    // −8 LUFS: 6 dB over the −14 target; −20 LUFS: 6 dB under it; unmeasured: null
    const levelled: QueueTrack[] = [
      { ...tracks[0], loudness: { integrated_lufs: -8, true_peak_dbtp: -0.5, range_lu: 4 } },
      { ...tracks[1], loudness: { integrated_lufs: -20, true_peak_dbtp: -6, range_lu: 4 } },
      { ...tracks[2], loudness: null },
    ];
    const minus6dB = Math.pow(10, -6 / 20);

    it('turns a loud track down to −14 LUFS on top of the listener’s volume; the element plays quiet and unmeasured ones at it', () => {
      player.setVolume(0.8);
      player.playContext(playlist, levelled, 'a');
      expect(player.gain()).toBeCloseTo(minus6dB, 6);
      expect(player.media.volume).toBeCloseTo(0.8 * minus6dB, 6);
      expect(player.volume()).toBe(0.8); // the slider shows the listener's volume
      player.next();
      expect(player.media.volume).toBeCloseTo(0.8, 6);
      player.next();
      expect(player.media.volume).toBeCloseTo(0.8, 6);
      player.previous();
      player.previous();
      player.setVolume(0.5);
      expect(player.media.volume).toBeCloseTo(0.5 * minus6dB, 6);
      fire('volumechange'); // the element reporting its own (levelled) volume does not move the slider
      expect(player.volume()).toBe(0.5);
    });

    it('plays at the listener’s volume once the setting is turned off, and levels again when it is turned on', () => {
      player.setVolume(0.8);
      player.playContext(playlist, levelled, 'a');
      TestBed.inject(PlaybackSettings).setNormalizeLoudness(false);
      TestBed.tick();
      expect(player.gain()).toBe(1);
      expect(player.media.volume).toBeCloseTo(0.8, 6);
      TestBed.inject(PlaybackSettings).setNormalizeLoudness(true);
      TestBed.tick();
      expect(player.media.volume).toBeCloseTo(0.8 * minus6dB, 6);
    });

    it('lifts a quiet track to −14 LUFS through a Web Audio gain, the element playing at the listener’s volume', async () => {
      const gains: number[] = [];
      class FakeContext {
        state = 'running';
        currentTime = 0;
        destination = {};
        resume = async () => undefined;
        createMediaElementSource = () => ({ connect: () => undefined });
        createGain = () => ({ gain: { setTargetAtTime: (value: number) => gains.push(value) }, connect: () => undefined });
      }
      const fetch = jest.fn(async () => ({ type: 'basic', ok: true, body: null }));
      Object.assign(window, { AudioContext: FakeContext, fetch });
      try {
        player.setVolume(0.8);
        player.playContext(playlist, levelled, 'b'); // −20 LUFS, −6 dBTP: +6 dB
        await new Promise((resolve) => setTimeout(resolve, 0));
        expect(player.gain()).toBeCloseTo(1 / minus6dB, 6);
        expect(player.media.volume).toBeCloseTo(0.8, 6);
        expect(fetch).toHaveBeenCalledTimes(1);
        expect(gains.at(-1)).toBeCloseTo(1 / minus6dB, 6);
        player.previous(); // −8 LUFS: turned down by the volume, no boost
        expect(player.media.volume).toBeCloseTo(0.8 * minus6dB, 6);
        expect(gains.at(-1)).toBe(1);
        player.next();
        TestBed.inject(PlaybackSettings).setNormalizeLoudness(false);
        TestBed.tick();
        expect(gains.at(-1)).toBe(1);
        expect(player.media.volume).toBeCloseTo(0.8, 6);
      } finally {
        delete (window as { AudioContext?: unknown }).AudioContext;
        delete (window as { fetch?: unknown }).fetch;
      }
    });

    it('keeps the loudness (and the loop flag) of library, playlist and shared-playlist tracks in the queue', () => {
      const loudness = { integrated_lufs: -9.5, true_peak_dbtp: -1, range_lu: 3 };
      const item = { id: 'x', title: 'X', duration: 3, audio_url: '/v1/stream/x', peaks_url: null, loudness };
      expect(fromLibraryItem(item).loudness).toEqual(loudness);
      const shared = { ...item, prompt_raw: 'x', download_url: null };
      expect(fromSharedTrack(shared).loudness).toEqual(loudness);
      expect(fromSharedTrack(shared)).not.toHaveProperty('loop');
      expect(fromSharedTrack({ ...shared, loop: true }).loop).toBe(true);
      expect(fromLibraryItem({ ...item, loudness: null }).loudness).toBeNull();
    });
  });

  it('does not restore another account’s queue, and stops when the session ends', async () => {
    player.playContext(playlist, tracks, 'c');
    fire('pause');
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ imports: [translocoTesting], providers: appTestProviders() });
    TestBed.inject(AuthStore).user.set({ ...user, id: 'u2' });
    player = TestBed.inject(Player);
    await Promise.resolve();
    expect(player.current()).toBeNull();

    player.playContext(playlist, tracks, 'a');
    TestBed.tick();
    const pause = jest.spyOn(player.media, 'pause');
    TestBed.inject(AuthStore).signedOut();
    TestBed.tick();
    expect(pause).toHaveBeenCalled();
  });

  it('names where the queue comes from', () => {
    const t = (key: string, params?: Record<string, unknown>) => (params ? `${key}:${JSON.stringify(params)}` : key);
    expect(describeContext({ kind: 'library', key: '', label: '', link: null }, t)).toBe('player.context.library');
    expect(describeContext({ kind: 'library', key: 'piano', label: 'piano', link: null }, t)).toBe('player.context.librarySearch:{"q":"piano"}');
    expect(describeContext(playlist, t)).toBe('Focus');
  });

  it('moves and shuffles lists', () => {
    expect(moved([1, 2, 3, 4], 0, 2)).toEqual([2, 3, 1, 4]);
    expect(moved([1, 2, 3], 2, 0)).toEqual([3, 1, 2]);
    expect(moved([1, 2], 0, 5)).toEqual([1, 2]);
    const values = [0.9, 0.1, 0.5];
    expect(shuffled([1, 2, 3, 4], () => values.shift() ?? 0)).toEqual([3, 2, 1, 4]);
  });
});
