/**
 * The provider host's engine watch: which command lines it recognises as Pulumi's dynamic-provider
 * host, how it probes an address, and that it reports a gone engine only after enough refused
 * probes in a row (real sockets on loopback; probes are counted through Node's `net.client.socket`
 * diagnostics channel, and no upper bound is put on how long anything takes).
 */
import { expect } from "chai";
import * as diagnosticsChannel from "node:diagnostics_channel";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as net from "node:net";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import {
  ENGINE_PROBE_INTERVAL_MS,
  engineAddressFromArgv,
  type HostProcess,
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

/** Resolves after `ms` milliseconds. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Counts the connection attempts this process makes to `port` once each has settled (connected
 * or failed), seen through Node's `net.client.socket` diagnostics channel.
 */
function countAttempts(
  port: number,
  onSettled: () => void = () => undefined,
): { readonly settled: () => number; readonly end: () => void } {
  let settled = 0;
  const onSocket = (message: unknown): void => {
    const { socket } = message as { socket: net.Socket };
    // Registered before the prober's own listeners, so an attempt is counted (and `onSettled`
    // runs) before the prober judges it.
    socket.once("connect", () => {
      if (socket.remotePort !== port) return;
      settled += 1;
      onSettled();
    });
    socket.once("error", (error: NodeJS.ErrnoException & { port?: number }) => {
      if (error.port !== port) return;
      settled += 1;
      onSettled();
    });
  };
  diagnosticsChannel.subscribe("net.client.socket", onSocket);
  return {
    settled: () => settled,
    end: () => diagnosticsChannel.unsubscribe("net.client.socket", onSocket),
  };
}

/**
 * An engine too busy to accept: a listener with a backlog of one in a worker thread that is blocked,
 * so it never accepts. Once the kernel's accept queue holds two connections, further connection
 * attempts get no answer at all (Linux drops their SYNs) and hang.
 */
async function unresponsiveEngine(): Promise<{ port: number; release: () => Promise<void> }> {
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(
    `const { workerData: shared } = require("node:worker_threads");
     const server = require("node:net").createServer();
     server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
       Atomics.store(shared, 1, server.address().port);
       Atomics.notify(shared, 1);
       Atomics.wait(shared, 0, 0);
       server.close();
     });`,
    { eval: true, workerData: shared },
  );
  while (Atomics.load(shared, 1) === 0) await sleep(10);
  const port = Atomics.load(shared, 1);
  const queued = [0, 1].map(() => net.connect({ host: "127.0.0.1", port }));
  await Promise.all(
    queued.map((socket) => new Promise((resolve) => socket.once("connect", resolve))),
  );
  return {
    port,
    release: async () => {
      for (const socket of queued) socket.destroy();
      Atomics.store(shared, 0, 1);
      Atomics.notify(shared, 0);
      await new Promise((resolve) => worker.once("exit", resolve));
    },
  };
}

/**
 * An engine that resets every connection it accepts, in a worker thread, and a way to make a probe
 * read that reset as the outcome of its connection attempt: {@link resetEngine}'s `hold` blocks this
 * thread from just after the probe's connect() until the kernel has dropped the reset socket, so the
 * probe's first news of its connection is the reset (as when the reset beats the event loop).
 */
async function resetEngine(): Promise<{
  port: number;
  hold: () => void;
  close: () => Promise<void>;
}> {
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(
    `const { workerData: shared, parentPort } = require("node:worker_threads");
     const server = require("node:net").createServer((socket) => {
       socket.resetAndDestroy();
       Atomics.add(shared, 0, 1);
       Atomics.notify(shared, 0);
     });
     server.listen({ port: 0, host: "127.0.0.1" }, () => {
       Atomics.store(shared, 1, server.address().port);
       Atomics.notify(shared, 1);
     });
     parentPort.once("message", () => server.close(() => parentPort.close()));`,
    { eval: true, workerData: shared },
  );
  while (Atomics.load(shared, 1) === 0) await sleep(10);
  const port = Atomics.load(shared, 1);
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  /** Client sockets of this machine connected to the engine's port, from the kernel's table. */
  const clientSockets = (): number =>
    fs
      .readFileSync("/proc/net/tcp", "utf8")
      .split("\n")
      .slice(1)
      .filter((line) => line.trim().split(/\s+/)[2]?.endsWith(suffix)).length;
  return {
    port,
    hold: () => {
      const resets = Atomics.load(shared, 0);
      Atomics.wait(shared, 0, resets, 10_000);
      const deadline = Date.now() + 10_000;
      while (clientSockets() > 0 && Date.now() < deadline) Atomics.wait(shared, 1, port, 1);
    },
    close: async () => {
      worker.postMessage("close");
      await new Promise((resolve) => worker.once("exit", resolve));
    },
  };
}

/** Rejects naming `what` if `promise` has not settled within `ms` milliseconds. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
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
      [["node", host, "127.0.0.1:1"], { host: "127.0.0.1", port: 1 }],
      [["node", host.replace(".js", ""), "127.0.0.1:2"], { host: "127.0.0.1", port: 2 }],
      [["node", "/p/cmd/dynamic-provider-tools/run.js", "127.0.0.1:41234"], undefined],
      [["node", host, "http://127.0.0.1:41234"], undefined],
      [["node", host, "127.0.0.1:41234/"], undefined],
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

    it("hangs up its connection: the engine sees the probe close", async () => {
      let engineSide: net.Socket | undefined;
      const server = net.createServer((socket) => (engineSide = socket));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as net.AddressInfo).port;
      try {
        expect(await probeEngine({ host: "127.0.0.1", port })).to.equal(true);
        while (!engineSide) await sleep(10);
        const socket = engineSide;
        await within(
          new Promise((resolve) => socket.once("close", resolve)),
          5_000,
          "the engine's side of the probe",
        );
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    it("counts an engine that does not answer within the timeout as alive", async () => {
      const engine = await unresponsiveEngine();
      try {
        const probe = probeEngine({ host: "127.0.0.1", port: engine.port }, 300);
        expect(await within(probe, 5_000, "a probe of an unresponsive engine")).to.equal(true);
      } finally {
        await engine.release();
      }
    });

    it("counts an engine that resets the connection as gone", async () => {
      const engine = await resetEngine();
      try {
        const probe = probeEngine({ host: "127.0.0.1", port: engine.port });
        // The probe's connect() is issued on the next tick (an IP host needs no lookup).
        await new Promise((resolve) => process.nextTick(resolve));
        engine.hold();
        expect(await within(probe, 5_000, "a probe of a resetting engine")).to.equal(false);
      } finally {
        await engine.close();
      }
    });

    it("counts only a refusal or a reset as gone: an unreachable address is not proof", async () => {
      // Linux refuses TCP to the broadcast address with ENETUNREACH before anything is sent.
      expect(await probeEngine({ host: "255.255.255.255", port: 9 })).to.equal(true);
    });
  });

  describe("watchEngine", () => {
    it("reports a gone engine once, after the configured number of refused probes in a row", async () => {
      const port = await closedPort();
      const attempts = countAttempts(port);
      let reports = 0;
      try {
        const attemptsAtReport = await new Promise<number>((resolve) => {
          watchEngine({
            address: { host: "127.0.0.1", port },
            intervalMs: 5,
            failuresBeforeGone: 3,
            onGone: () => {
              reports += 1;
              resolve(attempts.settled());
            },
          });
        });
        expect(attemptsAtReport).to.equal(3);
        // The watch ends itself after reporting: no further probe, no second report.
        await sleep(1_000);
        expect(reports).to.equal(1);
        expect(attempts.settled()).to.equal(3);
      } finally {
        attempts.end();
      }
    });

    it("reports after the first refused probe when one is enough", async () => {
      const port = await closedPort();
      const attempts = countAttempts(port);
      try {
        const attemptsAtReport = await new Promise<number>((resolve) => {
          watchEngine({
            address: { host: "127.0.0.1", port },
            intervalMs: 5,
            failuresBeforeGone: 1,
            onGone: () => resolve(attempts.settled()),
          });
        });
        expect(attemptsAtReport).to.equal(1);
      } finally {
        attempts.end();
      }
    });

    it("counts only refused probes in a row: an engine that answers again is not gone", async () => {
      // Alive for three probes, then gone: the report needs two refused probes after that.
      const { server, port } = await listen();
      const attempts = countAttempts(port);
      let connections = 0;
      server.on("connection", () => {
        connections += 1;
        if (connections === 3) server.close();
      });
      try {
        const attemptsAtReport = await new Promise<number>((resolve) => {
          watchEngine({
            address: { host: "127.0.0.1", port },
            intervalMs: 5,
            failuresBeforeGone: 2,
            onGone: () => resolve(attempts.settled()),
          });
        });
        expect(connections).to.equal(3);
        expect(attemptsAtReport).to.equal(5);
      } finally {
        attempts.end();
      }
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
      while (connections < 5) await sleep(5);
      stop();
      const seen = connections;
      await sleep(1_000);
      expect(reported).to.equal(false);
      // A probe already on its way when stop() ran may still land; nothing after it.
      expect(connections - seen, "probes after stop").to.be.at.most(1);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("probes nothing at all when stopped before its first probe", async () => {
      const { server, port } = await listen();
      let connections = 0;
      server.on("connection", () => (connections += 1));
      const stop = watchEngine({
        address: { host: "127.0.0.1", port },
        intervalMs: 5,
        onGone: () => undefined,
      });
      stop();
      await sleep(1_000);
      expect(connections).to.equal(0);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("ignores the answer of a probe that was in flight when it was stopped", async () => {
      const port = await closedPort();
      let stop = (): void => undefined;
      // Stops the watch when the first probe's refusal arrives, before the prober itself sees it:
      // the probe was in flight at stop(), whatever the machine's load.
      const attempts = countAttempts(port, () => stop());
      let reported = false;
      try {
        stop = watchEngine({
          address: { host: "127.0.0.1", port },
          intervalMs: 20,
          failuresBeforeGone: 1,
          onGone: () => (reported = true),
        });
        await sleep(1_000);
        expect(attempts.settled(), "the one probe sent before stop()").to.equal(1);
        expect(reported).to.equal(false);
      } finally {
        attempts.end();
      }
    });

    it("waits the default interval between probes when none is given", async () => {
      const { server, port } = await listen();
      const connectedAt: number[] = [];
      server.on("connection", () => connectedAt.push(performance.now()));
      const stop = watchEngine({ address: { host: "127.0.0.1", port }, onGone: () => undefined });
      while (connectedAt.length < 3) await sleep(20);
      stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // A lower bound only: a loaded machine makes gaps longer, never shorter (1 ms of slack for
      // the timer's millisecond rounding).
      for (let index = 1; index < connectedAt.length; index += 1) {
        expect(connectedAt[index]! - connectedAt[index - 1]!).to.be.at.least(
          ENGINE_PROBE_INTERVAL_MS - 1,
        );
      }
    });

    it("never keeps the process alive: its timer is unreferenced", () => {
      const referencedTimers = (): number =>
        process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
      const before = referencedTimers();
      const stop = watchEngine({
        address: { host: "127.0.0.1", port: 9 },
        intervalMs: 60_000,
        onGone: () => undefined,
      });
      const during = referencedTimers();
      stop();
      expect(during).to.equal(before);
    });
  });

  describe("exitWhenEngineGone", () => {
    const load = createRequire(__filename);
    const modulePath = load.resolve("../adapters/dynamicProvider/engineWatch");
    /** A copy of the module that has not watched anything yet. */
    const freshEngineWatch = (): typeof import("../adapters/dynamicProvider/engineWatch") => {
      delete load.cache[modulePath];
      return load(modulePath) as typeof import("../adapters/dynamicProvider/engineWatch");
    };
    after(() => delete load.cache[modulePath]);

    it("in a provider host, writes one line and exits with status 1 once the engine is gone, watching once however often it is called", async () => {
      const port = await closedPort();
      const attempts = countAttempts(port);
      const written: string[] = [];
      const exits: number[] = [];
      const hostWith = (argv: string[]): HostProcess => ({
        argv,
        stderr: { write: (text) => written.push(text) },
        exit: (code) => exits.push(code),
      });
      try {
        const { exitWhenEngineGone } = freshEngineWatch();
        // Not a provider host: nothing is watched, and the host's later call still starts a watch.
        exitWhenEngineGone(hostWith(["node", "/p/node_modules/.bin/mocha", `127.0.0.1:${port}`]));
        const host = hostWith(["node", "/p/cmd/dynamic-provider/index.js", `127.0.0.1:${port}`]);
        exitWhenEngineGone(host);
        exitWhenEngineGone(host);
        while (exits.length === 0) await sleep(20);
        // Long enough for a second watch, had one been started, to report too.
        await sleep(1_000);
        expect(exits).to.deep.equal([1]);
        expect(written).to.deep.equal([
          `[medialive] the Pulumi engine at 127.0.0.1:${port} is gone; stopping this provider so no further API call is made\n`,
        ]);
        // One watch: the default two refused probes, then the exit.
        expect(attempts.settled()).to.equal(2);
      } finally {
        attempts.end();
      }
    });
  });
});
