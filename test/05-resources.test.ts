import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { defer } from "#exercises/05-resources/defer.ts";
import { AsyncStack, SuppressedError } from "#exercises/05-resources/stack.ts";
import { listen, type RunningServer } from "#exercises/05-resources/server.ts";
import { tempDir } from "#exercises/05-resources/temp-dir.ts";
import { settle } from "#kit/testing/clock.ts";
import { deferred, observe } from "#kit/testing/deferred.ts";
import { openNetworkHandles } from "#kit/testing/leaks.ts";

/**
 * Lets real I/O happen until `promise` settles or `ms` of real time passed;
 * says which.
 */
async function settlesWithin(
  promise: PromiseLike<unknown>,
  ms = 500,
): Promise<boolean> {
  const seen = observe(Promise.resolve(promise));
  const until = performance.now() + ms;
  while (seen.state === "pending" && performance.now() < until) await settle();
  return seen.state !== "pending";
}

/**
 * Describes an error chain by messages, so two chains can be compared with
 * toEqual.
 */
function chain(error: unknown): unknown {
  if (error instanceof Error && error.name === "SuppressedError") {
    const e = error as Error & { error: unknown; suppressed: unknown };
    return { error: chain(e.error), suppressed: chain(e.suppressed) };
  }
  return error instanceof Error ? error.message : error;
}

/** The error `promise` rejects with, or undefined when it fulfils. */
async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("defer", () => {
  it("runs cleanup when disposed", async () => {
    const log: string[] = [];
    {
      await using _ = defer(() => void log.push("cleanup"));
      log.push("body");
    }
    expect(
      log,
      "defer's cleanup should run when the block ends, after the body",
    ).toEqual(["body", "cleanup"]);
  });

  it("waits for an async cleanup to finish", async () => {
    const cleanup = deferred();
    const disposing = observe(
      Promise.resolve(defer(() => cleanup.promise)[Symbol.asyncDispose]()),
    );
    await settle();
    expect(
      disposing.state,
      "dispose resolved before the async cleanup finished: await what cleanup returns",
    ).toBe("pending");
    cleanup.resolve();
    await settle();
    expect(disposing.state).toBe("fulfilled");
  });

  it("runs cleanup once, however often it is disposed", async () => {
    let calls = 0;
    const resource = defer(() => void (calls += 1));
    await resource[Symbol.asyncDispose]();
    await resource[Symbol.asyncDispose]();
    await Promise.all([
      resource[Symbol.asyncDispose](),
      resource[Symbol.asyncDispose](),
    ]);
    expect(
      calls,
      `cleanup ran ${calls} times for 4 disposals: remember that it already ran, and run it only the first time`,
    ).toBe(1);
  });

  it("passes the cleanup's error on to whoever disposes", async () => {
    const boom = new Error("cleanup failed");
    const error = await rejection(
      defer(() => {
        throw boom;
      })[Symbol.asyncDispose](),
    );
    expect(
      error,
      "a cleanup that throws should make dispose reject with that error",
    ).toBe(boom);
  });
});

