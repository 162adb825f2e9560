// Lets the event loop run (a Ctrl-C handler, an AbortSignal's abort, a worker's messages) during
// long loops, portably: a MessageChannel message is delivered as a new task in Node, Deno,
// browsers and workers, without setTimeout's 1–4 ms clamp. setImmediate is Node-only.
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
