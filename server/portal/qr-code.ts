// QR codes for MFA challenges, drawn on the server (no script, nothing sent to a third party) and
// handed to the page as a data: URL image, which the CSP allows (img-src data:).

/** Belvo names the challenge type freely ("qr", "QR_CODE", …): anything mentioning QR is drawn. */
export function isQrChallenge(type: string | undefined): boolean {
  return type !== undefined && /qr/i.test(type);
}

export async function qrCodeDataUrl(value: string): Promise<string> {
  // Loaded on the first QR challenge: most processes never draw one, and it need not sit in memory.
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(value, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
