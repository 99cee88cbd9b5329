import { localTime } from '/work/main/dist/server/reminders/local-time.js';
for (let i = 0; i < 20000; i++) localTime(Date.now() + i * 1000, 'America/Mexico_City');
const n = 100000, s = performance.now();
for (let i = 0; i < n; i++) localTime(Date.now() + i * 1000, 'America/Mexico_City');
console.log('µs/call', ((performance.now() - s) * 1000 / n).toFixed(2));
