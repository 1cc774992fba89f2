import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  API_TOKEN_DEFAULT_DAYS,
  API_TOKEN_DEFAULT_SCOPES,
  API_TOKEN_MAX_DAYS,
  API_TOKEN_SCOPES,
  API_TOKEN_NAME_MAX_LENGTH,
  type ApiTokenListResponse,
  type ApiTokenResponse,
  type ApiTokenScope,
  type CreateApiTokenRequest,
  type CreatedApiTokenResponse,
} from '@texttune/contracts';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateApiTokenDto implements CreateApiTokenRequest {
  @ApiProperty({ example: 'portal back end', minLength: 1, maxLength: API_TOKEN_NAME_MAX_LENGTH })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(API_TOKEN_NAME_MAX_LENGTH)
  name!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: API_TOKEN_MAX_DAYS, default: API_TOKEN_DEFAULT_DAYS })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'expiresInDays must be a whole number of days' })
  @Min(1)
  @Max(API_TOKEN_MAX_DAYS)
  expiresInDays?: number;

  @ApiPropertyOptional({
    enum: API_TOKEN_SCOPES,
    isArray: true,
    example: ['read'],
    default: API_TOKEN_DEFAULT_SCOPES,
    description:
      '`read`: library, tracks, streams, downloads, jobs, engines, playlists, references. `generate`: queue, cancel and regenerate jobs, upload references. `manage`: rename and delete tracks and playlists, shares, webhooks, API tokens, the Hugging Face token. `admin`: the admin API (admins only). Default: all but `admin` (a token creating a token: only those it holds).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @ArrayMaxSize(API_TOKEN_SCOPES.length * 2)
  @IsIn(API_TOKEN_SCOPES, { each: true, message: `each scope must be one of ${API_TOKEN_SCOPES.join(', ')}` })
  scopes?: ApiTokenScope[];
}

export class ApiTokenDto implements ApiTokenResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'ttk_AbCd1234', description: 'The first characters of the token, to recognise it.' }) prefix!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Updated at most once a minute.' }) lastUsedAt!: string | null;
  @ApiProperty() expired!: boolean;
  @ApiProperty({ enum: API_TOKEN_SCOPES, isArray: true, example: ['read', 'generate'], description: 'What the token may do.' }) scopes!: ApiTokenScope[];
}

export class CreatedApiTokenDto extends ApiTokenDto implements CreatedApiTokenResponse {
  @ApiProperty({ description: 'The token: shown only in this answer. Send it as `Authorization: Bearer <token>`.', example: 'ttk_AbCd1234…' })
  token!: string;
}

export class ApiTokenListDto implements ApiTokenListResponse {
  @ApiProperty({ type: [ApiTokenDto] }) items!: ApiTokenDto[];
}
