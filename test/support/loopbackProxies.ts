/**
 * Two tiny loopback intermediaries for client tests, so that what travels on the wire can be
 * observed without stubbing undici or changing the simulator:
 *
 * - {@link startTcpRelay}: a byte-for-byte TCP relay in front of a server. It counts the TCP
 *   connections clients open (keep-alive shows as one connection for many requests) and keeps the
 *   raw bytes clients sent (the exact request line, headers and body).
 * - {@link startForwardProxy}: an HTTP forward proxy that tunnels `CONNECT` (what undici's
 *   `ProxyAgent` does by default) and forwards absolute-form requests (`proxyTunnel: false`). It
 *   only ever connects to loopback hosts; any other target is refused with 403 and recorded.
 */
import { once } from "node:events";
import { createServer as createHttpServer, request as httpRequest } from "node:http";
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";

/** A running TCP relay. */
export interface TcpRelay {
  /** `http://127.0.0.1:{port}`: use it as the client's endpoint. */
  readonly url: string;
  /** `127.0.0.1:{port}`, the `host` header clients send to the relay. */
  readonly authority: string;
  /** TCP connections accepted since the last {@link TcpRelay.clear}. */
  readonly connections: number;
  /** Everything clients sent, per connection, in connection order. */
  readonly received: readonly Buffer[];
  /** Forgets the counts and bytes. */
  clear(): void;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

/**
 * Starts a relay on an ephemeral loopback port that pipes every connection to `targetPort`.
 *
 * @param targetPort - the loopback port of the real server
 */
export async function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  let received: Buffer[][] = [];
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  const server = createTcpServer((client) => {
    track(client);
    const chunks: Buffer[] = [];
    received.push(chunks);
    const upstream = connect(targetPort, "127.0.0.1");
    track(upstream);
    client.on("data", (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
    client.pipe(upstream);
    upstream.pipe(client);
    // A reset on one side is passed on as a reset, so the client sees what the server did.
    upstream.on("error", () => client.resetAndDestroy());
    client.on("error", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authority: `127.0.0.1:${port}`,
    get connections() {
      return received.length;
    },
    get received() {
      return received.map((chunks) => Buffer.concat(chunks));
    },
    clear() {
      received = [];
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

/** A running forward proxy. */
export interface ForwardProxy {
  /** `http://127.0.0.1:{port}`: use it as `httpProxy` / `httpsProxy`. */
  readonly url: string;
  /** Authorities of every `CONNECT` received (tunnelled or refused), in order. */
  readonly tunnels: readonly string[];
  /** Absolute-form URLs of every plain request forwarded, in order. */
  readonly forwarded: readonly string[];
  /** Forgets what was recorded. */
  clear(): void;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

function isLoopback(hostname: string): boolean {
  return hostname === "127.0.0.1" || hostname === "localhost";
}

/** Starts a forward proxy on an ephemeral loopback port. */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const sockets = new Set<Socket>();
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  const server = createHttpServer((request, response) => {
    const target = new URL(request.url ?? "/");
    forwarded.push(target.href);
    if (!isLoopback(target.hostname)) {
      response.writeHead(403).end();
      return;
    }
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: `${target.pathname}${target.search}`,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => response.destroy());
    request.pipe(upstream);
  });
  server.on("connection", track);
  server.on("connect", (request, clientSocket: Socket, head: Buffer) => {
    const authority = request.url ?? "";
    tunnels.push(authority);
    const target = new URL(`http://${authority}`);
    if (!isLoopback(target.hostname)) {
      clientSocket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const upstream = connect(Number(target.port), target.hostname, () => {
      clientSocket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    track(upstream);
    upstream.on("error", () => clientSocket.destroy());
    clientSocket.on("error", () => upstream.destroy());
    upstream.on("close", () => clientSocket.destroy());
    clientSocket.on("close", () => upstream.destroy());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get tunnels() {
      return [...tunnels];
    },
    get forwarded() {
      return [...forwarded];
    },
    clear() {
      tunnels.length = 0;
      forwarded.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
