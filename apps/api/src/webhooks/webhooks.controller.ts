import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { AdminWebhookListResponse, CreatedWebhookResponse, WebhookDeliveryListResponse, WebhookDeliveryResponse, WebhookEndpointResponse, WebhookListResponse } from '@texttune/contracts';
import { AdminGuard } from '../auth/admin.guard';
import { CurrentUser, type AuthUser } from '../auth/auth-user';
import { RequiresScope } from '../auth/scopes';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { API_TOKEN_SCHEME, ApiErrors } from '../common/openapi';
import { AdminWebhookListDto, CreatedWebhookDto, CreateWebhookDto, DeliveriesQueryDto, UpdateWebhookDto, WebhookDeliveryDto, WebhookDeliveryListDto, WebhookEndpointDto, WebhookListDto } from './dto';
import { WebhooksService } from './webhooks.service';

const SIGNING =
  'Each delivery is a POST of `{type, timestamp, data}` signed per Standard Webhooks (headers `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), so the official `standardwebhooks` libraries verify it with the `whsec_` secret. Delivered at least once, retried with backoff for about a day; deduplicate on `webhook-id`.';

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiSecurity(API_TOKEN_SCHEME)
@ApiCookieAuth()
@RequiresScope('manage')
@Controller({ path: 'webhooks', version: '1' })
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Register a webhook endpoint',
    description: `Events: \`generation.succeeded\` (the job as GET /v1/generations/:id returns it, and its tracks), \`generation.failed\`, \`generation.canceled\`, \`track.deleted\`. ${SIGNING} The secret is in this answer only.`,
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  @ApiErrors(400, 401, 409)
  @Idempotent({ sealResponse: true })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    return this.webhooks.create(user, body);
  }

  @Get()
  @ApiOperation({ summary: 'Your webhook endpoints (without their secrets)' })
  @ApiOkResponse({ type: WebhookListDto })
  @ApiErrors(401)
  list(@CurrentUser() user: AuthUser): Promise<WebhookListResponse> {
    return this.webhooks.list(user);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A webhook endpoint; `disabled_reason` says why deliveries stopped, if they did' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiErrors(401, 404)
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<WebhookEndpointResponse> {
    return this.webhooks.get(user, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL, events or description, or enable / disable the endpoint' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiErrors(400, 401, 404)
  update(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: UpdateWebhookDto): Promise<WebhookEndpointResponse> {
    return this.webhooks.update(user, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook endpoint and its delivery log' })
  @ApiNoContentResponse()
  @ApiErrors(401, 404)
  remove(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    return this.webhooks.remove(user, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the signing secret', description: 'The new secret is in this answer only; the old one stops at once (messages still to be sent are signed with the new one).' })
  @ApiOkResponse({ type: CreatedWebhookDto })
  @ApiErrors(401, 404)
  rotateSecret(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<CreatedWebhookResponse> {
    return this.webhooks.rotateSecret(user, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Recent deliveries, newest first: status, attempts, last response code and duration, last error, next retry' })
  @ApiOkResponse({ type: WebhookDeliveryListDto })
  @ApiErrors(400, 401, 404)
  deliveries(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() query: DeliveriesQueryDto): Promise<WebhookDeliveryListResponse> {
    return this.webhooks.deliveries(user, id, query.limit);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a `webhook.test` event to this endpoint', description: 'Queued for a worker, which sends it within seconds; follow it in the deliveries list.' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiErrors(401, 404, 409)
  test(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<WebhookDeliveryResponse> {
    return this.webhooks.sendTest(user, id);
  }
}

/** Operators see every account's endpoints (role admin). */
@ApiTags('admin')
@ApiBearerAuth()
@ApiSecurity(API_TOKEN_SCHEME)
@ApiCookieAuth()
@UseGuards(AdminGuard)
@RequiresScope('admin')
@Controller({ path: 'admin/webhooks', version: '1' })
export class AdminWebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOperation({ summary: 'Every account\u2019s webhook endpoints, newest first, with their owners' })
  @ApiOkResponse({ type: AdminWebhookListDto })
  @ApiErrors(401, 403)
  list(): Promise<AdminWebhookListResponse> {
    return this.webhooks.listAll();
  }
}
