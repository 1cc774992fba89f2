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
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
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

  @ApiPropertyOptional({ description: 'Seconds, 1…MAX_DURATION_SECONDS (default: the smaller of 10 and the max).', minimum: 1, example: 10 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  duration?: number;

  @ApiPropertyOptional({ enum: SAMPLE_RATES, default: 44100 })
  @IsOptional()
  @IsIn(SAMPLE_RATES, { message: `samplerate must be one of ${SAMPLE_RATES.join(', ')}` })
  samplerate?: SampleRate;

  @ApiPropertyOptional({ minimum: 0, maximum: SEED_MAX, description: 'Random (and recorded) when absent.' })
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

  @ApiPropertyOptional({ description: 'An engine id from GET /v1/engines; the default engine when absent.' })
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
}

class GenerationParamsDto implements GenerationParams {
  @ApiProperty() duration!: number;
  @ApiProperty({ enum: SAMPLE_RATES }) samplerate!: SampleRate;
  @ApiProperty() seed!: number;
  @ApiProperty({ enum: QUALITIES }) quality!: Quality;
  @ApiProperty() variations!: number;
  @ApiProperty({ type: SamplingParamsDto }) sampling!: SamplingParamsDto;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'the reference (melody) audio given to the engine' }) reference_id?: string | null;
}

class GenerationErrorDto implements GenerationError {
  @ApiProperty({ enum: GENERATION_ERROR_CODES }) code!: GenerationErrorCode;
  @ApiProperty() message!: string;
}

export class GenerationDto implements GenerationResponse {
  @ApiProperty({ format: 'uuid' }) job_id!: string;
  @ApiProperty({ enum: GENERATION_STATUSES, description: `finished: ${FINISHED_STATUSES.join(', ')}` }) status!: GenerationStatus;
  @ApiProperty() prompt!: string;
  @ApiProperty({ minimum: 0, maximum: 1 }) progress!: number;
  @ApiProperty({ type: Number, nullable: true }) position!: number | null;
  @ApiProperty({ type: Number, nullable: true }) eta_seconds!: number | null;
  @ApiProperty({ type: String, nullable: true }) audio_url!: string | null;
  @ApiProperty({ type: String, nullable: true }) track_id!: string | null;
  @ApiProperty({ type: [String] }) track_ids!: string[];
  @ApiProperty({ type: GenerationParamsDto }) params!: GenerationParamsDto;
  @ApiProperty({ type: String, nullable: true }) engine!: string | null;
  @ApiProperty({ type: GenerationErrorDto, nullable: true }) error!: GenerationErrorDto | null;
  @ApiProperty() cancel_requested!: boolean;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) started_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finished_at!: string | null;
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
}
