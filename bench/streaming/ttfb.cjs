#!/usr/bin/env node
// Time to first byte (response headers) of 64 KiB range GETs, one request at a time, on
// an otherwise idle server: `count` measured requests after `warmUp` unmeasured ones.
// A process of its own, started by run.cjs, so the load generator's heap (and its
// garbage collections) is not in the measurement. Prints {"p50": ms, "p99": ms}.
//
//   node bench/streaming/ttfb.cjs <url> <file size> [headers as JSON] [count] [warmUp]
const http = require('node:http');

const RANGE = 64 * 1024;
const [url, size, headersJson = '{}', count = '2000', warmUp = '100'] = process.argv.slice(2);

async function main() {
  const headers = JSON.parse(headersJson);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times = [];
  for (let i = 0; i < Number(warmUp) + Number(count); i++) {
    const start = Math.floor(Math.random() * (Number(size) - RANGE));
    const began = process.hrtime.bigint();
    await new Promise((resolve, reject) => {
      const req = http.get(url, { agent, headers: { ...headers, Range: `bytes=${start}-${start + RANGE - 1}` } }, (res) => {
        if (i >= Number(warmUp)) times.push(Number(process.hrtime.bigint() - began) / 1e6);
        if (res.statusCode !== 206) reject(new Error(`status ${res.statusCode}`));
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
    });
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ p50: times[Math.floor(times.length * 0.5)], p99: times[Math.floor(times.length * 0.99)] }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