describe("AsyncStack", () => {
  it("disposes in reverse order: last in, first out", async () => {
    const order: number[] = [];
    const stack = new AsyncStack();
    for (const n of [1, 2, 3]) stack.defer(() => void order.push(n));
    await stack[Symbol.asyncDispose]();
    expect(
      order,
      `cleanups ran in the order ${order.join(", ")}: a stack disposes last in, first out (3, 2, 1), because later resources may depend on earlier ones. Walk the list from the end`,
    ).toEqual([3, 2, 1]);
  });

  it("awaits each cleanup before starting the next", async () => {
    const started: string[] = [];
    const second = deferred();
    const stack = new AsyncStack();
    stack.defer(() => void started.push("first"));
    stack.defer(() => {
      started.push("second");
      return second.promise;
    });
    const disposing = observe(stack[Symbol.asyncDispose]());
    await settle();
    expect(
      started,
      started[0] === "first"
        ? `the cleanups started in the order ${started.join(", ")}: a stack disposes last in, first out, so "second" (added last) runs first`
        : "the next cleanup started while the one before it was still running: await each cleanup in turn",
    ).toEqual(["second"]);
    second.resolve();
    await settle();
    expect(
      started,
      "once the second cleanup finished, the first one should run",
    ).toEqual(["second", "first"]);
    expect(
      disposing.state,
      "dispose should resolve once every cleanup finished",
    ).toBe("fulfilled");
  });

  it("use returns the resource and disposes it through Symbol.asyncDispose", async () => {
    const log: string[] = [];
    const stack = new AsyncStack();
    const resource = {
      async [Symbol.asyncDispose]() {
        log.push("disposed");
      },
    };
    expect(
      stack.use(resource),
      "use should return the very resource it was given",
    ).toBe(resource);
    await stack[Symbol.asyncDispose]();
    expect(
      log,
      "use'd resource was not disposed: call its [Symbol.asyncDispose]() on dispose",
    ).toEqual(["disposed"]);
  });

  it("use accepts a synchronous Disposable (Symbol.dispose)", async () => {
    const log: string[] = [];
    const stack = new AsyncStack();
    const resource = {
      [Symbol.dispose]() {
        log.push(
          this === resource ? "disposed" : "disposed with the wrong this",
        );
      },
    };
    const fallback =
      "a Disposable has only [Symbol.dispose]: fall back to it when [Symbol.asyncDispose] is missing, and call it on the resource";
    let returned: unknown;
    expect(() => (returned = stack.use(resource)), fallback).not.toThrow();
    expect(returned).toBe(resource);
    await stack[Symbol.asyncDispose]();
    expect(log, fallback).toEqual(["disposed"]);
  });

  it("use ignores null and undefined", async () => {
    const stack = new AsyncStack();
    const skip =
      "use(null) should return null and use(undefined) undefined, and add nothing";
    let returned: unknown[] = [];
    expect(
      () => (returned = [stack.use(null), stack.use(undefined)]),
      skip,
    ).not.toThrow();
    expect(returned, skip).toEqual([null, undefined]);
    const error = await rejection(stack[Symbol.asyncDispose]());
    expect(
      error,
      "null and undefined should be skipped, as `await using x = null` skips them",
    ).toBeUndefined();
  });

  it("use throws a TypeError for a value that cannot be disposed", () => {
    const stack = new AsyncStack();
    for (const value of [
      {},
      42,
      "text",
      { [Symbol.asyncDispose]: "not a function" },
    ]) {
      expect(
        () => stack.use(value as unknown as AsyncDisposable),
        `use(${typeof value === "object" ? JSON.stringify(value) : String(value)}) should throw a TypeError at once, not fail later at dispose`,
      ).toThrow(TypeError);
    }
  });

  it("adopt returns the value and hands it to onDispose", async () => {
    const seen: unknown[] = [];
    const stack = new AsyncStack();
    const handle = { fd: 7 };
    expect(
      stack.adopt(handle, (value) => void seen.push(value)),
      "adopt should return the value it was given",
    ).toBe(handle);
    await stack[Symbol.asyncDispose]();
    expect(seen, "onDispose should be called with the adopted value").toEqual([
      handle,
    ]);
    expect(seen[0]).toBe(handle);
  });

  it("runs use, adopt and defer cleanups in one reverse order", async () => {
    const order: string[] = [];
    const stack = new AsyncStack();
    stack.use({
      async [Symbol.asyncDispose]() {
        order.push("use");
      },
    });
    stack.adopt("value", () => void order.push("adopt"));
    stack.defer(() => void order.push("defer"));
    await stack[Symbol.asyncDispose]();
    expect(
      order,
      "use, adopt and defer go onto one stack: the last one added is disposed first",
    ).toEqual(["defer", "adopt", "use"]);
  });

  it("runs every cleanup even when one throws, and rejects with that error", async () => {
    const order: number[] = [];
    const boom = new Error("cleanup 2 failed");
    const stack = new AsyncStack();
    stack.defer(() => void order.push(1));
    stack.defer(() => {
      order.push(2);
      throw boom;
    });
    stack.defer(() => void order.push(3));
    const error = await rejection(stack[Symbol.asyncDispose]());
    expect(
      order,
      order.length === 3
        ? `all three cleanups ran, but in the order ${order.join(", ")}: a stack disposes last in, first out (3, 2, 1)`
        : `after cleanup 2 threw, only ${order.join(", ")} ran: one failing cleanup must not stop the rest (catch, remember the error, go on)`,
    ).toEqual([3, 2, 1]);
    expect(
      error,
      "with one failing cleanup, dispose should reject with that very error, not wrapped",
    ).toBe(boom);
  });

  it("chains several cleanup errors as SuppressedError, the newer error outside", async () => {
    const e1 = new Error("cleanup 1 failed");
    const e2 = new Error("cleanup 2 failed");
    const e3 = new Error("cleanup 3 failed");
    const order: number[] = [];
    const stack = new AsyncStack();
    for (const [i, e] of [e1, e2, e3].entries())
      stack.defer(() => {
        order.push(i + 1);
        throw e;
      });
    const error = (await rejection(
      stack[Symbol.asyncDispose](),
    )) as SuppressedError;
    expect(
      order,
      `the cleanups ran in the order ${order.join(", ")}: a stack disposes last in, first out (3, 2, 1), also when they throw`,
    ).toEqual([3, 2, 1]);
    expect(
      error,
      "several failing cleanups should reject with a SuppressedError",
    ).toBeInstanceOf(SuppressedError);
    expect(
      chain(error),
      "wrong error chain: cleanups ran 3, 2, 1, so the chain is SuppressedError(error: e1, suppressed: SuppressedError(error: e2, suppressed: e3)); " +
        "each new error goes in `error`, the chain so far in `suppressed`",
    ).toEqual({
      error: "cleanup 1 failed",
      suppressed: { error: "cleanup 2 failed", suppressed: "cleanup 3 failed" },
    });
    expect(error.error).toBe(e1);
  });

  it("chains errors exactly as `await using` does", async () => {
    const order: string[] = [];
    const failing = (message: string) => ({
      async [Symbol.asyncDispose]() {
        order.push(message);
        throw new Error(message);
      },
    });
    const viaAwaitUsing = await rejection(
      (async () => {
        await using _a = failing("a");
        await using _b = failing("b");
        await using _c = failing("c");
      })(),
    );
    const stack = new AsyncStack();
    stack.use(failing("a"));
    stack.use(failing("b"));
    stack.use(failing("c"));
    order.length = 0; // keep only the stack's order
    const viaStack = await rejection(stack[Symbol.asyncDispose]());
    expect(
      order,
      `the stack disposed a, b, c (used in that order) as ${order.join(", ")}; \`await using\` disposes them c, b, a: last in, first out`,
    ).toEqual(["c", "b", "a"]);
    expect(
      chain(viaStack),
      "AsyncStack chained its errors differently from `await using` with the same three resources",
    ).toEqual(chain(viaAwaitUsing));
  });

  it("disposes only once, however often it is disposed", async () => {
    let calls = 0;
    const stack = new AsyncStack();
    stack.defer(() => void (calls += 1));
    expect(stack.disposed, "a new stack is not disposed").toBe(false);
    await Promise.all([
      stack[Symbol.asyncDispose](),
      stack[Symbol.asyncDispose](),
    ]);
    await stack[Symbol.asyncDispose]();
    expect(
      calls,
      `the cleanup ran ${calls} times for 3 disposals: mark the stack disposed before the first await, and do nothing when it already is`,
    ).toBe(1);
    expect(stack.disposed, "disposed should be true after dispose").toBe(true);
  });

  it("throws a ReferenceError when used after dispose", async () => {
    const stack = new AsyncStack();
    await stack[Symbol.asyncDispose]();
    const attempts: Array<[string, () => unknown]> = [
      ["use", () => stack.use({ [Symbol.dispose]() {} })],
      ["adopt", () => stack.adopt(1, () => {})],
      ["defer", () => stack.defer(() => {})],
      ["move", () => stack.move()],
    ];
    for (const [name, attempt] of attempts) {
      expect(
        attempt,
        `${name}() on a disposed stack should throw a ReferenceError: nothing would ever clean up what it adds`,
      ).toThrow(ReferenceError);
    }
  });

  it("move hands every resource to a new stack and leaves this one disposed", async () => {
    const order: number[] = [];
    const stack = new AsyncStack();
    for (const n of [1, 2, 3]) stack.defer(() => void order.push(n));
    const moved = stack.move();
    expect(moved, "move should return a new AsyncStack").toBeInstanceOf(
      AsyncStack,
    );
    expect(moved, "move should return a new stack, not this one").not.toBe(
      stack,
    );
    const oldDisposed = stack.disposed;
    expect(moved.disposed, "the new stack should not be disposed").toBe(false);
    await stack[Symbol.asyncDispose]();
    expect(
      order,
      "disposing the old stack after move ran cleanups: move must take them away from it",
    ).toEqual([]);
    expect(
      oldDisposed,
      "after move, the old stack should count as disposed",
    ).toBe(true);
    await moved[Symbol.asyncDispose]();
    expect(
      order,
      "the new stack should dispose every moved resource, in reverse order",
    ).toEqual([3, 2, 1]);
  });

  it("works with await using, and a failing cleanup chains with the body's error", async () => {
    const order: string[] = [];
    const bodyError = new Error("body failed");
    const cleanupError = new Error("cleanup failed");
    const error = await rejection(
      (async () => {
        await using stack = new AsyncStack();
        stack.defer(() => void order.push("first"));
        stack.defer(() => {
          order.push("second");
          throw cleanupError;
        });
        throw bodyError;
      })(),
    );
    expect(
      order,
      `await using disposed the stack, and its cleanups ran in the order ${order.join(", ")}: last in, first out`,
    ).toEqual(["second", "first"]);
    expect(
      chain(error),
      "the body's error should end up in `suppressed`, the cleanup's error in `error`",
    ).toEqual({
      error: "cleanup failed",
      suppressed: "body failed",
    });
  });
});

