// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Holds COUNT idle TCP connections to 127.0.0.1:PORT until killed: the clients that keep a
// connection open and send nothing for a while (browsers, connection pools, push channels),
// beside the busy ones wrk drives.   usage: node idle-clients.js PORT COUNT
'use strict';
const net = require('net');
const port = +process.argv[2];
const count = +process.argv[3];
let open = 0;
const sockets = [];
for (let i = 0; i < count; i++) {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('connect', () => {
    if (++open === count) console.log(`open ${open}`);
  });
  socket.on('error', (error) => {
    console.log(`failed after ${open} connections: ${error.message}`);
    process.exit(1);
  });
  sockets.push(socket);
}
process.on('SIGTERM', () => process.exit(0));
