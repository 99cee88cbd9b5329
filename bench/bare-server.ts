// The yardstick: Express 5 that parses the JSON body and answers 202, nothing else. The portal's
// intake is compared with this, so it answers with a body of the same shape.
import express from 'express';
import { serveForParent } from './serve-child.ts';

const app = express();
app.disable('x-powered-by');
app.post('/webhooks/belvo', express.json({ limit: '1mb' }), (req, res) => {
  res.status(202).json({ status: 'accepted', webhook_id: (req.body as { webhook_id?: unknown }).webhook_id });
});

await serveForParent(app);
