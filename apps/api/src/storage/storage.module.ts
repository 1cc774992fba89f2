import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { AUDIO_STORAGE } from './audio-storage';
import { LocalDiskStorage } from './local-disk-storage';

/** Where audio files live: a directory (STORAGE_DIR), shared by every process. */
@Global()
@Module({})
export class StorageModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StorageModule,
      providers: [{ provide: AUDIO_STORAGE, useFactory: () => new LocalDiskStorage(config.storageDir) }],
      exports: [AUDIO_STORAGE],
    };
  }
}
