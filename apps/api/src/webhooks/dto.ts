import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_DESCRIPTION_MAX_LENGTH,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_TEST_EVENT,
  WEBHOOK_URL_MAX_LENGTH,
  type AdminWebhookEndpointResponse,
  type AdminWebhookListResponse,
  type CreateWebhookRequest,
  type CreatedWebhookResponse,
  type UpdateWebhookRequest,
  type WebhookDeliveryListResponse,
  type WebhookDeliveryResponse,
  type WebhookDeliveryStatus,
  type WebhookEndpointResponse,
  type WebhookEventType,
  type WebhookListResponse,
} from '@texttune/contracts';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const EVENTS_MESSAGE = `events must be a list of: ${WEBHOOK_EVENT_TYPES.join(', ')}`;

export class CreateWebhookDto implements CreateWebhookRequest {
  @ApiProperty({ example: 'https://portal.example.com/hooks/texttune', maxLength: WEBHOOK_URL_MAX_LENGTH, description: 'An https:// (or http://) URL that accepts POST; it must reach a public address unless the operator allows private ones.' })
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'url must not be empty' })
  @MaxLength(WEBHOOK_URL_MAX_LENGTH)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['generation.succeeded', 'generation.failed'] })
  @IsArray({ message: EVENTS_MESSAGE })
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique({ message: 'events must not repeat an event' })
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENTS_MESSAGE })
  events!: WebhookEventType[];

  @ApiPropertyOptional({ example: 'Intranet portal (production)', maxLength: WEBHOOK_DESCRIPTION_MAX_LENGTH })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(WEBHOOK_DESCRIPTION_MAX_LENGTH)
  description?: string;
}

export class UpdateWebhookDto implements UpdateWebhookRequest {
  @ApiPropertyOptional({ example: 'https://portal.example.com/hooks/texttune-v2', maxLength: WEBHOOK_URL_MAX_LENGTH })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1, { message: 'url must not be empty' })
  @MaxLength(WEBHOOK_URL_MAX_LENGTH)
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['generation.succeeded', 'generation.failed', 'generation.canceled'] })
  @IsOptional()
  @IsArray({ message: EVENTS_MESSAGE })
  @ArrayMinSize(1, { message: 'events must name at least one event' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique({ message: 'events must not repeat an event' })
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: EVENTS_MESSAGE })
  events?: WebhookEventType[];

  @ApiPropertyOptional({ example: 'Intranet portal (staging)', maxLength: WEBHOOK_DESCRIPTION_MAX_LENGTH })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(WEBHOOK_DESCRIPTION_MAX_LENGTH)
  description?: string;

  @ApiPropertyOptional({ example: true, description: 'true turns a disabled endpoint back on (its disabled reason is cleared); false stops deliveries.' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class DeliveriesQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50, example: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class WebhookEndpointDto implements WebhookEndpointResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'https://portal.example.com/hooks/texttune' }) url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) events!: WebhookEventType[];
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Why deliveries stopped (410 Gone, failing for 24 hours…).' }) disabled_reason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabled_at!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

export class CreatedWebhookDto extends WebhookEndpointDto implements CreatedWebhookResponse {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The signing secret: shown only in this answer. Verify each delivery with it (Standard Webhooks libraries).' })
  secret!: string;
}

export class WebhookListDto implements WebhookListResponse {
  @ApiProperty({ type: [WebhookEndpointDto] }) items!: WebhookEndpointDto[];
}

export class AdminWebhookEndpointDto extends WebhookEndpointDto implements AdminWebhookEndpointResponse {
  @ApiProperty({ format: 'uuid' }) user_id!: string;
  @ApiProperty() user_email!: string;
}

export class AdminWebhookListDto implements AdminWebhookListResponse {
  @ApiProperty({ type: [AdminWebhookEndpointDto] }) items!: AdminWebhookEndpointDto[];
}

export class WebhookDeliveryDto implements WebhookDeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'msg_4f2c0d8e6b7a4a4f9d1e2b3c4d5e6f70', description: 'The `webhook-id` header, the same on every attempt.' }) message_id!: string;
  @ApiProperty({ enum: [...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT] }) event_type!: WebhookDeliveryResponse['event_type'];
  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES }) status!: WebhookDeliveryStatus;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: Number, nullable: true }) response_status!: number | null;
  @ApiProperty({ type: Number, nullable: true }) duration_ms!: number | null;
  @ApiProperty({ type: String, nullable: true }) last_error!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last_attempt_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) next_attempt_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) delivered_at!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class WebhookDeliveryListDto implements WebhookDeliveryListResponse {
  @ApiProperty({ type: [WebhookDeliveryDto] }) items!: WebhookDeliveryDto[];
}
