import { Body, Controller, Get, HttpCode, Param, Post, Query, Sse, type MessageEvent } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { GenerationListResponse, GenerationResponse } from '@texttune/contracts';
import type { Observable } from 'rxjs';
import { CurrentUser, type AuthUser } from '../auth/auth-user';
import { RequiresScope } from '../auth/scopes';
import { ApiErrors } from '../common/openapi';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { CREATE_GENERATION_EXAMPLES, CreateGenerationDto, GenerationDto, GenerationListDto, ListQueryDto } from './dto';
import { GenerationStream } from './generation-stream';
import { GenerationsService } from './generations.service';

@ApiTags('generations')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller({ path: 'generations', version: '1' })
export class GenerationsController {
  constructor(
    private readonly generations: GenerationsService,
    private readonly live: GenerationStream,
  ) {}

  @Post()
  @RequiresScope('generate')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Queue a generation',
    description: 'Writes the job (queued) and enqueues it; follow it with GET /v1/generations/:id or its SSE events. `variations` renders several takes with consecutive seeds in one job.',
  })
  @ApiBody({ type: CreateGenerationDto, examples: CREATE_GENERATION_EXAMPLES })
  @ApiAcceptedResponse({ type: GenerationDto })
  @ApiErrors(400, 401, 429, 503)
  @Idempotent()
  create(@CurrentUser() user: AuthUser, @Body() body: CreateGenerationDto): Promise<GenerationResponse> {
    return this.generations.create(user, body);
  }

  @Get()
  @RequiresScope('read')
  @ApiOperation({ summary: 'Your recent generations, newest first', description: '`status=queued,running` lists the jobs still under way (what a client follows live).' })
  @ApiOkResponse({ type: GenerationListDto })
  @ApiErrors(400, 401)
  list(@CurrentUser() user: AuthUser, @Query() query: ListQueryDto): Promise<GenerationListResponse> {
    return this.generations.list(user, query.limit, query.cursor, query.status);
  }

  @Get(':id')
  @RequiresScope('read')
  @ApiOperation({ summary: 'A generation: status, progress, queue position, ETA, its tracks or its error' })
  @ApiOkResponse({ type: GenerationDto })
  @ApiErrors(401, 404)
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<GenerationResponse> {
    return this.generations.get(user, id);
  }

  @Post(':id/cancel')
  @RequiresScope('generate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a queued or running generation (idempotent)', description: 'A running job is stopped through its engine\u2019s abort signal; this answers once it has stopped (within about 2 s).' })
  @ApiOkResponse({ type: GenerationDto })
  @ApiErrors(401, 404, 409)
  cancel(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<GenerationResponse> {
    return this.generations.cancel(user, id);
  }

  @Sse(':id/events')
  @RequiresScope('read')
  @ApiOperation({
    summary: 'Live progress as Server-Sent Events',
    description:
      'Events `status` (on every status change, first with the current state), `progress`, `position` (while queued), each carrying the whole job; then `final` with the finished job, and the stream ends. A reconnecting client (Last-Event-ID) starts again from the current state.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'The event stream (`event:`, `id:`, `data:` with the job as JSON), ended after `final`.' })
  @ApiErrors(401, 404)
  stream(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<Observable<MessageEvent>> {
    return this.live.open(user, id);
  }
}
