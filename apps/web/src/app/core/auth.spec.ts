import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { appTestProviders, translocoTesting } from '../../testing';
import { AuthStore } from './auth';
import { Notifications } from './notifications';

const me = { id: 'u1', email: 'a@b.c', displayName: null, role: 'user', isGuest: false, createdAt: '' };

describe('AuthStore', () => {
  let auth: AuthStore;
  let backend: HttpTestingController;
  beforeEach(() => {
    TestBed.configureTestingModule({ imports: [translocoTesting], providers: appTestProviders() });
    auth = TestBed.inject(AuthStore);
    backend = TestBed.inject(HttpTestingController);
  });
  afterEach(() => backend.verify());

  it('learns that nobody is signed in from a 200 (no failing request), once', async () => {
    const first = auth.ensure();
    const again = auth.ensure();
    backend.expectOne('/v1/auth/session').flush({ user: null });
    expect(await first).toBeNull();
    expect(await again).toBeNull();
    expect(auth.user()).toBeNull();
    expect(await auth.ensure()).toBeNull();
    expect(TestBed.inject(Notifications).notices()).toEqual([]);
  });

  it('learns who is signed in', async () => {
    const who = auth.ensure();
    backend.expectOne('/v1/auth/session').flush({ user: me });
    expect(await who).toEqual(me);
    expect(auth.signedIn()).toBe(true);
  });
});