interface Reply {
  status: number;
  body: string;
  /** True when the whole body arrived. */
  complete: boolean;
}

/**
 * A GET with node:http, settled however it ends (a reply, a cut-off reply, an
 * error).
 */
function get(url: URL, agent: http.Agent | false = false): Promise<Reply> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("error", () => {});
      response.on("close", () =>
        resolve({
          status: response.statusCode ?? 0,
          body,
          complete: response.complete,
        }),
      );
    });
    request.on("error", () =>
      resolve({ status: 0, body: "", complete: false }),
    );
  });
}

/**
 * Waits (a bounded number of event-loop turns) for this process's sockets to be
 * back to `count`.
 */
async function networkHandlesBackTo(count: number): Promise<number> {
  for (
    let turn = 0;
    turn < 50 && openNetworkHandles().length > count;
    turn += 1
  )
    await settle();
  return openNetworkHandles().length;
}

/**
 * Records whether the server emitted "close", and force-closes it when a test
 * failed half-way.
 */
function watch(running: RunningServer) {
  const state = { closed: false };
  running.server.on("close", () => (state.closed = true));
  return {
    state,
    rescue() {
      running.server.closeAllConnections();
      running.server.close();
    },
  };
}

describe("listen", () => {
  it("serves requests on 127.0.0.1, on a free port, at url", async () => {
    const running = await listen((_req, res) => res.end("hello"));
    try {
      expect(running.url, "url should be a URL object").toBeInstanceOf(URL);
      expect(
        running.server.listening,
        "listen should resolve once the server listens",
      ).toBe(true);
      const address = running.server.address();
      expect(
        typeof address === "object" && address?.address,
        "by default the server should bind 127.0.0.1 (this machine only), not every interface: pass host to server.listen",
      ).toBe("127.0.0.1");
      expect(
        running.url.hostname,
        "url should name the host the server listens on",
      ).toBe("127.0.0.1");
      expect(
        Number(running.url.port),
        "url should carry the port the system picked (server.address().port)",
      ).toBe(typeof address === "object" ? address?.port : -1);
      expect(
        (await get(running.url)).body,
        "a GET to url should reach the handler",
      ).toBe("hello");
    } finally {
      await running[Symbol.asyncDispose]();
    }
  });

  it("gives each server its own free port", async () => {
    const a = await listen((_req, res) => res.end("a"));
    const b = await listen((_req, res) => res.end("b"));
    try {
      expect(
        a.url.port,
        "two servers got the same port: listen on port 0 so the system picks a free one",
      ).not.toBe(b.url.port);
      expect((await get(b.url)).body).toBe("b");
    } finally {
      await b[Symbol.asyncDispose]();
      await a[Symbol.asyncDispose]();
    }
  });

  it("rejects when the port is taken, and leaves nothing open", async () => {
    const before = openNetworkHandles().length;
    const first = await listen((_req, res) => res.end());
    try {
      const second = listen((_req, res) => res.end(), {
        port: Number(first.url.port),
      });
      expect(
        await settlesWithin(second),
        "listen never settled when the port was taken: a failure to listen arrives as the server's 'error' event, reject with it",
      ).toBe(true);
      const error = (await rejection(second)) as
        NodeJS.ErrnoException | undefined;
      expect(
        error?.code,
        "listening on a port in use should reject with EADDRINUSE: the server reports it as an 'error' event",
      ).toBe("EADDRINUSE");
    } finally {
      await first[Symbol.asyncDispose]();
    }
    expect(
      await networkHandlesBackTo(before),
      "a server is still open after listen failed",
    ).toBe(before);
  });

  it("resolves dispose only once the server has closed", async () => {
    const before = openNetworkHandles().length;
    const running = await listen((_req, res) => res.end("ok"));
    const watched = watch(running);
    try {
      await get(running.url);
      await running[Symbol.asyncDispose]();
      expect(
        watched.state.closed,
        "dispose resolved before the server emitted 'close': wrap server.close(callback) in a promise and resolve it in the callback",
      ).toBe(true);
      expect(
        running.server.listening,
        "the server still listens after dispose",
      ).toBe(false);
      expect(
        (await get(running.url)).status,
        "a request after dispose still got an answer: dispose must stop accepting connections",
      ).toBe(0);
      expect(
        await networkHandlesBackTo(before),
        "a socket or server is still open after dispose",
      ).toBe(before);
    } finally {
      watched.rescue();
    }
  });

  it("closes idle keep-alive connections", async () => {
    const agent = new http.Agent({ keepAlive: true });
    const running = await listen((_req, res) => res.end("ok"));
    const watched = watch(running);
    try {
      await get(running.url, agent);
      const disposing = running[Symbol.asyncDispose]();
      expect(
        await settlesWithin(disposing),
        "dispose did not resolve while a keep-alive connection sat idle: the connection keeps the server open; close idle connections too (server.closeIdleConnections())",
      ).toBe(true);
      expect(
        watched.state.closed,
        "the server had not emitted 'close' when dispose resolved",
      ).toBe(true);
    } finally {
      agent.destroy();
      watched.rescue();
    }
  });

  it("ends requests still in flight and resolves once the server has closed", async () => {
    const before = openNetworkHandles().length;
    const arrived = deferred();
    const handlerSawClose = deferred();
    const running = await listen((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("partial");
      res.on("close", () => handlerSawClose.resolve());
      arrived.resolve();
      // Never ends: a slow handler, or a stream that goes on forever.
    });
    const watched = watch(running);
    try {
      const reply = get(running.url);
      await arrived.promise;
      const disposing = running[Symbol.asyncDispose]();
      expect(
        await settlesWithin(disposing),
        "dispose did not resolve while a request was in flight: server.close() waits for every connection, so end the connections left open (server.closeAllConnections())",
      ).toBe(true);
      expect(
        watched.state.closed,
        "dispose resolved before the server emitted 'close': wrap server.close(callback) in a promise and resolve it in the callback",
      ).toBe(true);
      expect(
        await settlesWithin(handlerSawClose.promise),
        "the handler's response never closed",
      ).toBe(true);
      const { body, complete } = await reply;
      expect(
        body,
        "the client should have received the part sent before dispose",
      ).toBe("partial");
      expect(complete, "the cut-off response cannot be complete").toBe(false);
      expect(
        await networkHandlesBackTo(before),
        "a socket or server is still open after dispose",
      ).toBe(before);
    } finally {
      watched.rescue();
    }
  });

  it("does nothing when disposed again", async () => {
    const running = await listen((_req, res) => res.end());
    const watched = watch(running);
    try {
      await running[Symbol.asyncDispose]();
      const error = await rejection(running[Symbol.asyncDispose]());
      expect(
        error,
        "a second dispose rejected (server.close() on a closed server fails with ERR_SERVER_NOT_RUNNING): close only once",
      ).toBeUndefined();
    } finally {
      watched.rescue();
    }
  });

  it("closes the server when the body of `await using` throws, and the error still surfaces", async () => {
    let server: http.Server | undefined;
    const boom = new Error("handler test failed");
    const error = await rejection(
      (async () => {
        await using running = await listen((_req, res) => res.end("ok"));
        server = running.server;
        await get(running.url);
        throw boom;
      })(),
    );
    expect(
      error,
      "the body's error should come out of the block unchanged",
    ).toBe(boom);
    expect(
      server?.listening,
      "the server still listens after the block threw",
    ).toBe(false);
  });
});

