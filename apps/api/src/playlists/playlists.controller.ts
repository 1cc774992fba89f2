import { Body, Controller, Delete, Get, HttpCode, Logger, Param, Post, Put, Patch, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { PlaylistListResponse, PlaylistResponse, PlaylistShareListResponse, PlaylistShareResponse, SharedPlaylistResponse } from '@texttune/contracts';
import type { Request, Response } from 'express';
import { CurrentUser, Public, type AuthUser } from '../auth/auth-user';
import { RequiresScope } from '../auth/scopes';
import { ApiError } from '../common/api-error';
import { ApiErrors } from '../common/openapi';
import { FormatQueryDto, PeaksDto } from '../library/dto';
import { RenditionsService } from '../library/renditions.service';
import { AudioSender } from '../library/stream.controller';
import { loopFlag, toLoudness, toPeaksResponse } from '../tracks/track-response';
import { TracksService } from '../tracks/tracks.service';
import { AddPlaylistTrackDto, CreateShareDto, PlaylistDto, PlaylistListDto, PlaylistShareDto, PlaylistShareListDto, PlaylistTitleDto, ReorderPlaylistDto, SharedPlaylistDto } from './dto';
import { PlaylistSharesService } from './playlist-shares.service';
import { PlaylistsService } from './playlists.service';

@ApiTags('playlists')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller({ path: 'playlists', version: '1' })
export class PlaylistsController {
  constructor(
    private readonly playlists: PlaylistsService,
    private readonly shares: PlaylistSharesService,
  ) {}

  @Post()
  @RequiresScope('manage')
  @ApiOperation({ summary: 'Create a playlist' })
  @ApiCreatedResponse({ type: PlaylistDto })
  @ApiErrors(400, 401, 409)
  create(@CurrentUser() user: AuthUser, @Body() body: PlaylistTitleDto): Promise<PlaylistResponse> {
    return this.playlists.create(user.id, body.title);
  }

  @Get()
  @RequiresScope('read')
  @ApiOperation({ summary: 'Your playlists, newest first' })
  @ApiOkResponse({ type: PlaylistListDto })
  @ApiErrors(401)
  async list(@CurrentUser() user: AuthUser): Promise<PlaylistListResponse> {
    return { items: await this.playlists.list(user.id) };
  }

  @Get(':id')
  @RequiresScope('read')
  @ApiOperation({ summary: 'A playlist with its tracks in order' })
  @ApiOkResponse({ type: PlaylistDto })
  @ApiErrors(401, 404)
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<PlaylistResponse> {
    return this.playlists.get(user.id, id);
  }

  @Patch(':id')
  @RequiresScope('manage')
  @ApiOperation({ summary: 'Rename a playlist' })
  @ApiOkResponse({ type: PlaylistDto })
  @ApiErrors(400, 401, 404)
  rename(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: PlaylistTitleDto): Promise<PlaylistResponse> {
    return this.playlists.rename(user.id, id, body.title);
  }

  @Delete(':id')
  @RequiresScope('manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a playlist (its tracks stay in your library)' })
  @ApiNoContentResponse()
  @ApiErrors(401, 404)
  delete(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    return this.playlists.delete(user.id, id);
  }

  @Post(':id/tracks')
  @RequiresScope('manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add one of your tracks', description: 'At `position` (0-based) or at the end. A track appears once per playlist (409).' })
  @ApiOkResponse({ type: PlaylistDto })
  @ApiErrors(400, 401, 404, 409)
  addTrack(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: AddPlaylistTrackDto): Promise<PlaylistResponse> {
    return this.playlists.addTrack(user.id, id, body.trackId, body.position);
  }

  @Delete(':id/tracks/:trackId')
  @RequiresScope('manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Take a track out of the playlist (it stays in your library)' })
  @ApiNoContentResponse()
  @ApiErrors(401, 404)
  removeTrack(@CurrentUser() user: AuthUser, @Param('id') id: string, @Param('trackId') trackId: string): Promise<void> {
    return this.playlists.removeTrack(user.id, id, trackId);
  }

  @Put(':id/order')
  @RequiresScope('manage')
  @ApiOperation({ summary: 'Reorder the playlist in one atomic update', description: '`trackIds` lists every track of the playlist once, in the new order (409 otherwise).' })
  @ApiOkResponse({ type: PlaylistDto })
  @ApiErrors(400, 401, 404, 409)
  reorder(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: ReorderPlaylistDto): Promise<PlaylistResponse> {
    return this.playlists.reorder(user.id, id, body.trackIds);
  }

  @Post(':id/share')
  @RequiresScope('manage')
  @ApiOperation({ summary: 'Create a public, read-only, expiring link that plays the whole playlist' })
  @ApiCreatedResponse({ type: PlaylistShareDto })
  @ApiErrors(400, 401, 404, 409)
  async share(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: CreateShareDto): Promise<PlaylistShareResponse> {
    return this.shares.toResponse(await this.shares.create(user.id, id, body.expiresInHours, { allowDownload: body.allowDownload === true }));
  }

  @Get(':id/shares')
  @RequiresScope('manage')
  @ApiOperation({ summary: 'The playlist\u2019s active share links' })
  @ApiOkResponse({ type: PlaylistShareListDto })
  @ApiErrors(401, 404)
  async listShares(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<PlaylistShareListResponse> {
    return { items: (await this.shares.listActive(user.id, id)).map((share) => this.shares.toResponse(share)) };
  }

  @Delete(':id/shares/:shareId')
  @RequiresScope('manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a playlist share link' })
  @ApiNoContentResponse()
  @ApiErrors(401, 404)
  revokeShare(@CurrentUser() user: AuthUser, @Param('id') id: string, @Param('shareId') shareId: string): Promise<void> {
    return this.shares.revoke(user.id, id, shareId);
  }
}

