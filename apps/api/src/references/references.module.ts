import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReferenceEntity } from './reference.entity';
import { ReferencesService } from './references.service';

/** `/v1/references`: reference (melody) audio; generations and the worker read it through the service. */
@Module({
  imports: [TypeOrmModule.forFeature([ReferenceEntity])],
  providers: [ReferencesService],
  exports: [ReferencesService],
})
export class ReferencesModule {}
