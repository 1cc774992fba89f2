import { Controller, Delete, Get, HttpCode, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { REFERENCE_MAX_BYTES, type ReferenceResponse } from '@texttune/contracts';
import { CurrentUser, type AuthUser } from '../auth/auth-user';
import { RequiresScope } from '../auth/scopes';
import { ApiError } from '../common/api-error';
import { ApiErrors } from '../common/openapi';
import { ReferencesService } from './references.service';

/** What multer (memory storage) hands over for the `file` field. */
interface UploadedAudio {
  buffer: Buffer;
  size: number;
  originalname: string;
}

export class ReferenceDto implements ReferenceResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'wav', description: 'the container, from decoding the bytes' }) format!: string;
  @ApiProperty({ type: String, nullable: true, example: 'pcm', description: 'the codec inside the container: pcm, float, alaw, mulaw, mp1, mp2, mp3, flac, vorbis, opus' }) codec!: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 2 }) channels!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 44100 }) sample_rate!: number | null;
  @ApiProperty() size_bytes!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'seconds of audio the file holds, counted from its data' }) duration!: number | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

@ApiTags('generations')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller({ path: 'references', version: '1' })
export class ReferencesController {
  constructor(private readonly references: ReferencesService) {}

  @Post()
  @RequiresScope('generate')
  @HttpCode(201)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: REFERENCE_MAX_BYTES, files: 1 } }))
  @ApiOperation({
    summary: 'Upload reference (melody) audio',
    description: `multipart/form-data, field \`file\`, at most ${REFERENCE_MAX_BYTES / 1024 / 1024} MB, WAV/MP3/FLAC/Ogg by its bytes (else 400 \`reference_invalid\`). Pass the answer's \`id\` as \`reference_id\` to POST /v1/generations for an engine whose \`supports.referenceAudio\` is true.`,
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: ReferenceDto })
  @ApiErrors(400, 401, 413)
  upload(@CurrentUser() user: AuthUser, @UploadedFile() file: UploadedAudio | undefined): Promise<ReferenceResponse> {
    if (!file?.buffer?.length) throw new ApiError(400, 'reference_invalid', 'Send the reference audio as the multipart/form-data field "file".');
    return this.references.create(user.id, file.buffer, file.originalname || null);
  }

  @Get(':id')
  @RequiresScope('read')
  @ApiOperation({ summary: 'One of your reference audio files' })
  @ApiOkResponse({ type: ReferenceDto })
  @ApiErrors(401, 404)
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<ReferenceResponse> {
    return this.references.get(user.id, id);
  }

  @Delete(':id')
  @RequiresScope('manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete one of your reference audio files', description: 'Queued generations that use it then fail.' })
  @ApiNoContentResponse()
  @ApiErrors(401, 404)
  async remove(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    await this.references.remove(user.id, id);
  }
}
