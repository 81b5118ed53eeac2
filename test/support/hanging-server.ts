// A loopback TCP server that accepts connections and never answers: the shape of a hung ClickHouse, a hung
// OpenID endpoint, or any peer behind a dead load balancer. Counts connections, and which are still open.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type HangingServer = {
  url: string;
  /** Connections accepted so far. */
  accepted(): number;
  /** Connections the client has not closed yet. */
  open(): number;
  close(): Promise<void>;
};

export async function startHangingServer(): Promise<HangingServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted: () => accepted,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
