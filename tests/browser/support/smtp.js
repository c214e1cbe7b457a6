// A real SMTP server for the daemon's notices: Debian's python3-aiosmtpd with its Sink handler
// (it accepts every message and keeps none), on a free port of 127.0.0.1. A test whose ladder
// must reach a suspension needs its notices sent: a stage with fair warning waits for the
// previous notice to have gone out.
import { spawn } from 'node:child_process';
import net from 'node:net';

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function answers(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// Starts the server and waits until it answers (10 s at most); answers {url, stop()}. With
// {maildir}, aiosmtpd's Mailbox handler keeps every message there (a Maildir: maildir/new/*),
// for a test that reads what the customer received (mail.js).
export async function startSmtpSink({ maildir } = {}) {
  const port = await freePort();
  const handler = maildir ? ['aiosmtpd.handlers.Mailbox', maildir] : ['aiosmtpd.handlers.Sink'];
  const child = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', ...handler], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (chunk) => {
    log += chunk;
  });
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', stop);
  for (let tries = 0; tries < 100; tries++) {
    if (await answers(port)) return { url: `smtp://127.0.0.1:${port}`, stop };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  stop();
  throw new Error(`python3 -m aiosmtpd did not start on 127.0.0.1:${port}: ${log}`);
}
