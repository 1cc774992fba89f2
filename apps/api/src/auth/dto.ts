import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  type SessionResponse,
  AUTH_MODES,
  EMAIL_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  REGISTRATION_MODES,
  USER_ROLES,
  type AuthConfigResponse,
  type AuthMode,
  type AuthResponse,
  type LoginRequest,
  type LogoutResponse,
  type MeResponse,
  type OidcSignInInfo,
  type RegisterRequest,
  type RegistrationMode,
  type UserRole,
  type UserLimits,
} from '@texttune/contracts';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** Invite codes are 36 characters; anything far longer is not one. */
const INVITE_CODE_MAX_LENGTH = 100;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'minji@example.com', maxLength: EMAIL_MAX_LENGTH })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email address like name@example.com' })
  @MaxLength(EMAIL_MAX_LENGTH)
  email!: string;

  @ApiPropertyOptional({ description: 'Omit for the quick email login (open mode only).', minLength: 1, maxLength: PASSWORD_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password?: string;
}

/** Swagger UI prefills the first: the quick email login (AUTH_MODE=open), which needs no account. */
export const LOGIN_EXAMPLES = {
  email: { summary: 'Quick email login (AUTH_MODE=open)', value: { email: 'minji@example.com' } },
  password: { summary: 'Email and password', value: { email: 'jisoo@example.com', password: 'violet-harbor-lantern-42' } },
} satisfies Record<string, { summary: string; value: LoginRequest }>;

/** A password that passes the policy; no invite code (only REGISTRATION=invite asks for one). */
export const REGISTER_EXAMPLE = { email: 'jisoo@example.com', password: 'violet-harbor-lantern-42' } satisfies RegisterRequest;

export class RegisterDto implements RegisterRequest {
  @ApiProperty({ example: 'minji@example.com', maxLength: EMAIL_MAX_LENGTH })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email address like name@example.com' })
  @MaxLength(EMAIL_MAX_LENGTH)
  email!: string;

  // The length, common-password and email rules answer 400 `weak_password` (password-policy.ts).
  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, description: 'At least 10 characters, not a common password, not the email (400 `weak_password`).', example: 'violet-harbor-lantern-42' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;

  @ApiPropertyOptional({ description: 'The invite code from an administrator (REGISTRATION=invite); ignored otherwise.', maxLength: INVITE_CODE_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(INVITE_CODE_MAX_LENGTH)
  invite?: string;
}

export class UserLimitsDto implements UserLimits {
  @ApiProperty({ description: 'longest duration a generation may ask for, in seconds (the server\u2019s MAX_DURATION_SECONDS); an engine\u2019s own `supports.maxDurationSeconds` (GET /v1/engines) may be lower' }) maxDurationSeconds!: number;
  @ApiProperty({ description: 'seconds of audio a day; 0: unlimited' }) dailySeconds!: number;
  @ApiProperty({ description: 'queued + running generations at once' }) maxActiveJobs!: number;
}

export class MeDto implements MeResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true, description: 'null for guest accounts', example: 'minji@example.com' }) email!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the name from the identity provider (single sign-on)' }) displayName!: string | null;
  @ApiProperty({ enum: USER_ROLES }) role!: UserRole;
  @ApiProperty() isGuest!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ type: UserLimitsDto, description: 'GET /v1/me only' }) limits?: UserLimitsDto;
}

export class SessionDto implements SessionResponse {
  @ApiProperty({ type: MeDto, nullable: true, description: 'null when nobody is signed in' }) user!: MeDto | null;
}

export class AuthResponseDto implements AuthResponse {
  @ApiProperty({ type: MeDto }) user!: MeDto;
  @ApiProperty({ description: 'JWT; also set as the httpOnly session cookie.', example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl' }) accessToken!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

class AuthMethodsDto {
  @ApiProperty() emailLogin!: boolean;
  @ApiProperty() guest!: boolean;
  @ApiProperty() password!: boolean;
  @ApiProperty() register!: boolean;
  @ApiProperty({ description: 'single sign-on with the organisation\u2019s OpenID provider' }) oidc!: boolean;
}

class OidcSignInInfoDto implements OidcSignInInfo {
  @ApiProperty({ example: 'Acme SSO', description: 'The button reads "Sign in with <providerName>".' }) providerName!: string;
  @ApiProperty({ example: '/v1/auth/oidc/login', description: 'Navigate the browser here (optionally with ?returnUrl=/path).' }) loginUrl!: string;
}

export class AuthConfigDto implements AuthConfigResponse {
  @ApiProperty({ enum: AUTH_MODES }) mode!: AuthMode;
  @ApiProperty({ enum: REGISTRATION_MODES, description: 'who may sign up: `open` anyone, `invite` with an invite code, `closed` nobody' }) registration!: RegistrationMode;
  @ApiProperty({ type: AuthMethodsDto }) methods!: AuthMethodsDto;
  @ApiProperty({ type: OidcSignInInfoDto, nullable: true }) oidc!: OidcSignInInfoDto | null;
}

export class LogoutResponseDto implements LogoutResponse {
  @ApiProperty({ type: String, nullable: true, description: 'The identity provider\u2019s sign-out URL to navigate to (single sign-on sessions), else null.' }) redirectUrl!: string | null;
}
