/**
 * A real etcd serving TLS with client-certificate auth, for the TLS tests: a CA, a server certificate
 * (`subjectAltName=IP:127.0.0.1`) and a client certificate made by `openssl` at test time, plus a
 * second, unrelated CA to show what a wrong CA does.
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdArgs } from './etcd-args.js';

/** PEM texts made for one test run. */
export interface TlsMaterial {
  ca: string;
  cert: string;
  key: string;
  /** A CA that signed nothing etcd uses. */
  otherCa: string;
  serverCert: string;
  serverKey: string;
}

/** A running TLS etcd. */
export interface TlsEtcd {
  /** `https://127.0.0.1:<port>` */
  endpoint: string;
  tls: TlsMaterial;
  close(): Promise<void>;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** Makes a CA, a server certificate for 127.0.0.1, a client certificate, and another CA, with openssl. */
export async function makeCertificates(dir: string): Promise<TlsMaterial> {
  const ca = (name: string) => {
    openssl(dir, [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
    ]);
  };
  ca('ca');
  ca('other-ca');
  await writeFile(
    join(dir, 'ext.cnf'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  const leaf = (name: string, cn: string) => {
    openssl(dir, [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${cn}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    ]);
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      'ext.cnf',
      '-out',
      `${name}.crt`,
    ]);
  };
  leaf('server', '127.0.0.1');
  leaf('client', 'root');
  const read = (name: string) => readFile(join(dir, name), 'utf8');
  return {
    ca: await read('ca.crt'),
    otherCa: await read('other-ca.crt'),
    serverCert: await read('server.crt'),
    serverKey: await read('server.key'),
    cert: await read('client.crt'),
    key: await read('client.key'),
  };
}

function healthy(endpoint: string, tls: TlsMaterial): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.get(
      `${endpoint}/health`,
      { ca: tls.ca, cert: tls.cert, key: tls.key, timeout: 1000 },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on('end', () => resolve(body.includes('"health":"true"')));
      },
    );
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}

/** A port the OS just reported free on 127.0.0.1 (another process may take it: callers retry). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts etcd with `--client-cert-auth` on free loopback ports and waits until it answers over TLS.
 * A port taken between the probe and etcd's bind makes etcd exit at once: it is retried on new ports.
 */
export async function startTlsEtcd(): Promise<TlsEtcd> {
  execFileSync('etcd', ['--version'], { stdio: 'ignore' });
  const dir = await mkdtemp(join(tmpdir(), 'livecfg-etcd-tls-'));
  const tls = await makeCertificates(dir);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(dir, tls);
    } catch (error) {
      lastError = error;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function launch(dir: string, tls: TlsMaterial): Promise<TlsEtcd> {
  const clientPort = await freePort();
  const peerPort = await freePort();
  const endpoint = `https://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const name = `livecfg-tls-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  await rm(join(dir, 'data'), { recursive: true, force: true });
  let log = '';
  const child: ChildProcess = spawn(
    'etcd',
    etcdArgs({ name, dir, endpoint, peerUrl }, [
      `--cert-file=${join(dir, 'server.crt')}`,
      `--key-file=${join(dir, 'server.key')}`,
      '--client-cert-auth',
      `--trusted-ca-file=${join(dir, 'ca.crt')}`,
    ]),
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-8000);
  });
  const exit = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', exit);
  const stop = async () => {
    process.removeListener('exit', exit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  };
  const close = async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  while (!(await healthy(endpoint, tls))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`TLS etcd did not become healthy:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { endpoint, tls, close };
}
