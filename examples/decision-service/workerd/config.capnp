# workerd configuration for the decision-service worker (after `npm run build`, from the
# repository root): `npx workerd serve examples/decision-service/workerd/config.capnp`.
# Listens on 127.0.0.1:8787 (`--socket-addr http=127.0.0.1:<port>` picks another address).
# GAIT_SIGNING_KEY and GAIT_SERVE_TOKEN come from workerd's environment (secrets on Cloudflare).
# Module paths are relative to this file.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "decisions", worker = .decisionWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "decisions") ],
);

const decisionWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "policy.yaml", text = embed "../policy.yaml"),
    # The package's workerd build and its core.wasm, as wrangler would bundle `gait-wasm`.
    (name = "gait/bundle/workerd.js", esModule = embed "../../../dist/bundle/workerd.js"),
    (name = "gait/core.wasm", wasm = embed "../../../dist/core.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "GAIT_SIGNING_KEY", fromEnvironment = "GAIT_SIGNING_KEY"),
    (name = "GAIT_SERVE_TOKEN", fromEnvironment = "GAIT_SERVE_TOKEN"),
  ],
);
