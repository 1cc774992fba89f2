import { Controller, Get, Logger, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { AudioFormat, DownloadFormat } from '@texttune/contracts';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth-user';
import { LoadsOwned, Owned } from '../auth/owned-lookup';
import { RequiresScope } from '../auth/scopes';
import { ApiError } from '../common/api-error';
import { ApiErrors } from '../common/openapi';
import { sendViaProxy } from '../streaming/accel-redirect';
import { sendRepresentation } from '../streaming/send-representation';
import type { TrackEntity } from '../tracks/track.entity';
import { OWNED_TRACK } from '../tracks/tracks.service';
import { attachmentFor } from './download-name';
import { DownloadQueryDto, FormatQueryDto, PeaksDto, SharedTrackDto } from './dto';
import { FILE_EXTENSIONS } from '../tracks/download-formats';
import { RenditionsService } from './renditions.service';
import { SharesService } from '../shares/shares.service';
import { peaksOf, toPeaksResponse, toSharedTrack } from '../tracks/track-response';
import { renderWaveformPng } from './waveform-image';

const STREAM_DESCRIPTION =
  'GET and HEAD, with byte ranges exactly as RFC 9110 defines them (`bytes=a-b`, `a-`, `-n`; several ranges answer `multipart/byteranges`; unsatisfiable → 416), `ETag`/`Last-Modified` with `If-None-Match`/`If-Modified-Since` (304), `If-Match`/`If-Unmodified-Since` (412) and `If-Range`. Browsers play it in `<audio>` with the session cookie; API clients send the bearer token. `?format=mp3` serves the MP3 rendition (made on first request).';

const DOWNLOAD_DESCRIPTION =
  '`Content-Disposition: attachment` with the title as the file name (UTF-8 `filename*` plus an ASCII fallback). Ranges work as for streaming. ' +
  'For tracks the offline composer made, `?format=midi` gives the score as a Standard MIDI File (type 1: a conductor track with tempo, time and key signature, then one track per part with its name, General MIDI program and notes as played) and `?format=stems` a ZIP of one stereo 32-bit float WAV per part (drums, bass, chords, pads, melody…), each exactly as long as the track and sample-aligned with it, before mastering: they sum to the mix before its loudness normalisation and limiter. ' +
  'Both are composed again from the track\u2019s prompt, seed, duration, sample rate and quality on the first request (stems cost one to one and a half times the track\u2019s own render) and kept; `renditions` in `GET /v1/tracks/:id` lists them. ' +
  'Other tracks (a Space\u2019s) answer 400 `format_unavailable` naming the formats they have.';

/** What a client is told when storage fails it: lost files and outages have their own codes, and are logged. */
export function storageFailure(error: unknown, logger: Logger, what: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof ApiError || typeof code !== 'string') return error;
  if (code === 'ENOENT') {
    logger.error(`${what} is missing from storage`);
    return new ApiError(404, 'audio_missing', 'The audio file of this track is missing from storage; tell an administrator.');
  }
  logger.error(`storage failed on ${what}: ${(error as Error).message}`);
  return new ApiError(503, 'storage_unavailable', 'The audio storage is not available right now (full or unreachable); try again in a few minutes.');
}

/** Serves a track's audio (the original or a rendition), mapping storage failures to clear errors. */
export abstract class AudioSender {
  protected abstract readonly logger: Logger;
  constructor(protected readonly renditions: RenditionsService) {}

  protected async send(req: Request, res: Response, track: TrackEntity, format: DownloadFormat | undefined, options: { download?: boolean; cacheControl?: string } = {}) {
    const chosen = format ?? (track.format as AudioFormat);
    try {
      const representation = await this.renditions.representation(track, chosen);
      const disposition = options.download ? attachmentFor(track.title, FILE_EXTENSIONS[chosen], track.id) : undefined;
      // S3 without S3_PROXY: a 302 to a short-lived presigned URL (signed for GET only);
      // the browser's Range requests then go to the bucket.
      const url = req.method === 'GET' ? await this.renditions.presignedUrl(track, chosen, { contentType: representation.contentType, disposition }) : null;
      if (url) {
        // The URL is a bearer credential for a few minutes: never cached, never shared.
        res.setHeader('Cache-Control', 'private, no-store');
        return res.redirect(302, url);
      }
      // Plays (not downloads) behind the proxy with a signing key: a redirect to a URL the
      // proxy verifies itself, so a player's seeks cost nginx a hash instead of a request
      // to the API (bench/streaming/proxy.cjs); it stops working AUDIO_OFFLOAD_URL_SECONDS
      // after the API issued it, which bounds a revocation or sign-out.
      const signed = req.method === 'GET' && !options.download ? await this.renditions.signedProxyUrl(representation) : null;
      if (signed) {
        res.setHeader('Cache-Control', 'private, no-store');
        return res.redirect(302, signed);
      }
      const internalUri = await this.renditions.proxyUri(representation);
      if (internalUri) {
        return sendViaProxy(res, internalUri, { contentType: representation.contentType, disposition, cacheControl: options.cacheControl, reuseSeconds: this.renditions.proxyReuseSeconds });
      }
      await sendRepresentation(req, res, representation, { disposition, cacheControl: options.cacheControl });
    } catch (error) {
      throw storageFailure(error, this.logger, `the ${chosen} file of track ${track.id}`);
    }
  }
}

