// A person's contact as the console shows it by default: enough to recognise on a support call
// ("the one ending in 5678"), not enough to copy. The full value is shown on request, and recorded.

/** "ana.maria@example.com" → "a•••@example.com". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return '•••';
  const local = email.slice(0, at);
  return `${local.length > 1 ? local[0] : ''}•••${email.slice(at)}`;
}

/** "+5215512345678" → "+52•••5678": the country and the last four digits. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return `•••${phone.slice(-2)}`;
  return `${phone.slice(0, 3)}•••${phone.slice(-4)}`;
}
