import {
  AddShipmentSchema,
  ApiKeyCreatedSchema,
  ApiKeyViewSchema,
  ChannelOrderIdParam,
  ArticleInputSchema,
  ArticleSchema,
  CancelOrderSchema,
  CreateApiKeySchema,
  ChangeStateSchema,
  ChangeTagsSchema,
  ConnectionHealthQuerySchema,
  ConnectionHealthViewSchema,
  ConnectionTestResultSchema,
  CreateUserSchema,
  SessionCreatedSchema,
  SignInSchema,
  UserListSchema,
  UserSchema,
  ConnectionTypeSchema,
  ConnectionViewSchema,
  CreateConnectionSchema,
  DeadLetterListSchema,
  DeadLetterSeqParamsSchema,
  EditPositionsSchema,
  ImportJobDetailSchema,
  ImportJobSchema,
  ImportRowPageSchema,
  ImportRowsParamsSchema,
  ImportUploadParamsSchema,
  ListArticlesParamsSchema,
  ListConnectionsParamsSchema,
  ListOrdersParamsSchema,
  ListParkedMailsParamsSchema,
  MailReprocessingSchema,
  OrderRawPayloadSchema,
  OrderSchema,
  pageOf,
  ParkedChannelOrderListSchema,
  ParkedOrderRetryResultSchema,
  ParkedMailPageSchema,
  StockEntrySchema,
  TestConnectionSchema,
  UpdateConnectionSchema,
} from '@orderhub/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/**
 * The request and response DTOs of the API, each a contract schema (or its query-string form):
 * ContractValidationPipe validates with them, the OpenAPI document describes them.
 */

/** Ids are opaque to the gateway; this only keeps obvious garbage (and NATS wildcards) out. */
const IdParam = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,100}$/, 'an id: letters, digits, _ and - (at most 100)')
  .describe('Resource id');

export class IdParams extends createZodDto(z.object({ id: IdParam })) {}
export class JobIdParams extends createZodDto(z.object({ jobId: IdParam.describe('Import job id') })) {}
export class MailIdParams extends createZodDto(z.object({ mailId: IdParam.describe('Mail id from the parked list') })) {}

export class ParkedOrderParams extends createZodDto(z.object({ id: IdParam, externalId: ChannelOrderIdParam })) {}
export class ParkedChannelOrderListDto extends createZodDto(ParkedChannelOrderListSchema) {}
export class ParkedOrderRetryResultDto extends createZodDto(ParkedOrderRetryResultSchema) {}

export class OrderDto extends createZodDto(OrderSchema) {}
export class OrderRawPayloadDto extends createZodDto(OrderRawPayloadSchema) {}
export class OrderPageDto extends createZodDto(pageOf(OrderSchema)) {}
export class ListOrdersQuery extends createZodDto(ListOrdersParamsSchema) {}
export class ChangeStateRequest extends createZodDto(ChangeStateSchema) {}
export class AddShipmentRequest extends createZodDto(AddShipmentSchema) {}
export class ChangeTagsRequest extends createZodDto(ChangeTagsSchema) {}
export class CancelOrderRequest extends createZodDto(CancelOrderSchema) {}
export class EditPositionsRequest extends createZodDto(EditPositionsSchema) {}

export class ArticleDto extends createZodDto(ArticleSchema) {}
export class ArticlePageDto extends createZodDto(pageOf(ArticleSchema)) {}
export class ListArticlesQuery extends createZodDto(ListArticlesParamsSchema) {}
export class ArticleInput extends createZodDto(ArticleInputSchema) {}
export class SetStockRequest extends createZodDto(z.object({ stock: z.array(StockEntrySchema).min(1) })) {}

export class ConnectionDto extends createZodDto(ConnectionViewSchema) {}
export class ConnectionListDto extends createZodDto(z.object({ items: z.array(ConnectionViewSchema) })) {}
export class ListConnectionsQuery extends createZodDto(ListConnectionsParamsSchema) {}
export class ConnectionHealthDto extends createZodDto(ConnectionHealthViewSchema) {}
export class ConnectionHealthListDto extends createZodDto(z.object({ items: z.array(ConnectionHealthViewSchema) })) {}
export class ConnectionHealthQuery extends createZodDto(ConnectionHealthQuerySchema.strict()) {}
/** A union (one shape per connection type): no class, so routes name it in @Body(new ContractValidationPipe(...)) and @ApiBody. */
export const CreateConnectionRequest = Object.defineProperty(createZodDto(CreateConnectionSchema), 'name', {
  value: 'CreateConnectionRequest',
});
export class UpdateConnectionRequest extends createZodDto(UpdateConnectionSchema) {}
export class TestConnectionRequest extends createZodDto(TestConnectionSchema) {}
export class ConnectionTestResultDto extends createZodDto(ConnectionTestResultSchema) {}
export class SyncAcceptedDto extends createZodDto(
  z.object({ accepted: z.literal(true), connectionId: z.string(), type: ConnectionTypeSchema }),
) {}

export class ImportJobDto extends createZodDto(ImportJobSchema) {}
export class ImportJobDetailDto extends createZodDto(ImportJobDetailSchema) {}
export class ImportRowPageDto extends createZodDto(ImportRowPageSchema) {}
export class ImportUploadQuery extends createZodDto(ImportUploadParamsSchema) {}
export class ImportRowsQuery extends createZodDto(ImportRowsParamsSchema) {}

export class ParkedMailPageDto extends createZodDto(ParkedMailPageSchema) {}
export class ListParkedMailsQuery extends createZodDto(ListParkedMailsParamsSchema) {}
export class MailReprocessingDto extends createZodDto(MailReprocessingSchema) {}

export class DeadLetterListDto extends createZodDto(DeadLetterListSchema) {}
export class DeadLetterSeqParams extends createZodDto(DeadLetterSeqParamsSchema) {}

export class ApiKeyListDto extends createZodDto(z.object({ items: z.array(ApiKeyViewSchema) })) {}
export class ApiKeyCreatedDto extends createZodDto(ApiKeyCreatedSchema) {}
export class CreateApiKeyRequest extends createZodDto(CreateApiKeySchema) {}
export class ApiKeyRevokedDto extends createZodDto(z.object({ revoked: z.literal(true) })) {}
export class CreateUserRequest extends createZodDto(CreateUserSchema) {}
export class UserDto extends createZodDto(UserSchema) {}
export class UserListDto extends createZodDto(UserListSchema) {}
export class SignInRequest extends createZodDto(SignInSchema) {}
export class SessionCreatedDto extends createZodDto(SessionCreatedSchema) {}
