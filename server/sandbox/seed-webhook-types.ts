// The shape of a webhook payload as Belvo sends it, for the documented examples the demo fires.
export interface SeedWebhookPayload {
  webhook_id: string;
  webhook_type: string;
  webhook_code: string;
  process_type?: string;
  link_id?: string;
  /** Payments webhooks name their object here instead of a link. */
  object_id?: string;
  request_id?: string;
  external_id?: string | null;
  /** May be null (payments CHARGES OBJECT_CREATED). */
  data: Record<string, unknown> | null;
}
