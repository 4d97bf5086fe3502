/**
 * Framing of binary events over WebSocket: u8 length of the event name, the name in ASCII, then the
 * payload's own wire bytes (see `apiEvents[name].wire`). JSON events travel as `{event, payload}` text.
 */
export function encodeBinaryEvent(name: string, payload: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  if (nameBytes.length > 255) throw new RangeError(`event name too long: ${name}`);
  const out = new Uint8Array(1 + nameBytes.length + payload.length);
  out[0] = nameBytes.length;
  out.set(nameBytes, 1);
  out.set(payload, 1 + nameBytes.length);
  return out;
}

export function decodeBinaryEvent(bytes: Uint8Array): { name: string; payload: Uint8Array } {
  const length = bytes[0];
  if (length === undefined || bytes.length < 1 + length)
    throw new Error('binary event: truncated name at byte 0');
  return {
    name: new TextDecoder().decode(bytes.subarray(1, 1 + length)),
    payload: bytes.subarray(1 + length),
  };
}
