# workerd config for the conformance run: `workerd serve config.capnp --socket-addr http=127.0.0.1:<port>`
# (test/runtimes/runtimes.mjs picks a free loopback port). Paths are relative to this file.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .conformanceWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8788", http = (), service = "main") ],
);

const conformanceWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "conformance/runner.mjs", esModule = embed "../../../conformance/runner.mjs"),
    (name = "gait/bundle/workerd.js", esModule = embed "../../../dist/bundle/workerd.js"),
    (name = "gait/core.wasm", wasm = embed "../../../dist/core.wasm"),
  ],
  compatibilityDate = "2025-09-01",
);
