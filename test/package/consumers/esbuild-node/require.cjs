// The unbundled package from CommonJS: require('gait-wasm') (Node loads its ES module build).
const { createGate, RUNTIME_ENTRY } = require('gait-wasm');
const { POLICY, report } = require('./decision.js');

console.log(JSON.stringify(report(createGate(POLICY), RUNTIME_ENTRY)));
