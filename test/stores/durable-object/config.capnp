# workerd config for the Durable Object limit store tests (test/stores/durable-object.test.ts):
# `workerd serve config.capnp --socket-addr http=127.0.0.1:<port> --directory-path do-storage=<dir>`.
# "main" defines the Durable Object namespaces; client0..7 run the same worker in isolates of
# their own, bound to main's namespaces (the test reaches them through main at /via/<n>/...).
# Paths are relative to this file.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .mainWorker),
    (name = "do-storage", disk = (path = "do-storage", writable = true)),
    (name = "client0", worker = .clientWorker),
    (name = "client1", worker = .clientWorker),
    (name = "client2", worker = .clientWorker),
    (name = "client3", worker = .clientWorker),
    (name = "client4", worker = .clientWorker),
    (name = "client5", worker = .clientWorker),
    (name = "client6", worker = .clientWorker),
    (name = "client7", worker = .clientWorker),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:8790", http = (), service = "main") ],
);

const modules :List(Workerd.Worker.Module) = [
  (name = "worker.js", esModule = embed "worker.js"),
  (name = "gait/bundle/workerd.js", esModule = embed "../../../dist/bundle/workerd.js"),
  (name = "gait/core.wasm", wasm = embed "../../../dist/core.wasm"),
];

const mainWorker :Workerd.Worker = (
  modules = .modules,
  compatibilityDate = "2025-09-01",
  durableObjectNamespaces = [
    (className = "GaitLimits", uniqueKey = "gait-limits-test", enableSql = true),
    (className = "KvGaitLimits", uniqueKey = "gait-limits-test-kv"),
    (className = "InspectableGaitLimits", uniqueKey = "gait-limits-test-inspect", enableSql = true),
    (className = "Throwing", uniqueKey = "gait-limits-test-throwing", enableSql = true),
    (className = "Slow", uniqueKey = "gait-limits-test-slow", enableSql = true),
    (className = "Garbled", uniqueKey = "gait-limits-test-garbled", enableSql = true),
  ],
  durableObjectStorage = (localDisk = "do-storage"),
  bindings = [
    (name = "LIMITS", durableObjectNamespace = "GaitLimits"),
    (name = "KV_LIMITS", durableObjectNamespace = "KvGaitLimits"),
    (name = "INSPECT", durableObjectNamespace = "InspectableGaitLimits"),
    (name = "THROWING", durableObjectNamespace = "Throwing"),
    (name = "SLOW", durableObjectNamespace = "Slow"),
    (name = "GARBLED", durableObjectNamespace = "Garbled"),
    (name = "CLIENT_0", service = "client0"),
    (name = "CLIENT_1", service = "client1"),
    (name = "CLIENT_2", service = "client2"),
    (name = "CLIENT_3", service = "client3"),
    (name = "CLIENT_4", service = "client4"),
    (name = "CLIENT_5", service = "client5"),
    (name = "CLIENT_6", service = "client6"),
    (name = "CLIENT_7", service = "client7"),
  ],
);

const clientWorker :Workerd.Worker = (
  modules = .modules,
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "LIMITS", durableObjectNamespace = (className = "GaitLimits", serviceName = "main")),
  ],
);
