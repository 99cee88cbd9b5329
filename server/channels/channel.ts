// One interface for every way of reaching an end user. A channel sends one rendered message and
// either resolves with the provider's id or throws a ChannelError saying whether a retry can help.
export type ChannelName = 'email' | 'sms';

export interface RenderedMessage {
  /** An e-mail address or an E.164 phone number. */
  to: string;
  /** E-mail only. */
  subject?: string;
  text: string;
  /** E-mail only. */
  html?: string;
}

export interface Channel {
  readonly name: ChannelName;
  send(message: RenderedMessage): Promise<{ providerId: string }>;
}

export class ChannelError extends Error {
  /** True when sending the same message again cannot succeed (SMTP 5xx, Twilio 4xx). */
  readonly permanent: boolean;
  /** A short, stable description for the case timeline: "smtp 550", "twilio 21211", "timeout". */
  readonly code: string;

  constructor(code: string, message: string, permanent: boolean) {
    super(message);
    this.name = 'ChannelError';
    this.code = code;
    this.permanent = permanent;
  }
}
