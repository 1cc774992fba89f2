import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InviteEntity } from './invite.entity';
import { InviteRepository } from './invite.repository';
import { InvitesService } from './invites.service';
import { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, InviteEntity])],
  providers: [UsersService, InvitesService, UserRepository, InviteRepository],
  exports: [UsersService, InvitesService, UserRepository],
})
export class UsersModule {}
