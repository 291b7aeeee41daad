// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Node's cluster doing the rolling restart libcluster's Supervisor does: for each old worker in
// turn, fork a new one, wait until it listens, disconnect the old one, wait until it has exited.
// usage: node node-restart.js PORT WORKERS
// Prints "ready" once every worker listens; on SIGUSR2 restarts and prints
// "restart-ms N" when the last old worker has exited. SIGTERM ends it.
const cluster = require('cluster');
const http = require('http');
const port = +process.argv[2] || 8000;
const n = +process.argv[3] || 4;
if (cluster.isPrimary) {
  let listening = 0;
  for (let i = 0; i < n; i++) cluster.fork();
  cluster.on('listening', () => { if (++listening === n) console.log('ready'); });
  const replace = (old) => new Promise((resolve) => {
    const fresh = cluster.fork();
    fresh.once('listening', () => {
      old.once('exit', resolve);
      old.disconnect();
    });
  });
  let restarting = false;
  process.on('SIGUSR2', async () => {
    if (restarting) return;
    restarting = true;
    const t0 = process.hrtime.bigint();
    for (const old of Object.values(cluster.workers)) await replace(old);
    console.log('restart-ms ' + (Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0));
    restarting = false;
  });
  process.on('SIGTERM', () => { for (const id in cluster.workers) cluster.workers[id].kill(); process.exit(0); });
} else {
  http.createServer((req, res) => { res.writeHead(200); res.end('hello world\n'); }).listen(port);
}
