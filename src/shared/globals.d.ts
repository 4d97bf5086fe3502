/**
 * Web-platform globals that every runtime Tonus runs on (Node ≥ 20, Electron, browsers) provides, declared
 * here because src/shared is compiled without DOM or Node types.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string);
  decode(input?: Uint8Array): string;
}
