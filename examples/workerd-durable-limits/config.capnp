# workerd configuration for the Durable Object limits example (after `npm run build`, from the
# repository root): `mkdir -p .gait-out/durable-limits && npx workerd serve examples/workerd-durable-limits/config.capnp`.
# Listens on 127.0.0.1:8787 (`--socket-addr http=127.0.0.1:<port>` picks another address); the
# objects' SQLite files go to .gait-out/durable-limits (`--directory-path limits-storage=<dir>`
# picks another directory; relative paths are from the working directory, which must exist).
# Module paths are relative to this file.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "gate", worker = .gateWorker),
    (name = "limits-storage", disk = (path = ".gait-out/durable-limits", writable = true)),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "gate") ],
);

const gateWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "policy.yaml", text = embed "policy.yaml"),
    # The approvers' public key: approval tokens must be signed with its private half.
    (name = "approver_public.key", text = embed "approver_public.key"),
    # The package's workerd build and its core.wasm, as wrangler would bundle `gait-wasm`.
    (name = "gait/bundle/workerd.js", esModule = embed "../../dist/bundle/workerd.js"),
    (name = "gait/core.wasm", wasm = embed "../../dist/core.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  # GaitLimits must be SQLite-backed (wrangler: `new_sqlite_classes` in a migration).
  durableObjectNamespaces = [ (className = "GaitLimits", uniqueKey = "gait-durable-limits-example", enableSql = true) ],
  durableObjectStorage = (localDisk = "limits-storage"),
  bindings = [ (name = "LIMITS", durableObjectNamespace = "GaitLimits") ],
);
