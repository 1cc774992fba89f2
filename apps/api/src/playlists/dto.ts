import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  PLAYLIST_TITLE_MAX_LENGTH,
  TRACKS_PER_PLAYLIST_MAX,
  type AddPlaylistTrackRequest,
  type PlaylistListResponse,
  type PlaylistResponse,
  type PlaylistShareListResponse,
  type PlaylistShareResponse,
  type PlaylistSummary,
  type PlaylistTitleRequest,
  type ReorderPlaylistRequest,
  type SharedPlaylistResponse,
  type SharedPlaylistTrack,
} from '@texttune/contracts';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { LibraryItemDto, TrackLoudnessDto } from '../library/dto';

export class PlaylistTitleDto implements PlaylistTitleRequest {
  @ApiProperty({ minLength: 1, maxLength: PLAYLIST_TITLE_MAX_LENGTH, example: '작업할 때 듣는 음악' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1, { message: 'title must not be empty' })
  @MaxLength(PLAYLIST_TITLE_MAX_LENGTH, { message: `title must be at most ${PLAYLIST_TITLE_MAX_LENGTH} characters` })
  title!: string;
}

export class AddPlaylistTrackDto implements AddPlaylistTrackRequest {
  @ApiProperty({ format: 'uuid', description: 'One of your tracks (an `id` from GET /v1/library)' })
  @IsUUID('all', { message: 'trackId must be a track id' })
  trackId!: string;

  @ApiPropertyOptional({ minimum: 0, description: '0-based place to insert at; the end when absent or past the end', example: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(TRACKS_PER_PLAYLIST_MAX)
  position?: number;
}

export class ReorderPlaylistDto implements ReorderPlaylistRequest {
  @ApiProperty({ type: [String], description: 'Every track of the playlist, once each, in the new order' })
  @IsArray()
  @ArrayMaxSize(TRACKS_PER_PLAYLIST_MAX)
  @IsUUID('all', { each: true, message: 'trackIds must hold track ids' })
  trackIds!: string[];
}

export class PlaylistSummaryDto implements PlaylistSummary {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() track_count!: number;
  @ApiProperty({ description: 'seconds' }) duration!: number;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

export class PlaylistListDto implements PlaylistListResponse {
  @ApiProperty({ type: [PlaylistSummaryDto] }) items!: PlaylistSummaryDto[];
}

export class PlaylistDto extends PlaylistSummaryDto implements PlaylistResponse {
  @ApiProperty({ type: [LibraryItemDto] }) tracks!: LibraryItemDto[];
}

export class PlaylistShareDto implements PlaylistShareResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) playlist_id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ description: 'the public page offers the tracks as downloads' }) allow_download!: boolean;
  @ApiProperty({ format: 'date-time' }) expires_at!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class PlaylistShareListDto implements PlaylistShareListResponse {
  @ApiProperty({ type: [PlaylistShareDto] }) items!: PlaylistShareDto[];
}

class SharedPlaylistTrackDto implements SharedPlaylistTrack {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() prompt_raw!: string;
  @ApiProperty() duration!: number;
  @ApiProperty() audio_url!: string;
  @ApiProperty({ type: String, nullable: true }) peaks_url!: string | null;
  @ApiProperty({ type: TrackLoudnessDto, nullable: true, description: 'as in the library; null when not measured' }) loudness!: TrackLoudnessDto | null;
  @ApiPropertyOptional({ enum: [true], description: 'true for a seamless loop; absent otherwise' }) loop?: true;
  @ApiProperty({ type: String, nullable: true, description: 'the audio as an attachment when the link’s owner allowed downloads; null otherwise' }) download_url!: string | null;
}

export class SharedPlaylistDto implements SharedPlaylistResponse {
  @ApiProperty() title!: string;
  @ApiProperty({ type: [SharedPlaylistTrackDto] }) tracks!: SharedPlaylistTrackDto[];
  @ApiProperty({ format: 'date-time' }) expires_at!: string;
}

export { CreateShareDto } from '../library/dto';