@ApiTags('library')
@ApiBearerAuth()
@ApiCookieAuth()
@RequiresScope('read')
@Controller({ version: '1' })
export class StreamController extends AudioSender {
  protected readonly logger = new Logger(StreamController.name);

  constructor(renditions: RenditionsService) {
    super(renditions);
  }

  @Get('stream/:id')
  @ApiOperation({ summary: 'Stream a track (Range requests)', description: STREAM_DESCRIPTION })
  @ApiProduces('audio/wav', 'audio/mpeg')
  @ApiOkResponse({ description: 'The whole audio' })
  @ApiErrors(400, 401, 404)
  @ApiParam({ name: 'id', description: 'The track id' })
  @LoadsOwned(OWNED_TRACK)
  async stream(@Owned() track: TrackEntity, @Query() query: FormatQueryDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.send(req, res, track, query.format);
  }

  @Get('download/:id')
  @ApiOperation({ summary: 'Download a track as a file', description: DOWNLOAD_DESCRIPTION })
  @ApiProduces('audio/wav', 'audio/mpeg', 'audio/midi', 'application/zip')
  @ApiOkResponse({ description: 'The audio, its MIDI file or its stems as an attachment' })
  @ApiErrors(400, 401, 404)
  @ApiParam({ name: 'id', description: 'The track id' })
  @LoadsOwned(OWNED_TRACK)
  async download(@Owned() track: TrackEntity, @Query() query: DownloadQueryDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.send(req, res, track, query.format, { download: true });
  }
}

@ApiTags('shared')
@Public()
@Controller({ path: 'shared', version: '1' })
export class SharedController extends AudioSender {
  protected readonly logger = new Logger(SharedController.name);

  constructor(
    private readonly shares: SharesService,
    renditions: RenditionsService,
  ) {
    super(renditions);
  }

  @Get(':token')
  @ApiOperation({ summary: 'A shared track (no sign-in)', description: 'Title, prompt, waveform and audio URL; 404 once the link expired or was revoked.' })
  @ApiParam({ name: 'token', description: 'From the share link' })
  @ApiOkResponse({ type: SharedTrackDto })
  @ApiErrors(404)
  async get(@Param('token') token: string) {
    const { share, target: track } = await this.shares.resolve(token);
    return toSharedTrack(track, token, share.expiresAt, share.allowDownload);
  }

  @Get(':token/peaks')
  @ApiOperation({ summary: 'A shared track\u2019s waveform (no sign-in)' })
  @ApiOkResponse({ type: PeaksDto })
  @ApiErrors(404)
  async peaks(@Param('token') token: string) {
    return toPeaksResponse((await this.shares.resolve(token)).target);
  }

  @Get(':token/stream')
  @ApiOperation({ summary: 'Stream a shared track (no sign-in; Range requests)', description: STREAM_DESCRIPTION })
  @ApiProduces('audio/wav', 'audio/mpeg')
  @ApiOkResponse({ description: 'The whole audio' })
  @ApiErrors(400, 404)
  async stream(@Param('token') token: string, @Query() query: FormatQueryDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { target: track } = await this.shares.resolve(token);
    // Not cached by shared caches past the link's life: revocation must take effect.
    await this.send(req, res, track, query.format, { cacheControl: 'private, no-cache' });
  }

  @Get(':token/preview.png')
  @ApiOperation({ summary: 'A shared track\u2019s waveform as a PNG (no sign-in)', description: 'The picture link previews (Open Graph, Twitter cards) show: 1200×630.' })
  @ApiProduces('image/png')
  @ApiOkResponse({ description: 'A PNG image' })
  @ApiErrors(404)
  async previewImage(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const { target: track } = await this.shares.resolve(token);
    res.set('Cache-Control', 'private, no-cache').type('png').send(renderWaveformPng(peaksOf(track)));
  }

  @Get(':token/download')
  @ApiOperation({ summary: 'Download a shared track (no sign-in)', description: 'The audio as an attachment, when the link’s owner allowed downloads (403 `download_not_allowed` otherwise); 404 once the link expired or was revoked.' })
  @ApiProduces('audio/wav', 'audio/mpeg')
  @ApiOkResponse({ description: 'The whole audio, as an attachment' })
  @ApiErrors(400, 403, 404)
  async download(@Param('token') token: string, @Query() query: FormatQueryDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { share, target: track } = await this.shares.resolve(token);
    if (!share.allowDownload) throw new ApiError(403, 'download_not_allowed', 'The owner of this link did not allow downloads; it can only be played.');
    await this.send(req, res, track, query.format, { download: true, cacheControl: 'private, no-cache' });
  }
}
