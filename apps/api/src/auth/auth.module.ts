import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule, type ThrottlerStorage } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UsersModule } from '../users/users.module';
import { AuthCacheModule } from './auth-cache.module';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { OidcService } from './oidc/oidc.service';
import { UserIdentityRepository } from './oidc/user-identity.repository';
import { UserIdentityEntity } from './oidc/user-identity.entity';
import { SessionEntity } from './session.entity';
import { SessionRepository } from './session.repository';
import { SIGN_IN_REQUEST_STORAGE, signInThrottleKey } from './sign-in-throttle';
import { SignInThrottleModule } from './sign-in-throttle.module';

@Module({
  imports: [
    UsersModule,
    AuthCacheModule,
    PassportModule,
    TypeOrmModule.forFeature([SessionEntity, UserIdentityEntity]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.auth.jwtSecret, signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } }),
    }),
    // Sign-in endpoints only (the guard is applied on AuthController), per client IP: one
    // budget across them (signInThrottleKey), counted in Redis when there is one.
    ThrottlerModule.forRootAsync({
      imports: [SignInThrottleModule],
      inject: [APP_CONFIG, SIGN_IN_REQUEST_STORAGE],
      useFactory: (config: AppConfig, storage: ThrottlerStorage | null) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.auth.rateLimitPerMinute }],
        generateKey: signInThrottleKey,
        ...(storage ? { storage } : {}),
      }),
    }),
    SignInThrottleModule,
  ],
  providers: [AuthService, OidcService, JwtStrategy, SessionRepository, UserIdentityRepository],
  // The admin API ends an account's sessions in its audited transaction.
  exports: [AuthService, OidcService, SessionRepository],
})
export class AuthModule {}
