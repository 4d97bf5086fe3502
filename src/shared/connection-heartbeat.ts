/**
 * The browser shell's liveness signal. The server sends {@link HEARTBEAT_MESSAGE} on every event socket every
 * {@link HEARTBEAT_INTERVAL_MS}; a page that hears nothing (no heartbeat, no event) for
 * {@link CONNECTION_LOST_AFTER_MS} treats the connection as lost, even when the socket has not closed (a
 * server that hangs, or a network that drops packets silently).
 */
export const HEARTBEAT_INTERVAL_MS = 400;

/** Silence after which a page says the connection is lost: three missed heartbeats, well inside 2 s. */
export const CONNECTION_LOST_AFTER_MS = 1200;

/** The text frame of a heartbeat. It is not an API event: clients that do not know it ignore it. */
export const HEARTBEAT_MESSAGE = '{"heartbeat":true}';

/** Whether a text frame from the event socket is a heartbeat (and not an event). */
export const isHeartbeat = (text: string): boolean => text === HEARTBEAT_MESSAGE;
