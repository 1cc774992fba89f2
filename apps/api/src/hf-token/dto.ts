import { ApiProperty } from '@nestjs/swagger';
import { HF_TOKEN_POLICIES, type HfTokenPolicy, type HfTokenStatus, type SetHfTokenRequest } from '@texttune/contracts';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SetHfTokenDto implements SetHfTokenRequest {
  @ApiProperty({
    description: 'A Hugging Face access token (https://huggingface.co/settings/tokens), usually starting with `hf_`. Stored encrypted; never returned.',
    example: 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567',
    writeOnly: true,
  })
  @Transform(trim)
  @IsString({ message: 'token must be a string' })
  // The value itself is never repeated in a message (messages are returned and logged).
  @Matches(/^[\x21-\x7e]{8,256}$/, { message: 'token must be a Hugging Face access token (hf_…): 8 to 256 characters without spaces' })
  token!: string;
}

export class HfTokenStatusDto implements HfTokenStatus {
  @ApiProperty({ description: 'Whether a token is stored.' }) set!: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'abcd', description: 'The last 4 characters, to tell tokens apart.' }) last4!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The Hugging Face account, when verified.' }) account!: string | null;
  @ApiProperty({ enum: ['verified', 'unverified'], nullable: true, description: '`unverified`: Hugging Face could not be reached when it was saved.' })
  verification!: 'verified' | 'unverified' | null;
  @ApiProperty({ type: String, nullable: true }) warning!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updated_at!: string | null;
  @ApiProperty({ enum: HF_TOKEN_POLICIES, description: '`server-fallback`: without a token your jobs use the server\u2019s; `user-only`: they need yours.' })
  policy!: HfTokenPolicy;
  @ApiProperty({ description: 'Whether this server can store tokens (SECRETS_KEY is set); when false, PUT answers 503.' }) available!: boolean;
}
