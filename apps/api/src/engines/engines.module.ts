import { Global, Module, type DynamicModule } from '@nestjs/common';
import { HfTokenModule } from '../hf-token/hf-token.module';
import { HfTokenService } from '../hf-token/hf-token.service';
import { withUserTokens } from './create-engines';
import { EngineRegistry } from './engine-registry';
import { EnginesController } from './engines.controller';
import { ENGINES, type MusicEngine } from './music-engine';

/**
 * The engines of this process. The list is decided at boot from the configuration (the
 * Gradio engine when HF_SPACE_ID is set, the offline engine always); tests may pass
 * their own engines instead. The Gradio engine gets users' own Hugging Face tokens from
 * the HfTokenService.
 */
@Global()
@Module({})
export class EnginesModule {
  static forRoot(createEngines: () => MusicEngine[]): DynamicModule {
    return {
      module: EnginesModule,
      imports: [HfTokenModule],
      controllers: [EnginesController],
      providers: [{ provide: ENGINES, useFactory: (tokens: HfTokenService) => withUserTokens(createEngines(), tokens), inject: [HfTokenService] }, EngineRegistry],
      exports: [EngineRegistry],
    };
  }
}
