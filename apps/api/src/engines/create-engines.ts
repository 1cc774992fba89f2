import type { AppConfig } from '../config/app-config';
import { OfflineEngine } from './local/offline-engine';
import type { MusicEngine } from './music-engine';

/** The engines the configuration selects, the default first. */
export function createEngines(_config: AppConfig): MusicEngine[] {
  return [new OfflineEngine()];
}
