/**
 * The HTTP scaffolding of the in-process test servers (Consul, Vault): a node:http server on
 * 127.0.0.1 that can go down and come back up on the same port, dropping every open connection
 * when it goes down.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A restartable HTTP listener; the owning test server keeps its own `closed` state. */
export class RestartableHttp {
  /** The node:http server (for tuning, e.g. `keepAliveTimeout`, or listening to `connection`). */
  readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private listening = false;
  private boundPort: number;

  constructor(
    handler: (req: IncomingMessage, res: ServerResponse) => void,
    port: number,
    private readonly host: string,
  ) {
    this.boundPort = port;
    this.server = createServer(handler);
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** The port: the one asked for, or the one bound at the first {@link up}; kept across restarts. */
  get port(): number {
    return this.boundPort;
  }

  /** Starts listening on {@link port}; nothing when listening already. */
  async up(): Promise<void> {
    if (this.listening) return;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.boundPort, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    if (address !== null && typeof address === 'object') this.boundPort = address.port;
    this.listening = true;
  }

  /**
   * Stops listening and destroys every connection; `afterDrop` runs once the sockets are gone
   * (before the close completes). Nothing when not listening.
   */
  async down(afterDrop?: () => void): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    afterDrop?.();
    await closed;
  }
}
