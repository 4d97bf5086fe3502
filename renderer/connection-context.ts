import { createContext, useContext } from 'react';

/**
 * True while the page has no live connection to Tonus (lost or refused): what it shows of running things
 * (streaming, recording clock) is then unknown, and it must not claim them.
 */
export const ConnectionLostContext = createContext(false);

export const useConnectionLost = (): boolean => useContext(ConnectionLostContext);
