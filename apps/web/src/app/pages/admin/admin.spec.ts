import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { AdminEngineListResponse, AdminJob, AdminUser, AuditEntry } from '@texttune/contracts';
import { createPage, job, settled } from '../../../testing';
import { AuthStore } from '../../core/auth';
import { AdminPage } from './admin';
import { describeDetails } from './admin-audit';

const overview: AdminEngineListResponse = {
  items: [
    {
      id: 'offline',
      kind: 'offline',
      label: 'TextTune offline composer',
      ready: true,
      reason: null,
      default: true,
      supports: { samplingParams: [], referenceAudio: false, needsEnglish: false, maxDurationSeconds: null },
      details: {},
      stats: { windowHours: 24, jobs: { queued: 1, running: 0, succeeded: 5, failed: 1, canceled: 0 }, latency: { avgSeconds: 1, p50Seconds: 0.8, p95Seconds: 1.6, maxSeconds: 2 }, secondsPerAudioSecond: 0.1, errors: [{ code: 'engine_error', count: 1, lastAt: '', lastMessage: 'boom' }] },
    },
  ],
  queue: { driver: 'in-process', waiting: 3, active: 1, delayed: 0 },
};
const failed: AdminJob = { ...job({ status: 'failed', job_id: 'j9', error: { code: 'engine_error', message: 'The engine crashed.' } }), user: { id: 'u2', email: 'ana@example.com' }, attempts: 3 };

describe('AdminPage', () => {
  let fixture: ComponentFixture<AdminPage>;
  let backend: HttpTestingController;
  let el: HTMLElement;
  const settle = () => settled(fixture);
  const answer = () => {
    backend.expectOne('/v1/admin/engines').flush(overview);
    backend.expectOne('/v1/admin/jobs?status=failed&limit=15').flush({ items: [failed], next_cursor: null });
  };

  beforeEach(async () => {
    ({ fixture, backend, el } = createPage(AdminPage));
    fixture.detectChanges();
    await fixture.whenStable();
    answer();
    await settle();
  });
  afterEach(() => backend.verify());

  it('shows the queue depth, the engines with their numbers, and recent failures', () => {
    expect(el.querySelector('[data-testid="queue-waiting"]')!.textContent).toBe('3');
    expect(el.querySelector('tbody')!.textContent).toContain('TextTune offline composer');
    expect(el.querySelector('tbody')!.textContent).toContain('p95 1.6 s');
    expect(el.querySelector('tbody')!.textContent).toContain('engine_error × 1');
    expect(el.querySelector('.failures')!.textContent).toContain('The engine crashed.');
    expect(el.querySelector('.failures')!.textContent).toContain('ana@example.com');
  });

  it('retries a failed job and refreshes', async () => {
    [...el.querySelectorAll<HTMLButtonElement>('.failures button')].find((b) => b.textContent!.includes('Retry'))!.click();
    backend.expectOne('/v1/admin/jobs/j9/retry').flush({ ...failed, status: 'queued' });
    await settle();
    answer();
    await settle();
  });
});

const adminUser = (overrides: Partial<AdminUser> = {}): AdminUser => ({
  id: 'u2',
  email: 'ana@example.com',
  displayName: 'Ana',
  role: 'user',
  roleFromConfig: false,
  isGuest: false,
  disabled: false,
  disabledAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastSignInAt: null,
  sso: [],
  usage: { tracks: 4, audioSecondsToday: 20, activeJobs: 0 },
  quota: { dailySeconds: null, maxActiveJobs: null },
  effectiveQuota: { dailySeconds: 600, maxActiveJobs: 2 },
  ...overrides,
});