@ApiTags('shared')
@Public()
@Controller({ path: 'shared-playlists', version: '1' })
export class SharedPlaylistsController extends AudioSender {
  protected readonly logger = new Logger(SharedPlaylistsController.name);

  constructor(
    private readonly shares: PlaylistSharesService,
    private readonly playlists: PlaylistsService,
    private readonly tracks: TracksService,
    renditions: RenditionsService,
  ) {
    super(renditions);
  }

  @Get(':token')
  @ApiOperation({ summary: 'A shared playlist (no sign-in)', description: 'Its title and tracks, each playable through the link (and downloadable when the link’s owner allowed it); 404 once the link expired or was revoked.' })
  @ApiOkResponse({ type: SharedPlaylistDto })
  @ApiErrors(404)
  async get(@Param('token') token: string): Promise<SharedPlaylistResponse> {
    const { share, target: playlist } = await this.shares.resolve(token);
    const tracks = await this.playlists.orderedTracks(playlist.id, playlist.userId);
    return {
      title: playlist.title,
      expires_at: share.expiresAt.toISOString(),
      tracks: tracks.map((track) => ({
        id: track.id,
        title: track.title,
        prompt_raw: track.promptRaw,
        duration: track.durationSeconds,
        audio_url: `/v1/shared-playlists/${token}/tracks/${track.id}/stream`,
        peaks_url: track.peaks ? `/v1/shared-playlists/${token}/tracks/${track.id}/peaks` : null,
        loudness: toLoudness(track),
        ...loopFlag(track),
        download_url: share.allowDownload ? `/v1/shared-playlists/${token}/tracks/${track.id}/download` : null,
      })),
    };
  }

  @Get(':token/tracks/:trackId/peaks')
  @ApiOperation({ summary: 'The waveform of a track of a shared playlist (no sign-in)' })
  @ApiOkResponse({ type: PeaksDto })
  @ApiErrors(404)
  async peaks(@Param('token') token: string, @Param('trackId') trackId: string) {
    return toPeaksResponse(await this.sharedTrack(token, trackId));
  }

  @Get(':token/tracks/:trackId/stream')
  @ApiOperation({ summary: 'Stream a track of a shared playlist (no sign-in; Range requests)' })
  @ApiProduces('audio/wav', 'audio/mpeg')
  @ApiOkResponse({ description: 'The whole audio' })
  @ApiErrors(400, 404)
  async stream(@Param('token') token: string, @Param('trackId') trackId: string, @Query() query: FormatQueryDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.send(req, res, await this.sharedTrack(token, trackId), query.format, { cacheControl: 'private, no-cache' });
  }

  @Get(':token/tracks/:trackId/download')
  @ApiOperation({ summary: 'Download a track of a shared playlist (no sign-in)', description: 'The audio as an attachment, when the link’s owner allowed downloads (403 `download_not_allowed` otherwise); 404 once the link expired or was revoked, or for a track not in the playlist.' })
  @ApiProduces('audio/wav', 'audio/mpeg')
  @ApiOkResponse({ description: 'The whole audio, as an attachment' })
  @ApiErrors(400, 403, 404)
  async download(@Param('token') token: string, @Param('trackId') trackId: string, @Query() query: FormatQueryDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const track = await this.sharedTrack(token, trackId, true);
    await this.send(req, res, track, query.format, { download: true, cacheControl: 'private, no-cache' });
  }

  /**
   * A track of the shared playlist: only tracks the playlist holds are reachable through
   * its link, and as a download only where the link allows it.
   */
  private async sharedTrack(token: string, trackId: string, download = false) {
    const { share, target: playlist } = await this.shares.resolve(token);
    const inList = await this.playlists.contains(playlist.id, trackId);
    const track = inList ? await this.tracks.findById(trackId) : null;
    if (!track || track.userId !== playlist.userId) throw new ApiError(404, 'not_found', 'This track is not in the shared playlist.');
    if (download && !share.allowDownload) throw new ApiError(403, 'download_not_allowed', 'The owner of this link did not allow downloads; it can only be played.');
    return track;
  }
}
