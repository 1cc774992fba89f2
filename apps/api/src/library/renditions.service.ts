import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AudioFormat, DownloadFormat } from '@texttune/contracts';
import { Readable } from 'node:stream';
import { ApiError } from '../common/api-error';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AUDIO_STORAGE, type AudioStorage } from '../storage/audio-storage';
import { StorageGarbage } from '../storage/storage-garbage';
import type { Representation } from '../streaming/send-representation';
import type { StoredRendition, TrackEntity } from '../tracks/track.entity';
import { TracksService } from '../tracks/tracks.service';
import { FILE_EXTENSIONS, isPartFormat, MIME_TYPES } from '../tracks/download-formats';
import { signedProxyUrl } from '../streaming/accel-redirect';
import { decodeWav } from '../tracks/waveform';
import { encodeMp3, MP3_SAMPLE_RATES } from './mp3-encoder';
import { hasParts, renderPartFile } from './part-renditions';

/**
 * The proxy's `internal` location that maps onto STORAGE_DIR (docker/proxy/nginx.conf.template):
 * only an `X-Accel-Redirect` from the API reaches it.
 */
export const AUDIO_PROXY_LOCATION = '/_texttune/audio/';
/**
 * The proxy's public location for the same files, reached with a URL the API signed
 * (AUDIO_OFFLOAD_SIGNING_KEY): nginx checks the signature and its expiry itself.
 */
export const AUDIO_SIGNED_LOCATION = '/_texttune/signed/';
/** Storage keys a signed URL names as they are (no escaping, so the path signed is nginx's $uri). */
const SIGNABLE_KEY = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

/** The stored rendition's record, with the time it was made (its Last-Modified). */
export type RenditionRecord = StoredRendition & { createdAt: string };

/**
 * A track in the format asked for: the original as stored, or a rendition made on first
 * request and kept next to it — the MP3 transcoded from the original, the MIDI and the
 * stems composed again from the track's request (offline-engine tracks). Concurrent first
 * requests in this process share one encode; across processes the atomic write keeps one
 * whole file even if two encode at the same moment. Stems re-render the whole piece, so
 * this process makes one set of stems at a time.
 */
@Injectable()
export class RenditionsService {
  private readonly logger = new Logger(RenditionsService.name);
  private readonly inFlight = new Map<string, Promise<RenditionRecord>>();
  /** the stems being made in this process, one after another */
  private stemsQueue: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(AUDIO_STORAGE) private readonly storage: AudioStorage,
    private readonly tracks: TracksService,
    private readonly garbage: StorageGarbage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A short-lived URL to the stored bytes, when the storage hands them out (S3 without
   * S3_PROXY); null when the API must serve them itself (local disk, proxy mode, or a
   * rendition this very request is making).
   */
  async presignedUrl(track: TrackEntity, format: DownloadFormat, headers: { contentType: string; disposition?: string }): Promise<string | null> {
    const key = format === track.format ? track.storageKey : track.renditions[format]?.key;
    if (!this.storage.presign || !key) return null;
    return this.storage.presign(key, { expiresInSeconds: this.config.storage?.s3?.urlExpiresSeconds ?? 300, ...headers });
  }

  /** AUDIO_OFFLOAD_CACHE_SECONDS: how long the proxy may reuse one authorization for the same credentials and URL */
  get proxyReuseSeconds(): number {
    return this.config.storage?.audioOffload?.cacheSeconds ?? 0;
  }

  /**
   * The proxy's internal URI for a stored file when the proxy serves audio (AUDIO_OFFLOAD=nginx
   * with local storage), after checking the file is there; null when the API serves it.
   */
  async proxyUri(representation: Pick<Representation, 'key'>): Promise<string | null> {
    const offload = this.config.storage?.audioOffload;
    if (offload?.mode !== 'nginx' || this.config.storage.driver !== 'local') return null;
    // The proxy would answer a missing file with its own 404 page: the API's
    // `audio_missing` (logged) tells the client and the operator what is wrong.
    if (!(await this.storage.stat(representation.key))) throw Object.assign(new Error(`${representation.key} is missing`), { code: 'ENOENT' });
    return `${AUDIO_PROXY_LOCATION}${representation.key}`;
  }