describe('AdminPage, users and audit log', () => {
  let fixture: ComponentFixture<AdminPage>;
  let backend: HttpTestingController;
  let el: HTMLElement;
  const settle = () => settled(fixture);
  const open = async (tab: string) => {
    ({ fixture, backend, el } = createPage(AdminPage, { tab }, () => TestBed.inject(AuthStore).user.set({ id: 'me', email: 'admin@example.com', displayName: null, role: 'admin', isGuest: false, createdAt: '' })));
    fixture.detectChanges();
    await settle();
  };
  afterEach(() => backend.verify());

  it('lists users with usage and limits, and changes a role', async () => {
    await open('users');
    backend.expectOne('/v1/admin/users?limit=50').flush({ items: [adminUser(), adminUser({ id: 'me', email: 'admin@example.com', role: 'admin', roleFromConfig: true })], nextCursor: null });
    await settle();
    const row = el.querySelector('[data-user-id="u2"]')!;
    expect(row.textContent).toContain('4 tracks');
    expect(row.textContent).toContain('600 s a day');
    expect(el.querySelector<HTMLSelectElement>('#role-me')!.disabled).toBe(true); // not oneself, and set by configuration
    const select = el.querySelector<HTMLSelectElement>('#role-u2')!;
    select.value = 'admin';
    select.dispatchEvent(new Event('change'));
    const req = backend.expectOne('/v1/admin/users/u2');
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ role: 'admin' });
    req.flush(adminUser({ role: 'admin' }));
    await settle();
  });

  it('tells guests apart by the start of their id and when they came', async () => {
    await open('users');
    backend.expectOne('/v1/admin/users?limit=50').flush({
      items: [
        adminUser({ id: '3f2a9c41-0000-4000-8000-000000000001', email: null, displayName: null, isGuest: true, createdAt: '2026-03-04T10:20:00.000Z' }),
        adminUser({ id: 'b7d10e22-0000-4000-8000-000000000002', email: null, displayName: null, isGuest: true }),
      ],
      nextCursor: null,
    });
    await settle();
    const names = [...el.querySelectorAll('tbody .who')].map((n) => n.textContent!.trim());
    expect(names).toEqual(['Guest · 3f2a9c', 'Guest · b7d10e']);
    expect(el.querySelector('[data-testid="guest-created"]')!.textContent).toContain('guest since');
    expect(el.querySelector('[data-testid="guest-created"]')!.textContent).toContain('3/4/26');
  });

  it('disables an account after asking, and sets a quota override', async () => {
    await open('users');
    backend.expectOne('/v1/admin/users?limit=50').flush({ items: [adminUser()], nextCursor: null });
    await settle();
    el.querySelector<HTMLButtonElement>('button[aria-label="Disable ana@example.com"]')!.click();
    await settle();
    el.querySelector<HTMLButtonElement>('dialog [data-confirm]')!.click();
    await settle();
    const disable = backend.expectOne('/v1/admin/users/u2');
    expect(disable.request.body).toEqual({ disabled: true });
    disable.flush(adminUser({ disabled: true, disabledAt: '2026-01-03T00:00:00.000Z' }));
    await settle();
    expect(el.querySelector('[data-user-id="u2"]')!.textContent).toContain('disabled');

    el.querySelector<HTMLButtonElement>('#quota-edit-u2')!.click();
    await settle();
    const daily = el.querySelector<HTMLInputElement>('#quota-daily-u2')!;
    daily.value = '120';
    daily.dispatchEvent(new Event('input'));
    el.querySelector<HTMLFormElement>('.quota-form')!.dispatchEvent(new Event('submit'));
    const quota = backend.expectOne('/v1/admin/users/u2');
    expect(quota.request.body).toEqual({ quota: { dailySeconds: 120, maxActiveJobs: null } });
    quota.flush(adminUser({ disabled: true, quota: { dailySeconds: 120, maxActiveJobs: null }, effectiveQuota: { dailySeconds: 120, maxActiveJobs: 2 } }));
    await settle();
    expect(el.querySelector('[data-user-id="u2"]')!.textContent).toContain('120 s a day*');
  });

  it('deletes an account after asking, and drops it from the list', async () => {
    await open('users');
    backend.expectOne('/v1/admin/users?limit=50').flush({ items: [adminUser(), adminUser({ id: 'cfg', email: 'boss@example.com', role: 'admin', roleFromConfig: true })], nextCursor: null });
    await settle();
    expect(el.querySelector('button[aria-label="Delete boss@example.com"]')).toBeNull(); // an ADMIN_EMAILS admin
    el.querySelector<HTMLButtonElement>('button[aria-label="Delete ana@example.com"]')!.click();
    await settle();
    expect(el.querySelector('dialog')!.textContent).toContain('Delete this account?');
    expect(el.querySelector('dialog')!.textContent).toContain('ana@example.com and everything they own');
    el.querySelector<HTMLButtonElement>('dialog [data-confirm]')!.click();
    await settle();
    const req = backend.expectOne('/v1/admin/users/u2');
    expect(req.request.method).toBe('DELETE');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    expect(el.querySelector('[data-user-id="u2"]')).toBeNull();
    expect(el.querySelector('[data-user-id="cfg"]')).not.toBeNull();
  });

  it('searches users', async () => {
    await open('users');
    backend.expectOne('/v1/admin/users?limit=50').flush({ items: [], nextCursor: null });
    await settle();
    jest.useFakeTimers();
    try {
      const input = el.querySelector<HTMLInputElement>('#user-search')!;
      input.value = 'ana';
      input.dispatchEvent(new Event('input'));
      jest.advanceTimersByTime(400);
    } finally {
      jest.useRealTimers();
    }
    backend.expectOne('/v1/admin/users?q=ana&limit=50').flush({ items: [adminUser()], nextCursor: null });
    await settle();
    expect(el.querySelectorAll('[data-testid="admin-users"] tbody tr')).toHaveLength(1);
  });

  it('shows the audit log, filterable by action', async () => {
    await open('audit');
    const entry: AuditEntry = { id: 'a1', createdAt: '2026-01-03T00:00:00.000Z', actor: { id: 'me', email: 'admin@example.com' }, action: 'user.role_changed', target: { type: 'user', id: 'u2' }, details: { from: 'user', to: 'admin' }, ip: '10.0.0.5', userAgent: 'Chromium', requestId: 'r1' };
    backend.expectOne('/v1/admin/audit?limit=50').flush({ items: [entry], nextCursor: null });
    await settle();
    const row = el.querySelector('[data-testid="audit-log"] tbody tr')!.textContent!;
    expect(row).toContain('admin@example.com');
    expect(row).toContain('Role changed');
    expect(row).toContain('user → admin');
    expect(row).toContain('10.0.0.5');
    const select = el.querySelector<HTMLSelectElement>('[data-testid="audit-action"]')!;
    select.value = 'user.disabled';
    select.dispatchEvent(new Event('change'));
    backend.expectOne('/v1/admin/audit?action=user.disabled&limit=50').flush({ items: [], nextCursor: null });
    await settle();
    expect(el.textContent).toContain('Nothing recorded yet.');
  });
});

describe('audit details', () => {
  it('reads as from → to, then the rest', () => {
    expect(describeDetails({ from: 'user', to: 'admin' })).toBe('user → admin');
    expect(describeDetails({ from: { dailySeconds: null }, to: { dailySeconds: 60 }, note: 'x' })).toBe('{"dailySeconds":null} → {"dailySeconds":60} · note: x');
    expect(describeDetails({})).toBe('');
  });
});
