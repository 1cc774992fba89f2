import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  FINISHED_STATUSES,
  GENERATION_ERROR_CODES,
  GENERATION_STATUSES,
  PROMPT_MAX_LENGTH,
  QUALITIES,
  SAMPLE_RATES,
  SAMPLING_LIMITS,
  SEED_MAX,
  VARIATIONS_MAX,
  type CreateGenerationRequest,
  type GenerationError,
  type GenerationErrorCode,
  type GenerationListResponse,
  type GenerationParams,
  type GenerationResponse,
  type GenerationStatus,
  type Quality,
  type SampleRate,
  type SamplingParams,
} from '@texttune/contracts';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { AllowsLineBreaks } from '../common/text-input';

export class SamplingParamsDto implements SamplingParams {
  @ApiPropertyOptional({ minimum: SAMPLING_LIMITS.topK.min, maximum: SAMPLING_LIMITS.topK.max, example: 250 })
  @IsOptional()
  @IsInt()
  @Min(SAMPLING_LIMITS.topK.min)
  @Max(SAMPLING_LIMITS.topK.max)
  topK?: number;

  @ApiPropertyOptional({ minimum: SAMPLING_LIMITS.topP.min, maximum: SAMPLING_LIMITS.topP.max, example: 0 })
  @IsOptional()
  @IsNumber()
  @Min(SAMPLING_LIMITS.topP.min)
  @Max(SAMPLING_LIMITS.topP.max)
  topP?: number;

  @ApiPropertyOptional({ minimum: SAMPLING_LIMITS.temperature.min, maximum: SAMPLING_LIMITS.temperature.max, example: 1 })
  @IsOptional()
  @IsNumber()
  @Min(SAMPLING_LIMITS.temperature.min)
  @Max(SAMPLING_LIMITS.temperature.max)
  temperature?: number;

  @ApiPropertyOptional({ minimum: SAMPLING_LIMITS.cfg.min, maximum: SAMPLING_LIMITS.cfg.max, example: 3 })
  @IsOptional()
  @IsNumber()
  @Min(SAMPLING_LIMITS.cfg.min)
  @Max(SAMPLING_LIMITS.cfg.max)
  cfg?: number;
}

