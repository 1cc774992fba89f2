#!/usr/bin/env node
'use strict';
/*
 * Container healthcheck (Dockerfile HEALTHCHECK, compose healthcheck); Node built-ins only.
 *
 *   node docker/healthcheck.cjs [url]
 *
 * With a URL, or in the API roles (TEXTTUNE_ROLE=api or all): GET the URL (default
 * http://127.0.0.1:$PORT/v1/health/ready) must answer 200 — the database is migrated,
 * the queue (Redis) answers, storage is writable and an engine is ready.
 * In the worker role (no HTTP server): the report the worker writes to $HEALTH_FILE
 * every 10 s must be recent (under 60 s old) and say "ok".
 * Exit 0 healthy, 1 not; one line on stdout says why.
 */
const fs = require('node:fs');

const MAX_AGE_MS = 60_000;
// Under the container healthcheck's 15 s, with room for starting node on a busy host.
const TIMEOUT_MS = 10_000;

function done(healthy, message) {
  process.stdout.write(`${message}\n`);
  process.exit(healthy ? 0 : 1);
}

function checkFile(file) {
  if (!file) return done(false, 'HEALTH_FILE is not set: a worker has nowhere to report its health');
  let report;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return done(false, `no health report at ${file} yet (${error.code || error.message})`);
  }
  const age = Date.now() - Date.parse(report.at);
  if (!(age < MAX_AGE_MS)) return done(false, `the health report is ${Math.round(age / 1000)} s old: the worker is stuck or stopped`);
  if (report.status !== 'ok') {
    const down = Object.entries(report.details || {})
      .filter(([, d]) => d && d.status !== 'up')
      .map(([name, d]) => `${name}: ${d.message || 'down'}`);
    return done(false, `not healthy: ${down.join('; ') || report.status}`);
  }
  return done(true, `healthy (${report.role} pid ${report.pid}, checked ${Math.round(age / 1000)} s ago)`);
}

async function checkUrl(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { Accept: 'application/json' } });
    const body = await res.text();
    if (res.status === 200) return done(true, `healthy: ${url}`);
    return done(false, `${url} answered ${res.status}: ${body.slice(0, 500)}`);
  } catch (error) {
    return done(false, `${url} did not answer: ${error.message}`);
  }
}

const url = process.argv[2];
const role = process.env.TEXTTUNE_ROLE || 'all';
if (!url && role === 'worker') checkFile(process.env.HEALTH_FILE);
else void checkUrl(url || `http://127.0.0.1:${process.env.PORT || 4000}/v1/health/ready`);
