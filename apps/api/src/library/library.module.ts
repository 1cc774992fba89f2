import { Module } from '@nestjs/common';
import { GenerationsModule } from '../generations/generations.module';
import { SharesModule } from '../shares/shares.module';
import { TracksModule } from '../tracks/tracks.module';
import { RenditionsService } from './renditions.service';

/** What a user does with tracks: the library, track pages, streaming, downloads, share links. */
@Module({
  imports: [TracksModule, GenerationsModule, SharesModule],
  providers: [RenditionsService],
  exports: [RenditionsService, SharesModule],
})
export class LibraryModule {}
