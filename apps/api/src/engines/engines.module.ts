import { Global, Module, type DynamicModule } from '@nestjs/common';
import { EngineRegistry } from './engine-registry';
import { EnginesController } from './engines.controller';
import { ENGINES, type MusicEngine } from './music-engine';

/**
 * The engines of this process. The list is decided at boot from the configuration (the
 * Gradio engine when HF_SPACE_ID is set, the offline engine always); tests may pass
 * their own engines instead.
 */
@Global()
@Module({})
export class EnginesModule {
  static forRoot(createEngines: () => MusicEngine[]): DynamicModule {
    return {
      module: EnginesModule,
      controllers: [EnginesController],
      providers: [{ provide: ENGINES, useFactory: createEngines }, EngineRegistry],
      exports: [EngineRegistry],
    };
  }
}
