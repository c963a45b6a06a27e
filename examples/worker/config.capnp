# workerd configuration for the gate worker: `npx workerd serve examples/worker/config.capnp`
# (after `npm run build`). Listens on 127.0.0.1:8787; `--socket-addr http=127.0.0.1:<port>`
# picks another address. Paths are relative to this file.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "gate", worker = .gateWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "gate") ],
);

const gateWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "policy.yaml", text = embed "policy.yaml"),
    # The package's workerd build and its core.wasm, as wrangler would bundle `gait-wasm`.
    (name = "gait/bundle/workerd.js", esModule = embed "../../dist/bundle/workerd.js"),
    (name = "gait/core.wasm", wasm = embed "../../dist/core.wasm"),
  ],
  compatibilityDate = "2025-09-01",
);
