import { HttpClient, HttpContext } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { appTestProviders, translocoTesting } from '../../testing';
import { AuthStore } from './auth';
import { ERRORS_HANDLED_BY_CALLER } from './http-context';
import { Notifications } from './notifications';

@Component({ template: '' })
class Blank {}

describe('API interceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let router: Router;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [translocoTesting],
      providers: appTestProviders([
        { path: 'library', component: Blank },
        { path: 'signin', component: Blank },
      ]),
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    await router.navigateByUrl('/library?q=piano');
  });
  afterEach(() => backend.verify());

  it('on 401 forgets the user and goes to sign-in, returning to the page afterwards', async () => {
    TestBed.inject(AuthStore).user.set({ id: 'u', email: 'a@b.c', role: 'user', isGuest: false, createdAt: '', displayName: null });
    const call = firstValueFrom(http.get('/v1/library'));
    backend.expectOne('/v1/library').flush({ statusCode: 401, code: 'unauthorized', message: 'Sign in first.' }, { status: 401, statusText: 'Unauthorized' });
    await expect(call).rejects.toBeTruthy();
    await new Promise((r) => setTimeout(r));
    expect(TestBed.inject(AuthStore).user()).toBeNull();
    expect(router.url).toBe('/signin?returnUrl=%2Flibrary%3Fq%3Dpiano&expired=1');
    expect(TestBed.inject(Notifications).notices()).toEqual([]);
  });

  it("shows the server's message for other errors", async () => {
    const call = firstValueFrom(http.delete('/v1/library/x'));
    backend.expectOne('/v1/library/x').flush({ statusCode: 404, code: 'not_found', message: 'There is no track x.' }, { status: 404, statusText: 'Not Found' });
    await expect(call).rejects.toBeTruthy();
    expect(TestBed.inject(Notifications).notices().map((n) => [n.kind, n.text])).toEqual([['error', 'There is no track x.']]);
    expect(router.url).toBe('/library?q=piano');
  });

  it('leaves errors the caller shows itself alone', async () => {
    const call = firstValueFrom(http.post('/v1/generations', {}, { context: new HttpContext().set(ERRORS_HANDLED_BY_CALLER, true) }));
    backend.expectOne('/v1/generations').flush({ statusCode: 400, code: 'duration_too_long', message: 'duration must be at most 12 seconds on this server.', details: { max: 12 } }, { status: 400, statusText: 'Bad Request' });
    await expect(call).rejects.toBeTruthy();
    expect(TestBed.inject(Notifications).notices()).toEqual([]);
  });
});
