import { loadConfig } from '../config/app-config';
import { LocalDiskStorage } from './local-disk-storage';
import { S3Storage } from './s3-storage';
import { createAudioStorage, storageMediaOrigin } from './storage.module';

describe('storage configuration', () => {
  const s3 = { STORAGE_DRIVER: 's3', S3_BUCKET: 'texttune-audio', S3_ENDPOINT: 'http://minio:9000', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' };

  it('uses the local directory by default', () => {
    const config = loadConfig({ STORAGE_DIR: '/srv/audio' });
    expect(config.storage).toEqual({ driver: 'local', audioOffload: { mode: 'none', cacheSeconds: 5 }, s3: undefined });
    const storage = createAudioStorage(config);
    expect(storage).toBeInstanceOf(LocalDiskStorage);
    expect((storage as LocalDiskStorage).root).toBe('/srv/audio');
    storage.close?.();
  });

  it('reads who serves the audio bytes (AUDIO_OFFLOAD), and refuses nonsense', () => {
    expect(loadConfig({ AUDIO_OFFLOAD: 'nginx', AUDIO_OFFLOAD_CACHE_SECONDS: '0' }).storage.audioOffload).toEqual({ mode: 'nginx', cacheSeconds: 0 });
    expect(() => loadConfig({ AUDIO_OFFLOAD: 'apache' })).toThrow(/AUDIO_OFFLOAD/);
    expect(() => loadConfig({ AUDIO_OFFLOAD_CACHE_SECONDS: '3600' })).toThrow(/AUDIO_OFFLOAD_CACHE_SECONDS/);
  });

  it('reads the S3 settings, with path-style URLs for a custom endpoint and presigned redirects unless S3_PROXY', () => {
    const config = loadConfig(s3);
    expect(config.storage.s3).toEqual({
      bucket: 'texttune-audio',
      region: 'us-east-1',
      endpoint: 'http://minio:9000',
      publicEndpoint: undefined,
      prefix: '',
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      forcePathStyle: true,
      proxy: false,
      urlExpiresSeconds: 300,
    });
    const storage = createAudioStorage(config) as S3Storage;
    expect(storage).toBeInstanceOf(S3Storage);
    expect(typeof storage.presign).toBe('function');
    storage.close();

    const proxied = createAudioStorage(loadConfig({ ...s3, S3_PROXY: 'true' })) as S3Storage;
    expect(proxied.presign).toBeUndefined();
    proxied.close();
    expect(loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'b-1' }).storage.s3).toMatchObject({ forcePathStyle: false, credentials: undefined });
    expect(loadConfig({ ...s3, S3_FORCE_PATH_STYLE: 'false' }).storage.s3?.forcePathStyle).toBe(false);
  });

  it('explains what is wrong', () => {
    expect(() => loadConfig({ STORAGE_DRIVER: 's3' })).toThrow(/S3_BUCKET: required with STORAGE_DRIVER=s3/);
    expect(() => loadConfig({ ...s3, S3_SECRET_ACCESS_KEY: '' })).toThrow(/set both, or neither/);
    expect(() => loadConfig({ ...s3, S3_BUCKET: 'Bad_Bucket' })).toThrow(/S3_BUCKET/);
    expect(() => loadConfig({ ...s3, S3_ENDPOINT: 'minio:9000' })).toThrow(/S3_ENDPOINT: must be an http\(s\):\/\/ URL/);
    expect(() => loadConfig({ ...s3, S3_PREFIX: 'no-slash' })).toThrow(/S3_PREFIX/);
    expect(() => loadConfig({ ...s3, S3_URL_EXPIRES_SECONDS: '1' })).toThrow(/S3_URL_EXPIRES_SECONDS/);
    expect(() => loadConfig({ STORAGE_DRIVER: 'nfs' })).toThrow(/STORAGE_DRIVER/);
  });

  it('names the origin browsers fetch presigned URLs from, and none when the API serves the bytes', () => {
    const s3 = { STORAGE_DRIVER: 's3', S3_BUCKET: 'audio', S3_REGION: 'eu-west-1' };
    expect(storageMediaOrigin(loadConfig({}))).toBeUndefined();
    expect(storageMediaOrigin(loadConfig({ ...s3, S3_PROXY: 'true' }))).toBeUndefined();
    expect(storageMediaOrigin(loadConfig(s3))).toBe('https://audio.s3.eu-west-1.amazonaws.com');
    expect(storageMediaOrigin(loadConfig({ ...s3, S3_ENDPOINT: 'http://minio:9000', S3_PUBLIC_ENDPOINT: 'https://files.example.com/s3' }))).toBe('https://files.example.com');
  });
});
