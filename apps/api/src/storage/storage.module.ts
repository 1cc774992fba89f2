import { Global, Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AUDIO_STORAGE, type AudioStorage } from './audio-storage';
import { LocalDiskStorage } from './local-disk-storage';
import { S3Storage } from './s3-storage';
import { StorageGarbage } from './storage-garbage';
import { StorageGarbageRepository } from './storage-garbage.repository';

/** The configured driver: a directory (STORAGE_DIR) or an S3-compatible bucket. */
export function createAudioStorage(config: AppConfig): AudioStorage {
  const s3 = config.storage?.s3;
  if (config.storage?.driver !== 's3' || !s3) return new LocalDiskStorage(config.storageDir);
  return new S3Storage({
    bucket: s3.bucket,
    region: s3.region,
    endpoint: s3.endpoint,
    publicEndpoint: s3.publicEndpoint,
    prefix: s3.prefix,
    credentials: s3.credentials,
    forcePathStyle: s3.forcePathStyle,
    presignedUrls: !s3.proxy,
  });
}

/**
 * Where browsers fetch presigned URLs from when the API redirects them there (the pages'
 * Content-Security-Policy lets `<audio>` follow); undefined when the API serves the bytes.
 */
export function storageMediaOrigin(config: AppConfig): string | undefined {
  const s3 = config.storage?.s3;
  if (config.storage?.driver !== 's3' || !s3 || s3.proxy) return undefined;
  const endpoint = s3.publicEndpoint ?? s3.endpoint;
  if (!endpoint) return `https://${s3.bucket}.s3.${s3.region}.amazonaws.com`;
  const origin = new URL(endpoint).origin;
  return s3.forcePathStyle ? origin : origin.replace('://', `://${s3.bucket}.`);
}

/** Says where the audio is, and closes the storage's connections and files at shutdown. */
@Injectable()
class StorageLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(AUDIO_STORAGE) private readonly storage: AudioStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const s3 = this.config.storage?.s3;
    if (s3) new Logger('Storage').log(`audio in S3 bucket ${s3.bucket}${s3.prefix ? `/${s3.prefix}` : ''} at ${s3.endpoint ?? 'AWS'} (${s3.proxy ? 'proxied by the API' : 'presigned redirects'})`);
  }

  onApplicationShutdown(): void {
    this.storage.close?.();
  }
}

/** Where audio files live: a directory shared by every process (STORAGE_DIR), or an S3 bucket (STORAGE_DRIVER=s3). */
@Global()
@Module({})
export class StorageModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StorageModule,
      providers: [{ provide: AUDIO_STORAGE, useFactory: () => createAudioStorage(config) }, StorageGarbageRepository, StorageGarbage, StorageLifecycle],
      exports: [AUDIO_STORAGE, StorageGarbage, StorageGarbageRepository],
    };
  }
}
