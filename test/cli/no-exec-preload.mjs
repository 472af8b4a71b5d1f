// Loaded with `node --import` before the CLI: every way to start a process or open a network socket records its name
// in the file IAC_VPCE_TRAP_LOG names, then throws. Worker threads stay allowed: they are threads, not processes.
import { appendFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import childProcess from 'node:child_process';
import dgram from 'node:dgram';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

const logFile = process.env.IAC_VPCE_TRAP_LOG;

function trap(name) {
  return function trapped() {
    if (logFile) appendFileSync(logFile, `${name}\n`);
    throw new Error(`iac-vpce test: ${name} is not allowed during a scan`);
  };
}

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) childProcess[name] = trap(`child_process.${name}`);
net.connect = trap('net.connect');
net.createConnection = trap('net.createConnection');
net.createServer = trap('net.createServer');
net.Socket.prototype.connect = trap('net.Socket.connect');
tls.connect = trap('tls.connect');
dgram.createSocket = trap('dgram.createSocket');
for (const mod of [http, https]) {
  mod.request = trap('http.request');
  mod.get = trap('http.get');
}
http2.connect = trap('http2.connect');
globalThis.fetch = trap('fetch');
if (globalThis.WebSocket) globalThis.WebSocket = trap('WebSocket');
syncBuiltinESMExports();
