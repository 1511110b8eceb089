/** StreamHub on real sockets: a client that stops reading is dropped instead of buffering without bound. */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { StreamHub, sseEvent } from '../../src/inspector/streams.js';
import { closeServer, listen } from './helpers.js';

describe('StreamHub', () => {
  it('drops a client whose unsent data passes maxBufferedBytes; a reading client keeps its stream', async () => {
    const hub = new StreamHub({ maxStreams: 10, heartbeatMs: 60_000, maxBufferedBytes: 256 * 1024 });
    const { server, url } = await listen((_request, response) => hub.open(response, ''));
    try {
      const open = (read: boolean) =>
        new Promise<{ ended: Promise<void>; resume(): void }>((resolve, reject) => {
          const req = request(url, (response) => {
            const ended = new Promise<void>((done) => response.socket.once('close', () => done()));
            if (read) response.resume();
            else response.pause();
            resolve({ ended, resume: () => response.resume() });
          });
          req.on('error', reject);
          req.end();
        });
      const slow = await open(false);
      const reader = await open(true);
      while (hub.size < 2) await new Promise((resolve) => setImmediate(resolve));

      const big = sseEvent('change', { padding: 'x'.repeat(64 * 1024) }, 1);
      // Keep sending until the slow client is dropped (the kernel buffers a few MB first).
      for (let round = 0; round < 2000 && hub.size === 2; round++) {
        hub.broadcast(big);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(hub.size).toBe(1);
      slow.resume(); // reading now, it finds its connection gone
      await slow.ended;

      hub.endAll(true);
      await reader.ended;
      expect(hub.size).toBe(0);
      expect(hub.closed).toBe(true);
    } finally {
      await closeServer(server);
    }
  });
});
