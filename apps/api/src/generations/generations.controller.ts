import { Body, Controller, Get, HttpCode, Param, Post, Query, Sse, type BeforeApplicationShutdown, type MessageEvent } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FINISHED_STATUSES, type GenerationListResponse, type GenerationResponse } from '@texttune/contracts';
import { Observable } from 'rxjs';
import { CurrentUser, type AuthUser } from '../auth/auth-user';
import { RequiresScope } from '../auth/scopes';
import { ApiErrors } from '../common/openapi';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { CREATE_GENERATION_EXAMPLES, CreateGenerationDto, GenerationDto, GenerationListDto, ListQueryDto } from './dto';
import { GenerationEvents } from './generation-events';
import { GenerationsService } from './generations.service';

const POLL_MS = 1000;
const KEEPALIVE_MS = 15_000;

@ApiTags('generations')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller({ path: 'generations', version: '1' })
export class GenerationsController implements BeforeApplicationShutdown {
  /** Ends each open event stream; a stopping server ends them all so it can close at once. */
  private readonly openStreams = new Set<() => void>();

  constructor(
    private readonly generations: GenerationsService,
    private readonly events: GenerationEvents,
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

  /**
   * On SIGTERM the HTTP server waits for open connections; event streams would keep it
   * up until their jobs finish. Ending them lets the browser's EventSource reconnect (to
   * another API process, or this one restarted) and pick up from the current state.
   */
  beforeApplicationShutdown(): void {
    for (const finish of [...this.openStreams]) finish();
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
  async stream(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<Observable<MessageEvent>> {
    await this.generations.findOwned(user, id); // 404 before the stream starts
    return new Observable<MessageEvent>((subscriber) => {
      let seq = 0;
      let last: GenerationResponse | undefined;
      let lastSentAt = 0;
      let done = false;
      let unsubscribe: (() => void) | undefined;
      const send = (type: 'status' | 'progress' | 'position' | 'final', job: GenerationResponse) => {
        last = job;
        lastSentAt = Date.now();
        subscriber.next({ type, id: `${Date.now()}-${++seq}`, data: job });
      };
      const finish = () => {
        done = true;
        clearInterval(poll);
        unsubscribe?.();
        this.openStreams.delete(finish);
        subscriber.complete();
      };
      this.openStreams.add(finish);
      const consider = (job: GenerationResponse, hint: 'progress' | 'poll') => {
        if (done) return;
        if (!last || job.status !== last.status) send('status', job);
        else if (hint === 'progress' && (job.progress !== last.progress || job.position !== last.position || job.eta_seconds !== last.eta_seconds)) send('progress', job);
        else if (hint === 'poll' && job.status === 'queued' && job.position !== last.position) send('position', job);
        else if (Date.now() - lastSentAt >= KEEPALIVE_MS) send(job.status === 'queued' ? 'position' : 'progress', job);
        if (FINISHED_STATUSES.includes(job.status)) {
          send('final', job);
          finish();
        }
      };
      // Events give low latency; the poll makes the stream correct even if an event is
      // lost (Redis reconnecting) and keeps the queue position fresh.
      const refresh = () =>
        this.generations.get(user, id).then(
          (job) => consider(job, 'poll'),
          (error: unknown) => !done && subscriber.error(error),
        );
      const poll = setInterval(() => void refresh(), POLL_MS);
      void this.events
        .subscribe(id, (change) => {
          // Events carry no queue position (only the API computes it): let the poll add it.
          if (change.job.status === 'queued' && change.type === 'status') void refresh();
          else consider(change.job, change.type === 'progress' ? 'progress' : 'poll');
        })
        .then((off) => {
          if (done) off();
          else unsubscribe = off;
          return refresh();
        });
      return () => {
        done = true;
        clearInterval(poll);
        unsubscribe?.();
        this.openStreams.delete(finish);
      };
    });
  }
}
