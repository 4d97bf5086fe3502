import { createContext, useContext } from 'react';
import type { AngleUnit } from './units.js';

/**
 * The angle unit chosen in Settings, provided by the App (read once from `getSettings`, updated when the
 * Settings screen saves a change). Degrees until the settings arrive.
 */
export const AngleUnitContext = createContext<AngleUnit>('deg');

/** The current display unit for angles and angular velocities. */
export const useAngleUnit = (): AngleUnit => useContext(AngleUnitContext);
