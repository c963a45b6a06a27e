// A `.wasm` file imported as a module (workerd, wrangler, most bundlers): the compiled module.
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
