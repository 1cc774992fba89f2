import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DownloadFormat, GenerationParams, GenerationResponse, LibraryResponse, PeaksResponse, ShareListResponse, ShareResponse, TrackResponse } from '@texttune/contracts';
import type { Response } from 'express';
import { CurrentUser, type AuthUser } from '../auth/auth-user';
import { RequiresScope } from '../auth/scopes';
import { ApiErrors } from '../common/openapi';
import { EngineRegistry } from '../engines/engine-registry';
import { GenerationDto } from '../generations/dto';
import { GenerationsService } from '../generations/generations.service';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { TracksService } from '../tracks/tracks.service';
import { CreateShareDto, LibraryDto, LibraryQueryDto, PeaksDto, RegenerateDto, RenameTrackDto, ShareDto, ShareListDto, TrackDto } from './dto';
import { RenditionsService } from './renditions.service';
import { SharesService } from '../shares/shares.service';
import { toLibraryItem, toPeaksResponse, toTrackResponse } from '../tracks/track-response';

@ApiTags('library')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller({ path: 'library', version: '1' })
export class LibraryController {
  constructor(private readonly tracks: TracksService) {}

  @Get()
  @RequiresScope('read')
  @ApiOperation({ summary: 'Your tracks, newest first', description: 'Keyset pagination: pass `next_cursor` as `cursor`. `q` searches title and prompt.' })
  @ApiOkResponse({ type: LibraryDto })
  @ApiErrors(400, 401)
  async list(@CurrentUser() user: AuthUser, @Query() query: LibraryQueryDto): Promise<LibraryResponse> {
    const { rows, nextCursor } = await this.tracks.list(user.id, query);
    return { items: rows.map(toLibraryItem), next_cursor: nextCursor };
  }

  @Delete(':id')
  @RequiresScope('manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a track and every file of it', description: 'A second delete answers 404.' })
  @ApiNoContentResponse()
  @ApiErrors(401, 404)
  delete(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    return this.tracks.delete(user.id, id);
  }
}

@ApiTags('library')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller({ path: 'tracks', version: '1' })
export class TracksController {
  constructor(
    private readonly tracks: TracksService,
    private readonly renditions: RenditionsService,
    private readonly shares: SharesService,
    private readonly generations: GenerationsService,
    private readonly engines: EngineRegistry,
  ) {}

  @Get(':id')
  @RequiresScope('read')
  @ApiOperation({ summary: 'A track: metadata, parameters, waveform, formats' })
  @ApiOkResponse({ type: TrackDto })
  @ApiErrors(401, 404)
  async get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<TrackResponse> {
    const track = await this.tracks.findOwned(user.id, id, { peaks: true });
    return toTrackResponse(track, await this.tracks.siblings(track), (format: DownloadFormat) => this.renditions.available(track, format));
  }

  @Get(':id/peaks')
  @RequiresScope('read')
  @ApiOperation({ summary: 'The waveform of a track', description: '404 when the track has none (its format could not be read).' })
  @ApiOkResponse({ type: PeaksDto })
  @ApiErrors(401, 404)
  async peaks(@CurrentUser() user: AuthUser, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<PeaksResponse> {
    const track = await this.tracks.findOwned(user.id, id, { peaks: true });
    const body = toPeaksResponse(track);
    res.setHeader('Cache-Control', 'private, max-age=86400');
    return body;
  }

  @Patch(':id')
  @RequiresScope('manage')
  @ApiOperation({ summary: 'Rename a track' })
  @ApiOkResponse({ type: TrackDto })
  @ApiErrors(400, 401, 404)
  async rename(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: RenameTrackDto): Promise<TrackResponse> {
    const track = await this.tracks.rename(user.id, id, body.title);
    return toTrackResponse(track, await this.tracks.siblings(track), (format: DownloadFormat) => this.renditions.available(track, format));
  }

  @Delete(':id')
  @RequiresScope('manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a track (same as DELETE /v1/library/:id)' })
  @ApiNoContentResponse()
  @ApiErrors(401, 404)
  delete(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    return this.tracks.delete(user.id, id);
  }

  @Post(':id/regenerate')
  @RequiresScope('generate')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Queue the same request again',
    description: 'Same prompt, duration, rate, quality and sampling parameters, one take. `seed: "same"` reproduces this track, `"new"` (default) picks a random seed, a number uses that seed.',
  })
  @ApiAcceptedResponse({ type: GenerationDto })
  @ApiErrors(400, 401, 404, 429, 503)
  @Idempotent()
  async regenerate(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: RegenerateDto): Promise<GenerationResponse> {
    const track = await this.tracks.findOwned(user.id, id);
    // The request as the job recorded it, with the seed of this take.
    const params = track.params as Partial<GenerationParams>;
    const choice = body.seed ?? 'new';
    return this.generations.create(user, {
      prompt: track.promptRaw,
      duration: params.duration ?? track.durationSeconds,
      samplerate: params.samplerate,
      seed: choice === 'same' ? params.seed : choice === 'new' ? undefined : choice,
      quality: params.quality,
      variations: 1,
      // The engine that made it, while it is still configured; the default otherwise.
      engine: this.engines.get(track.engine) ? track.engine : undefined,
      params: params.sampling,
      reference_id: params.reference_id ?? undefined,
      loop: params.loop === true ? true : undefined,
    });
  }

  @Post(':id/share')
  @RequiresScope('manage')
  @ApiOperation({ summary: 'Create a public, read-only, expiring link', description: 'The link shows the track\u2019s title, prompt and waveform and plays it; nothing else of yours.' })
  @ApiCreatedResponse({ type: ShareDto })
  @ApiErrors(400, 401, 404, 409)
  async share(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: CreateShareDto): Promise<ShareResponse> {
    return this.shares.toResponse(await this.shares.create(user.id, id, body.expiresInHours, { allowDownload: body.allowDownload === true }));
  }

  @Get(':id/shares')
  @RequiresScope('manage')
  @ApiOperation({ summary: 'The track\u2019s active share links' })
  @ApiOkResponse({ type: ShareListDto })
  @ApiErrors(401, 404)
  async listShares(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<ShareListResponse> {
    return { items: (await this.shares.listActive(user.id, id)).map((share) => this.shares.toResponse(share)) };
  }

  @Delete(':id/shares/:shareId')
  @RequiresScope('manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a share link', description: 'The link answers 404 from then on.' })
  @ApiNoContentResponse()
  @ApiErrors(401, 404)
  revokeShare(@CurrentUser() user: AuthUser, @Param('id') id: string, @Param('shareId') shareId: string): Promise<void> {
    return this.shares.revoke(user.id, id, shareId);
  }
}
