// Why a message is sent: the first message of a case, a new link the person asked for, or a
// reminder. The outbox stores it; the copy and the WhatsApp template follow from it.
export const MESSAGE_TEMPLATES = ['remediation', 'new_link', 'reminder'] as const;
export type MessageTemplate = (typeof MESSAGE_TEMPLATES)[number];
