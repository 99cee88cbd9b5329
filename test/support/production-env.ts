// The least environment NODE_ENV=production starts with: every required secret and setting, each
// valid. Tests add to it, or take one out to see the start refused.
export const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  APP_SECRET: 'a'.repeat(40),
  BELVO_WEBHOOK_AUTH: 'Bearer 0123456789abcdef0123',
  OPERATOR_API_KEY: 'k'.repeat(32),
  ADMIN_PASSWORD: 'p'.repeat(16),
  BELVO_SECRET_ID: 'id',
  BELVO_SECRET_PASSWORD: 'pw',
  BRAND_NAME: 'Fintech Uno',
  SUPPORT_EMAIL: 'ayuda@fintech.example',
};
