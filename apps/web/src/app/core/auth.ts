import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import type { AuthConfigResponse, AuthResponse, MeResponse } from '@texttune/contracts';
import { Api } from './api';

/** Who is signed in (`undefined` until asked), and the sign-in actions. */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly api = inject(Api);
  private pending?: Promise<MeResponse | null>;
  private configPending?: Promise<AuthConfigResponse>;

  readonly user = signal<MeResponse | null | undefined>(undefined);
  readonly signedIn = computed(() => !!this.user());
  readonly isAdmin = computed(() => this.user()?.role === 'admin');

  /**
   * The signed-in user, asking the server once. `GET /v1/auth/session` answers 200 either
   * way, so a signed-out visit makes no failing request (which browsers log as an error).
   */
  ensure(): Promise<MeResponse | null> {
    const known = this.user();
    if (known !== undefined) return Promise.resolve(known);
    this.pending ??= this.api
      .session()
      .then(({ user }) => {
        this.user.set(user);
        return user;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Asks the server again (e.g. for the current `limits`, which only `GET /v1/me` carries). */
  async reload(): Promise<MeResponse | null> {
    try {
      const me = await this.api.me();
      this.user.set(me);
      return me;
    } catch (error) {
      if (error instanceof HttpErrorResponse && error.status === 401) {
        this.user.set(null);
        return null;
      }
      throw error;
    }
  }

  config(): Promise<AuthConfigResponse> {
    this.configPending ??= this.api.authConfig().catch((error: unknown) => {
      this.configPending = undefined;
      throw error;
    });
    return this.configPending;
  }

  async login(email: string, password?: string): Promise<MeResponse> {
    return this.accept(await this.api.login(password === undefined ? { email } : { email, password }));
  }

  async register(email: string, password: string, invite?: string): Promise<MeResponse> {
    return this.accept(await this.api.register(invite ? { email, password, invite } : { email, password }));
  }

  async guest(): Promise<MeResponse> {
    return this.accept(await this.api.guest());
  }

  /** Signs out here; returns the single sign-on provider's logout address, if it has one. */
  async logout(): Promise<string | null> {
    try {
      return (await this.api.logout())?.redirectUrl ?? null;
    } finally {
      this.signedOut();
    }
  }

  /** The session is gone (logout, or a 401 from the server). */
  signedOut(): void {
    this.user.set(null);
  }

  private accept(auth: AuthResponse): MeResponse {
    this.user.set(auth.user);
    return auth.user;
  }
}