export class CreateGenerationDto implements CreateGenerationRequest {
  @ApiProperty({ minLength: 1, maxLength: PROMPT_MAX_LENGTH, example: '잔잔한 로파이 피아노, 80 bpm' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1, { message: 'prompt must not be empty' })
  @MaxLength(PROMPT_MAX_LENGTH, { message: `prompt must be at most ${PROMPT_MAX_LENGTH} characters` })
  @AllowsLineBreaks()
  prompt!: string;

  @ApiPropertyOptional({
    description:
      'Seconds, from 1 to the engine\u2019s `supports.maxDurationSeconds` (GET /v1/engines; 300 for `offline`), and at most the server\u2019s MAX_DURATION_SECONDS; over it: 400 `duration_too_long` with `details.max` (default: the smaller of 10 and the max).',
    minimum: 1,
    example: 10,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  duration?: number;

  @ApiPropertyOptional({ enum: SAMPLE_RATES, default: 44100 })
  @IsOptional()
  @IsIn(SAMPLE_RATES, { message: `samplerate must be one of ${SAMPLE_RATES.join(', ')}` })
  samplerate?: SampleRate;

  @ApiPropertyOptional({ minimum: 0, maximum: SEED_MAX, description: 'Random (and recorded) when absent.', example: 42 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(SEED_MAX)
  seed?: number;

  @ApiPropertyOptional({ enum: QUALITIES, default: 'draft' })
  @IsOptional()
  @IsIn(QUALITIES)
  quality?: Quality;

  @ApiPropertyOptional({ minimum: 1, maximum: VARIATIONS_MAX, default: 1, description: 'Takes with consecutive seeds, in one job.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(VARIATIONS_MAX)
  variations?: number;

  @ApiPropertyOptional({ description: 'An engine id from GET /v1/engines; the default engine when absent. `offline` (TextTune\u2019s own engine) is always there.', example: 'offline' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  engine?: string;

  @ApiPropertyOptional({ type: SamplingParamsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SamplingParamsDto)
  params?: SamplingParamsDto;

  @ApiPropertyOptional({ format: 'uuid', description: 'Reference (melody) audio from POST /v1/references; only for an engine whose `supports.referenceAudio` (else 400 `reference_not_supported`).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  reference_id?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'A seamless loop: whole bars (the tempo is fitted to the duration), no fade in or out, what rings past the end wrapped onto the start. Only for an engine whose `supports.loop` (else 400 `loop_unsupported`).',
  })
  @IsOptional()
  @IsBoolean()
  loop?: boolean;
}

/**
 * What Swagger UI prefills for `POST /v1/generations` (the first example is selected):
 * only fields that work on every server, so a first "Try it out" succeeds. `engine` is
 * `offline` (always present) and `reference_id` is left out (it names an upload of yours).
 */
export const CREATE_GENERATION_EXAMPLES = {
  prompt: { summary: 'A prompt, with the server\u2019s defaults', value: { prompt: '잔잔한 로파이 피아노, 80 bpm', duration: 10 } },
  offline: { summary: 'The offline engine, a fixed seed', value: { prompt: 'epic orchestral trailer in D minor', duration: 8, seed: 42, quality: 'draft', engine: 'offline' } },
  loop: { summary: 'A seamless loop (offline engine)', value: { prompt: 'lo-fi hip hop loop', duration: 8, loop: true, engine: 'offline' } },
  takes: { summary: 'Three takes with consecutive seeds', value: { prompt: 'calm lo-fi piano, 80 bpm', duration: 6, variations: 3 } },
} satisfies Record<string, { summary: string; value: CreateGenerationRequest }>;

class GenerationParamsDto implements GenerationParams {
  @ApiProperty({ example: 10 }) duration!: number;
  @ApiProperty({ enum: SAMPLE_RATES, example: 44100 }) samplerate!: SampleRate;
  @ApiProperty({ example: 42 }) seed!: number;
  @ApiProperty({ enum: QUALITIES }) quality!: Quality;
  @ApiProperty({ example: 1 }) variations!: number;
  @ApiProperty({ type: SamplingParamsDto }) sampling!: SamplingParamsDto;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'the reference (melody) audio given to the engine' }) reference_id?: string | null;
  @ApiPropertyOptional({ description: 'true for a seamless loop; absent otherwise' }) loop?: boolean;
}

class GenerationErrorDto implements GenerationError {
  @ApiProperty({ enum: GENERATION_ERROR_CODES, example: 'timeout' }) code!: GenerationErrorCode;
  @ApiProperty({ example: 'The engine took longer than 300 s; try a shorter duration.' }) message!: string;
}

export class GenerationDto implements GenerationResponse {
  @ApiProperty({ format: 'uuid', example: '0b6f2c3e-5d1a-4f7e-9c2b-8a4d6e1f3b70' }) job_id!: string;
  @ApiProperty({ enum: GENERATION_STATUSES, description: `finished: ${FINISHED_STATUSES.join(', ')}` }) status!: GenerationStatus;
  @ApiProperty({ example: '잔잔한 로파이 피아노, 80 bpm' }) prompt!: string;
  @ApiProperty({ minimum: 0, maximum: 1, example: 0 }) progress!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0, description: 'place in the queue while queued (0: next)' }) position!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 12, description: 'seconds until done: the queued work ahead and this job, by the measured recent render times of each engine and quality' }) eta_seconds!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 4, description: 'the expected render time of this job alone, from recent jobs of its engine and quality; null once finished' }) render_seconds?: number | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: '/v1/stream/<track id> once succeeded' }) audio_url!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) track_id!: string | null;
  @ApiProperty({ type: [String], example: [] }) track_ids!: string[];
  @ApiProperty({ type: GenerationParamsDto }) params!: GenerationParamsDto;
  @ApiProperty({ type: String, nullable: true, example: 'offline' }) engine!: string | null;
  @ApiProperty({ type: GenerationErrorDto, nullable: true, example: null }) error!: GenerationErrorDto | null;
  @ApiProperty({ example: false }) cancel_requested!: boolean;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) started_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null }) finished_at!: string | null;
}

export class GenerationListDto implements GenerationListResponse {
  @ApiProperty({ type: [GenerationDto] }) items!: GenerationDto[];
  @ApiProperty({ type: String, nullable: true }) next_cursor!: string | null;
}

export class ListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({
    description: `Only jobs in these statuses, comma-separated (${GENERATION_STATUSES.join(', ')}); e.g. \`queued,running\` for the unfinished ones.`,
    example: 'queued,running',
    type: String,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : value))
  @IsIn(GENERATION_STATUSES, { each: true, message: `status must be a comma-separated list of ${GENERATION_STATUSES.join(', ')}` })
  status?: GenerationStatus[];
}
