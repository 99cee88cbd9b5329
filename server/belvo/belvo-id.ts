// Belvo names links, consents and payment objects by UUID (the OpenAPI spec's `format: uuid`). An id
// that arrives in a webhook is checked against that shape before it goes anywhere near a Belvo URL:
// anything else is recorded for the operator, never sent back to Belvo.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isBelvoId(value: string): boolean {
  return UUID.test(value);
}
