import { Global, Module, type DynamicModule, type Type } from '@nestjs/common';
import type { UserTokenSource } from './gradio/user-tokens';
import { EngineRegistry } from './engine-registry';
import { ENGINES, USER_TOKEN_SOURCE, type MusicEngine } from './music-engine';

export interface EnginesModuleOptions {
  /** The engines of this process: those the configuration selects, or a test's. */
  engines: () => MusicEngine[];
  /** A module that provides {@link USER_TOKEN_SOURCE}: users' own credentials, for engines that take them. */
  userTokens: Type;
}

/**
 * The engines of this process. The list is decided at boot from the configuration (the
 * Gradio engine when HF_SPACE_ID is set, the offline engine always); tests may pass
 * their own engines instead. Engines that call their backend with users' own tokens get
 * the store the root module names, so this folder depends on no feature.
 */
@Global()
@Module({})
export class EnginesModule {
  static forRoot({ engines, userTokens }: EnginesModuleOptions): DynamicModule {
    return {
      module: EnginesModule,
      imports: [userTokens],
      providers: [
        {
          provide: ENGINES,
          inject: [USER_TOKEN_SOURCE],
          useFactory: (source: UserTokenSource) => {
            const list = engines();
            for (const engine of list) engine.useUserTokens?.(source);
            return list;
          },
        },
        EngineRegistry,
      ],
      exports: [EngineRegistry],
    };
  }
}
