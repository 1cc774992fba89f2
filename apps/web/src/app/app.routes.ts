import type { Routes } from '@angular/router';
import { adminGuard, authGuard } from './core/guards';

/** Every page is its own lazily loaded chunk; `title` is a translation key. */
export const routes: Routes = [
  { path: '', pathMatch: 'full', title: 'titles.landing', loadComponent: () => import('./pages/landing/landing').then((m) => m.LandingPage) },
  { path: 'signin', title: 'titles.signin', loadComponent: () => import('./pages/signin/signin').then((m) => m.SignInPage) },
  { path: 'create', title: 'titles.create', canActivate: [authGuard], loadComponent: () => import('./pages/generate/generate').then((m) => m.GeneratePage) },
  { path: 'tracks/:id', title: 'titles.track', canActivate: [authGuard], loadComponent: () => import('./pages/track/track').then((m) => m.TrackPage) },
  { path: 'library', title: 'titles.library', canActivate: [authGuard], loadComponent: () => import('./pages/library/library').then((m) => m.LibraryPage) },
  { path: 'playlists', title: 'titles.playlists', canActivate: [authGuard], loadComponent: () => import('./pages/playlists/playlists').then((m) => m.PlaylistsPage) },
  { path: 'playlists/:id', title: 'titles.playlist', canActivate: [authGuard], loadComponent: () => import('./pages/playlist/playlist').then((m) => m.PlaylistPage) },
  { path: 'settings', title: 'titles.settings', canActivate: [authGuard], loadComponent: () => import('./pages/settings/settings').then((m) => m.SettingsPage) },
  { path: 'tokens', title: 'titles.tokens', canActivate: [authGuard], loadComponent: () => import('./pages/tokens/tokens').then((m) => m.TokensPage) },
  { path: 'webhooks', title: 'titles.webhooks', canActivate: [authGuard], loadComponent: () => import('./pages/webhooks/webhooks').then((m) => m.WebhooksPage) },
  { path: 'admin', title: 'titles.admin', canActivate: [adminGuard], loadComponent: () => import('./pages/admin/admin').then((m) => m.AdminPage) },
  { path: 's/:token', title: 'titles.shared', loadComponent: () => import('./pages/shared/shared').then((m) => m.SharedPage) },
  { path: 'p/:token', title: 'titles.sharedPlaylist', loadComponent: () => import('./pages/shared-playlist/shared-playlist').then((m) => m.SharedPlaylistPage) },
  { path: '**', title: 'titles.notFound', loadComponent: () => import('./pages/not-found/not-found').then((m) => m.NotFoundPage) },
];