  /**
   * A URL the proxy serves by itself until it expires (AUDIO_OFFLOAD=nginx with
   * AUDIO_OFFLOAD_SIGNING_KEY, local storage), after checking the file is there; null
   * when the proxy is to be asked per request (X-Accel-Redirect) or the API serves it.
   */
  async signedProxyUrl(representation: Pick<Representation, 'key'>): Promise<string | null> {
    const signing = this.config.storage?.audioOffload?.signing;
    if (!signing || !SIGNABLE_KEY.test(representation.key)) return null;
    if (!(await this.proxyUri(representation))) return null;
    const expiresAt = Math.floor(Date.now() / 1000) + signing.urlSeconds;
    return signedProxyUrl(`${AUDIO_SIGNED_LOCATION}${representation.key}`, signing.key, expiresAt);
  }

  /** Whether `format` can be served for the track (the original, made from a WAV original, or the offline composer's parts). */
  available(track: Pick<TrackEntity, 'format' | 'renditions' | 'sampleRate' | 'engine'>, format: DownloadFormat): boolean {
    if (track.format === format || track.renditions[format]) return true;
    if (isPartFormat(format)) return hasParts(track);
    return format === 'mp3' && track.format === 'wav' && MP3_SAMPLE_RATES.includes(track.sampleRate);
  }

  async representation(track: TrackEntity, format: DownloadFormat = track.format as AudioFormat): Promise<Representation> {
    if (track.format === format) {
      return { key: track.storageKey, size: track.sizeBytes, modifiedAt: track.createdAt, contentType: track.mimeType, open: (range) => this.storage.read(track.storageKey, range) };
    }
    if (!this.available(track, format)) {
      const available = [track.format, ...Object.keys(track.renditions)];
      const offer = `ask for ${available.map((f) => `format=${f}`).join(' or ')}`;
      const message = isPartFormat(format)
        ? `MIDI and stems exist only for tracks the offline composer made; this track comes from the ${track.engine || 'unknown'} engine, which gives no parts. Download it as audio: ${offer}.`
        : `This track is stored as ${track.format.toUpperCase()} and cannot be served as ${format.toUpperCase()}; ${offer}.`;
      throw new ApiError(400, 'format_unavailable', message, { available });
    }
    const rendition = (track.renditions[format] as RenditionRecord | undefined) ?? (await this.make(track, format));
    return {
      key: rendition.key,
      size: rendition.size,
      modifiedAt: new Date(rendition.createdAt ?? track.createdAt),
      contentType: MIME_TYPES[format],
      open: (range) => this.storage.read(rendition.key, range),
    };
  }

  private make(track: TrackEntity, format: DownloadFormat): Promise<RenditionRecord> {
    const flight = `${track.id}:${format}`;
    let pending = this.inFlight.get(flight);
    if (!pending) {
      pending = (format === 'stems' ? this.afterOtherStems(() => this.encode(track, format)) : this.encode(track, format)).finally(() => this.inFlight.delete(flight));
      this.inFlight.set(flight, pending);
    }
    return pending;
  }

  private afterOtherStems<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.stemsQueue.then(work);
    this.stemsQueue = turn.catch(() => undefined);
    return turn;
  }

  private async encode(track: TrackEntity, format: DownloadFormat): Promise<RenditionRecord> {
    const started = Date.now();
    const key = track.storageKey.replace(/\.[a-z0-9]+$/, `.${FILE_EXTENSIONS[format]}`);
    const { size, modifiedAt } = await this.storage.write(key, isPartFormat(format) ? renderPartFile(track, format, this.config.offlineEngine.soundFontPath) : await this.mp3Of(track));
    const record: RenditionRecord = { key, size, createdAt: modifiedAt.toISOString() };
    if (!(await this.tracks.addRendition(track.id, format, record))) {
      // Deleted while we encoded: the file must not outlive its track.
      await this.garbage.discard([key]);
      throw new ApiError(404, 'not_found', 'No such track in your library (it may have been deleted).');
    }
    this.logger.log(`made the ${format} rendition of ${track.id} (${size} bytes) in ${Date.now() - started} ms`);
    return record;
  }

  private async mp3Of(track: TrackEntity): Promise<Readable> {
    const audio = decodeWav(await this.tracks.readAll(track.storageKey));
    if (!audio) throw new ApiError(400, 'format_unavailable', `This track's audio cannot be converted; download it as ${track.format.toUpperCase()}.`);
    return Readable.from(encodeMp3(audio));
  }
}
