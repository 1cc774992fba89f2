import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InviteEntity } from './invite.entity';
import { InvitesService } from './invites.service';
import { UserEntity } from './user.entity';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, InviteEntity])],
  providers: [UsersService, InvitesService],
  exports: [UsersService, InvitesService],
})
export class UsersModule {}