describe("tempDir", () => {
  it("creates a directory under the system's temp folder, named with the prefix", async () => {
    const dir = await tempDir("lesson05-");
    try {
      expect(
        existsSync(dir.path),
        `${dir.path} does not exist: create it before resolving (mkdtemp)`,
      ).toBe(true);
      expect(
        dirname(dir.path),
        "the directory should be created under os.tmpdir()",
      ).toBe(tmpdir());
      expect(
        basename(dir.path).startsWith("lesson05-"),
        `the directory is named ${basename(dir.path)}: its name should start with the prefix`,
      ).toBe(true);
    } finally {
      await rm(dir.path, { recursive: true, force: true });
    }
  });

  it("gives every call its own directory", async () => {
    const a = await tempDir("same-");
    const b = await tempDir("same-");
    try {
      expect(
        a.path,
        "two calls with the same prefix got the same directory: let mkdtemp add random characters",
      ).not.toBe(b.path);
    } finally {
      await rm(a.path, { recursive: true, force: true });
      await rm(b.path, { recursive: true, force: true });
    }
  });

  it("removes the directory with its contents on dispose", async () => {
    const dir = await tempDir("lesson05-");
    try {
      await mkdir(join(dir.path, "nested"));
      await writeFile(join(dir.path, "nested", "data.txt"), "hello");
      await writeFile(join(dir.path, "top.txt"), "hello");
      const error = await rejection(dir[Symbol.asyncDispose]());
      expect(
        error,
        `dispose failed (${String(error)}): a directory with files in it needs rm(path, { recursive: true })`,
      ).toBeUndefined();
      expect(
        existsSync(dir.path),
        "the directory is still there after dispose, with its contents",
      ).toBe(false);
    } finally {
      await rm(dir.path, { recursive: true, force: true });
    }
  });

  it("removes the directory also when the body threw", async () => {
    let path = "";
    const boom = new Error("body failed");
    const error = await rejection(
      (async () => {
        await using dir = await tempDir();
        path = dir.path;
        await writeFile(join(dir.path, "half-written.txt"), "…");
        throw boom;
      })(),
    );
    try {
      expect(error, "the body's error should surface unchanged").toBe(boom);
      expect(
        existsSync(path),
        "the directory is still there after the body threw",
      ).toBe(false);
    } finally {
      if (path) await rm(path, { recursive: true, force: true });
    }
  });

  it("does nothing when disposed again", async () => {
    const dir = await tempDir();
    try {
      await dir[Symbol.asyncDispose]();
      const error = await rejection(dir[Symbol.asyncDispose]());
      expect(
        error,
        `the second dispose failed (${String(error)}): removing a directory that is already gone should not be an error (rm's force option)`,
      ).toBeUndefined();
    } finally {
      await rm(dir.path, { recursive: true, force: true });
    }
  });
});
