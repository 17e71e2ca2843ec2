'use strict';
// Rate-limited HTTP server (express + express-rate-limit) for the
// ratelimit-governor integration tests.
//
// `node server.js` listens on 127.0.0.1, port 0 (ephemeral), and prints exactly
// one line `LISTENING <port>` on stdout once ready.
//
// Env vars (integers): LIMIT (5) per WINDOW_MS (2000) for every limited route,
// plus LIMIT2 (15) per WINDOW2_MS (10000) as the second ("long") policy on /draft8.
//
// Routes (each limiter has its own MemoryStore, so routes never share counts):
//   /draft6    standardHeaders 'draft-6'  (RateLimit-Policy/-Limit/-Remaining/-Reset)
//   /draft7    standardHeaders 'draft-7'  (RateLimit-Policy + combined RateLimit)
//   /draft8    two stacked 'draft-8' limiters, identifiers "burst" and "long"
//   /legacy    X-RateLimit-Limit/-Remaining/-Reset only
//   /bare      no rate-limit headers; 429s carry Retry-After (delay seconds, ceil)
//   /silent    no rate-limit headers and no Retry-After: a bare 429
//   /unlimited no limiter
//   GET /stats        {"draft6": {"ok": n, "rejected": m}, ...}
//   POST /stats/reset zero the counters (the limiter stores are NOT reset)
//
// EXIT_ON_STDIN_EOF=1 makes the server exit when stdin reaches EOF (used by
// servers/support.rs so a server never outlives its test process).

const express = require('express');
const { rateLimit } = require('express-rate-limit');

function intEnv(name, dflt) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < 1) {
    process.stderr.write(`server.js: env ${name}=${JSON.stringify(raw)} is not a positive integer\n`);
    process.exit(2);
  }
  return Number(raw);
}

const LIMIT = intEnv('LIMIT', 5);
const WINDOW_MS = intEnv('WINDOW_MS', 2000);
const LIMIT2 = intEnv('LIMIT2', 15);
const WINDOW2_MS = intEnv('WINDOW2_MS', 10000);

const ROUTES = ['draft6', 'draft7', 'draft8', 'legacy', 'bare', 'silent'];
const stats = {};
function resetStats() {
  for (const r of ROUTES) stats[r] = { ok: 0, rejected: 0 };
}
resetStats();

function reject(route, res) {
  stats[route].rejected += 1;
  res.status(429).type('text/plain').send('Too many requests');
}

function limiter(route, opts) {
  // No `store` option: every rateLimit() call creates its own MemoryStore.
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: LIMIT,
    legacyHeaders: false,
    handler: (req, res) => reject(route, res),
    ...opts,
  });
}

function ok(route) {
  return (req, res) => {
    stats[route].ok += 1;
    res.type('text/plain').send('ok');
  };
}

const app = express();
app.disable('x-powered-by');
app.disable('etag');

app.get('/stats', (req, res) => {
  res.json(stats);
});
app.post('/stats/reset', (req, res) => {
  resetStats();
  res.type('text/plain').send('ok');
});

app.all('/draft6', limiter('draft6', { standardHeaders: 'draft-6' }), ok('draft6'));
app.all('/draft7', limiter('draft7', { standardHeaders: 'draft-7' }), ok('draft7'));
app.all(
  '/draft8',
  limiter('draft8', { standardHeaders: 'draft-8', identifier: 'burst' }),
  limiter('draft8', {
    standardHeaders: 'draft-8',
    identifier: 'long',
    limit: LIMIT2,
    windowMs: WINDOW2_MS,
  }),
  ok('draft8'),
);
app.all(
  '/legacy',
  limiter('legacy', { standardHeaders: false, legacyHeaders: true }),
  ok('legacy'),
);
app.all(
  '/bare',
  limiter('bare', {
    standardHeaders: false,
    legacyHeaders: false,
    handler: (req, res) => {
      // The library only sets Retry-After when some header mode is on, so do it here.
      const resetTime = req.rateLimit && req.rateLimit.resetTime;
      const delay =
        resetTime instanceof Date
          ? Math.max(0, Math.ceil((resetTime.getTime() - Date.now()) / 1000))
          : Math.ceil(WINDOW_MS / 1000);
      res.setHeader('Retry-After', String(delay));
      reject('bare', res);
    },
  }),
  ok('bare'),
);
// With no header mode on, the library sets no Retry-After either.
app.all(
  '/silent',
  limiter('silent', { standardHeaders: false, legacyHeaders: false }),
  ok('silent'),
);
app.all('/unlimited', (req, res) => {
  res.type('text/plain').send('ok');
});

const server = app.listen(0, '127.0.0.1', (err) => {
  if (err) {
    process.stderr.write(`server.js: listen failed: ${err.stack || err}\n`);
    process.exit(1);
  }
  // Keep idle keep-alive connections open longer than Node's 5 s default.
  server.keepAliveTimeout = 30000;
  server.headersTimeout = 31000;
  // stdout to a pipe is synchronous on Linux: the line is flushed when write returns.
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});
server.on('error', (err) => {
  process.stderr.write(`server.js: ${err.stack || err}\n`);
  process.exit(1);
});
// Set by the Rust test support: exit when the parent closes our stdin (or dies).
if (process.env.EXIT_ON_STDIN_EOF === '1') {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => process.exit(0));
}
