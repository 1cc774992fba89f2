import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AUDIO_FORMATS,
  DOWNLOAD_FORMATS,
  LIBRARY_PAGE_DEFAULT,
  LIBRARY_PAGE_MAX,
  PEAKS_LENGTH,
  SEED_MAX,
  SHARE_DEFAULT_HOURS,
  SHARE_MAX_HOURS,
  TRACK_TITLE_MAX_LENGTH,
  type AudioFormat,
  type DownloadFormat,
  type CreateShareRequest,
  type LibraryItem,
  type LibraryResponse,
  type PeaksResponse,
  type RegenerateRequest,
  type RenameTrackRequest,
  type SharedTrackResponse,
  type ShareListResponse,
  type ShareResponse,
  type TrackLoudness,
  type TrackRendition,
  type TrackResponse,
} from '@texttune/contracts';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateBy, type ValidationOptions } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class LibraryQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: LIBRARY_PAGE_MAX, default: LIBRARY_PAGE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(LIBRARY_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Words in the title or prompt (any language, case-insensitive substring).', example: '피아노' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class FormatQueryDto {
  @ApiPropertyOptional({ enum: AUDIO_FORMATS, description: 'The original\u2019s format when absent; other formats are made on first request.' })
  @IsOptional()
  @IsIn(AUDIO_FORMATS, { message: `format must be one of ${AUDIO_FORMATS.join(', ')}` })
  format?: AudioFormat;
}

export class DownloadQueryDto {
  @ApiPropertyOptional({
    enum: DOWNLOAD_FORMATS,
    description:
      'The original\u2019s format when absent; other formats are made on first request and kept. `midi` (the score, a Standard MIDI File) and `stems` (a ZIP of one 32-bit float WAV per part, before mastering) exist for tracks the offline composer made; other tracks answer 400 `format_unavailable`.',
  })
  @IsOptional()
  @IsIn(DOWNLOAD_FORMATS, { message: `format must be one of ${DOWNLOAD_FORMATS.join(', ')}` })
  format?: DownloadFormat;
}

export class RenameTrackDto implements RenameTrackRequest {
  @ApiProperty({ minLength: 1, maxLength: TRACK_TITLE_MAX_LENGTH, example: '비 오는 날의 재즈' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'title must not be empty' })
  @MaxLength(TRACK_TITLE_MAX_LENGTH, { message: `title must be at most ${TRACK_TITLE_MAX_LENGTH} characters` })
  title!: string;
}

function IsSeedChoice(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isSeedChoice',
      validator: {
        validate: (value: unknown) => value === 'same' || value === 'new' || (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= SEED_MAX),
        defaultMessage: () => `seed must be "same", "new" or an integer from 0 to ${SEED_MAX}`,
      },
    },
    options,
  );
}

export class RegenerateDto implements RegenerateRequest {
  @ApiPropertyOptional({
    oneOf: [{ type: 'string', enum: ['same', 'new'] }, { type: 'integer', minimum: 0, maximum: SEED_MAX }],
    default: 'new',
    description: '`same` reproduces the track; `new` (default) picks a random seed.',
  })
  @IsOptional()
  @IsSeedChoice()
  seed?: 'same' | 'new' | number;
}

