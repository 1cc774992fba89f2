import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { LibraryItem } from '@texttune/contracts';
import { appTestProviders, track, translocoTesting } from '../../../testing';
import { LibraryStore, groupTakes } from './library-store';

const item = (id: string): LibraryItem => {
  const { id: _id, params: _p, engine_meta: _m, channels: _c, size_bytes: _s, renditions: _r, peaks: _k, sibling_ids: _i, ...rest } = track({ id });
  return { ...rest, id };
};

describe('LibraryStore', () => {
  let store: LibraryStore;
  let backend: HttpTestingController;
  beforeEach(() => {
    TestBed.configureTestingModule({ imports: [translocoTesting], providers: [...appTestProviders(), LibraryStore] });
    store = TestBed.inject(LibraryStore);
    backend = TestBed.inject(HttpTestingController);
  });
  afterEach(() => backend.verify());

  it('loads pages with the cursor until there are no more', async () => {
    const first = store.search('');
    backend.expectOne('/v1/library?limit=20').flush({ items: [item('a'), item('b')], next_cursor: 'c1' });
    await first;
    expect(store.items().map((i) => i.id)).toEqual(['a', 'b']);
    expect(store.hasMore()).toBe(true);
    const second = store.more();
    void store.more(); // ignored while a page is on its way
    backend.expectOne('/v1/library?limit=20&cursor=c1').flush({ items: [item('b'), item('c')], next_cursor: null });
    await second;
    expect(store.items().map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(store.hasMore()).toBe(false);
    await store.more();
  });

  it('lets a newer search win over an older answer', async () => {
    const older = store.search('pia');
    const newer = store.search('piano');
    const [oldReq, newReq] = backend.match((r) => r.url === '/v1/library');
    newReq.flush({ items: [item('p')], next_cursor: null });
    oldReq.flush({ items: [item('x'), item('y')], next_cursor: 'z' });
    await Promise.all([older, newer]);
    expect(oldReq.request.params.get('q')).toBe('pia');
    expect(store.query()).toBe('piano');
    expect(store.items().map((i) => i.id)).toEqual(['p']);
    expect(store.hasMore()).toBe(false);
  });

  it('keeps the takes of one request together, in take order, across pages', async () => {
    const take = (id: string, job: string | null, n: number) => ({ ...item(id), job_id: job, take_index: n });
    const first = store.search('');
    backend.expectOne('/v1/library?limit=20').flush({ items: [take('x', 'j2', 0), take('b', 'j1', 1), take('c', 'j1', 2), take('d', 'j1', 3)], next_cursor: 'c1' });
    await first;
    expect(store.items().map((i) => i.id)).toEqual(['x', 'b', 'c', 'd']);
    const second = store.more();
    backend.expectOne('/v1/library?limit=20&cursor=c1').flush({ items: [take('a', 'j1', 0), take('o', null, 0)], next_cursor: null });
    await second;
    expect(store.items().map((i) => i.id)).toEqual(['x', 'a', 'b', 'c', 'd', 'o']);
    store.prepend([take('n2', 'j3', 1), take('n1', 'j3', 0)]);
    expect(store.items().map((i) => i.id)).toEqual(['n1', 'n2', 'x', 'a', 'b', 'c', 'd', 'o']);
    expect(groupTakes([])).toEqual([]);
  });

  it('removes a deleted item', async () => {
    const first = store.search('');
    backend.expectOne('/v1/library?limit=20').flush({ items: [item('a'), item('b')], next_cursor: null });
    await first;
    store.remove('a');
    expect(store.items().map((i) => i.id)).toEqual(['b']);
  });
});
