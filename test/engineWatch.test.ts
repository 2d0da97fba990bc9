/**
 * The provider host's engine watch: which command lines it recognises as Pulumi's dynamic-provider
 * host, how it probes an address, and that it reports a gone engine only after enough refused
 * probes in a row (real sockets on loopback; no timers are asserted).
 */
import { expect } from "chai";
import * as net from "node:net";
import {
  engineAddressFromArgv,
  probeEngine,
  watchEngine,
} from "../adapters/dynamicProvider/engineWatch";

/** A listening TCP server on loopback and its port. */
async function listen(): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as net.AddressInfo).port };
}

/** A loopback port with nothing listening on it (listened on, then closed). */
async function closedPort(): Promise<number> {
  const { server, port } = await listen();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("engine watch", () => {
  describe("engineAddressFromArgv", () => {
    const host = "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";
    for (const [argv, expected] of [
      [["node", host, "127.0.0.1:41234"], { host: "127.0.0.1", port: 41234 }],
      [["node", host.replace("/index.js", ""), "localhost:9"], { host: "localhost", port: 9 }],
      [
        ["node", "C:\\p\\cmd\\dynamic-provider\\index.js", "[::1]:5000"],
        { host: "::1", port: 5000 },
      ],
      [["node", host], undefined],
      [["node", "/p/test/mocha.js", "127.0.0.1:41234"], undefined],
      [["node", host, "not-an-address"], undefined],
      [["node", host, "127.0.0.1:0"], undefined],
      [["node", host, "127.0.0.1:65536"], undefined],
      [["node", host, "127.0.0.1:65535"], { host: "127.0.0.1", port: 65535 }],
    ] as const) {
      it(`${argv.slice(1).join(" ")} → ${expected ? `${expected.host}:${expected.port}` : "not a host"}`, () => {
        expect(engineAddressFromArgv(argv)).to.deep.equal(expected);
      });
    }
  });

  describe("probeEngine", () => {
    it("is true while something listens and false once the port is closed", async () => {
      const { server, port } = await listen();
      expect(await probeEngine({ host: "127.0.0.1", port })).to.equal(true);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      expect(await probeEngine({ host: "127.0.0.1", port })).to.equal(false);
    });
  });

  describe("watchEngine", () => {
    it("reports a gone engine once, after the configured number of refused probes in a row", async () => {
      const port = await closedPort();
      let reports = 0;
      await new Promise<void>((resolve) => {
        watchEngine({
          address: { host: "127.0.0.1", port },
          intervalMs: 5,
          failuresBeforeGone: 3,
          onGone: () => {
            reports += 1;
            resolve();
          },
        });
      });
      // The watch ends itself after reporting: no second report however long it is left.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(reports).to.equal(1);
    });

    it("counts only refused probes in a row: an engine that answers again is not gone", async () => {
      // Alive for three probes, then gone: the report needs two refused probes after that.
      const { server, port } = await listen();
      let connections = 0;
      server.on("connection", () => {
        connections += 1;
        if (connections === 3) server.close();
      });
      const connectionsAtReport = await new Promise<number>((resolve) => {
        watchEngine({
          address: { host: "127.0.0.1", port },
          intervalMs: 5,
          failuresBeforeGone: 2,
          onGone: () => resolve(connections),
        });
      });
      expect(connectionsAtReport).to.equal(3);
    });

    it("never reports an engine that keeps answering, and stops when asked", async () => {
      const { server, port } = await listen();
      let connections = 0;
      server.on("connection", () => (connections += 1));
      let reported = false;
      const stop = watchEngine({
        address: { host: "127.0.0.1", port },
        intervalMs: 5,
        failuresBeforeGone: 1,
        onGone: () => (reported = true),
      });
      while (connections < 5) await new Promise((resolve) => setTimeout(resolve, 5));
      stop();
      const seen = connections;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(reported).to.equal(false);
      expect(connections - seen, "no probe after stop").to.be.at.most(1);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
  });
});
