import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EtcdGateway } from '../../src/sources/etcd/gateway.js';
import { type EtcdServer, freePorts, startEtcd } from './etcd-server.js';

let holder: Server | undefined;
let server: EtcdServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve()));
  holder = undefined;
});

describe('the etcd test helper', () => {
  it('tries new ports when the chosen client port was taken before etcd could bind it', async () => {
    holder = createServer((socket) => socket.destroy()); // holds the port, serves nothing
    const taken = await new Promise<number>((resolve) => {
      holder?.listen(0, '127.0.0.1', () => {
        const address = holder?.address();
        resolve(typeof address === 'object' && address !== null ? address.port : -1);
      });
    });
    const choices: number[][] = [];
    server = await startEtcd({
      choosePorts: async () => {
        const ports = choices.length === 0 ? [taken, ...(await freePorts(1))] : await freePorts(2);
        choices.push(ports);
        return ports;
      },
    });
    expect(choices).toHaveLength(2);
    expect(server.endpoint).toBe(`http://127.0.0.1:${choices[1]?.[0]}`);
    const client = new EtcdGateway({ hosts: [server.endpoint] });
    try {
      await client.put('k', 'v');
      expect((await client.range('k')).kvs[0]?.value).toBe('v');
    } finally {
      client.close();
    }
  }, 60_000);
});
