import type { AppName } from '../types';
import type { AppDef } from './app';
import { batchedApp } from './batched';
import { musicgenApp } from './musicgen';
import { stableAudioApp } from './stable-audio';

export type { AppDef, EndpointDef, RunContext } from './app';
export { GradioError } from './app';
export { ComponentValueError } from './components';

export function appDefinition(name: AppName): AppDef {
  switch (name) {
    case 'musicgen':
      return musicgenApp();
    case 'batched':
      return batchedApp();
    case 'stable-audio':
      return stableAudioApp();
  }
}
