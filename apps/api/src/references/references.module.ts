import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReferenceEntity } from './reference.entity';
import { ReferenceRepository } from './reference.repository';
import { ReferencesService } from './references.service';

/** `/v1/references`: reference (melody) audio; generations and the worker read it through the service. */
@Module({
  imports: [TypeOrmModule.forFeature([ReferenceEntity])],
  providers: [ReferencesService, ReferenceRepository],
  // The admin API reads an account's reference files in the transaction that deletes it.
  exports: [ReferencesService, ReferenceRepository],
})
export class ReferencesModule {}