export class CreateShareDto implements CreateShareRequest {
  @ApiPropertyOptional({ minimum: 1, maximum: SHARE_MAX_HOURS, default: SHARE_DEFAULT_HOURS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(SHARE_MAX_HOURS)
  expiresInHours?: number;

  @ApiPropertyOptional({ default: false, description: 'The public page offers the audio as a download (`GET /v1/shared/{token}/download`); otherwise that answers 403 `download_not_allowed`.' })
  @IsOptional()
  @IsBoolean()
  allowDownload?: boolean;
}

export class TrackLoudnessDto implements TrackLoudness {
  @ApiProperty({ description: 'integrated loudness, ITU-R BS.1770-4 / EBU R128 (LUFS)', example: -14.2 }) integrated_lufs!: number;
  @ApiProperty({ description: 'true peak, 4× oversampled (dBTP)', example: -1.3 }) true_peak_dbtp!: number;
  @ApiProperty({ description: 'loudness range, EBU Tech 3342 (LU)', example: 6.5 }) range_lu!: number;
}

const LOUDNESS_DESCRIPTION =
  'Measured from the stored audio. null until measured (tracks made before loudness was measured are measured by a background job), or when the audio is silent or in an encoding that could not be decoded. A player plays the track at −14 LUFS with a gain of −14 − integrated_lufs dB, never past 0 dBTP.';

export class LibraryItemDto implements LibraryItem {
  @ApiProperty({ format: 'uuid', example: '2b0c8e4a-6f1d-4c3b-9a7e-5d2f1b8c0e94' }) id!: string;
  @ApiProperty({ example: '잔잔한 로파이 피아노' }) title!: string;
  @ApiProperty({ example: '잔잔한 로파이 피아노, 80 bpm' }) prompt_raw!: string;
  @ApiProperty({ type: String, nullable: true, example: 'lo-fi hip hop · 82 bpm · A minor · piano, bass, drums · calm' }) prompt_expanded!: string | null;
  @ApiProperty({ description: 'seconds', example: 10 }) duration!: number;
  @ApiProperty({ example: 44100 }) samplerate!: number;
  @ApiProperty({ enum: AUDIO_FORMATS }) format!: AudioFormat;
  @ApiProperty({ example: 'offline' }) engine!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ example: '/v1/stream/2b0c…' }) audio_url!: string;
  @ApiProperty({ example: '/v1/download/2b0c…' }) download_url!: string;
  @ApiProperty({ type: String, nullable: true, example: '/v1/tracks/2b0c…/peaks' }) peaks_url!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', example: '0b6f2c3e-5d1a-4f7e-9c2b-8a4d6e1f3b70' }) job_id!: string | null;
  @ApiProperty({ example: 0 }) take_index!: number;
  @ApiProperty({ type: TrackLoudnessDto, nullable: true, description: LOUDNESS_DESCRIPTION }) loudness!: TrackLoudnessDto | null;
  @ApiPropertyOptional({ enum: [true], description: 'true for a seamless loop; absent otherwise' }) loop?: true;
}

export class LibraryDto implements LibraryResponse {
  @ApiProperty({ type: [LibraryItemDto] }) items!: LibraryItemDto[];
  @ApiProperty({ type: String, nullable: true }) next_cursor!: string | null;
}

class TrackRenditionDto implements TrackRendition {
  @ApiProperty({ enum: DOWNLOAD_FORMATS }) format!: DownloadFormat;
  @ApiProperty() mime_type!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'null until made (on first request)' }) size!: number | null;
  @ApiProperty() url!: string;
  @ApiProperty() download_url!: string;
}

export class TrackDto extends LibraryItemDto implements TrackResponse {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'seed, quality, sampling params, clamping' }) params!: TrackResponse['params'];
  @ApiProperty({ type: 'object', additionalProperties: true }) engine_meta!: Record<string, unknown>;
  @ApiProperty() channels!: number;
  @ApiProperty() size_bytes!: number;
  @ApiProperty({ type: [TrackRenditionDto] }) renditions!: TrackRenditionDto[];
  @ApiProperty({ type: [Number], nullable: true, description: `${PEAKS_LENGTH} min/max pairs, flattened` }) peaks!: number[] | null;
  @ApiProperty({ type: [String] }) sibling_ids!: string[];
}

export class PeaksDto implements PeaksResponse {
  @ApiProperty({ type: [Number], description: `${PEAKS_LENGTH} min/max pairs, flattened, each in -1…1` }) peaks!: number[];
}

export class ShareDto implements ShareResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) track_id!: string;
  @ApiProperty() url!: string;
  @ApiProperty() audio_url!: string;
  @ApiProperty({ description: 'the public page offers the audio as a download' }) allow_download!: boolean;
  @ApiProperty({ format: 'date-time' }) expires_at!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class ShareListDto implements ShareListResponse {
  @ApiProperty({ type: [ShareDto] }) items!: ShareDto[];
}

export class SharedTrackDto implements SharedTrackResponse {
  @ApiProperty() title!: string;
  @ApiProperty() prompt_raw!: string;
  @ApiProperty({ type: String, nullable: true }) prompt_expanded!: string | null;
  @ApiProperty() duration!: number;
  @ApiProperty() samplerate!: number;
  @ApiProperty({ enum: AUDIO_FORMATS }) format!: AudioFormat;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty() audio_url!: string;
  @ApiProperty({ type: [Number], nullable: true }) peaks!: number[] | null;
  @ApiProperty({ type: TrackLoudnessDto, nullable: true, description: LOUDNESS_DESCRIPTION }) loudness!: TrackLoudnessDto | null;
  @ApiProperty({ format: 'date-time' }) expires_at!: string;
  @ApiPropertyOptional({ enum: [true], description: 'true for a seamless loop; absent otherwise' }) loop?: true;
  @ApiProperty({ type: String, nullable: true, description: 'the audio as an attachment, when the owner allowed downloads' }) download_url!: string | null;
}
