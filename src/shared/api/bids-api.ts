import { z } from 'zod';

/** Research export as an EMG-BIDS dataset (BIDS 1.11.0, IMU as BIDS motion); see docs/interop.md. */
export const bidsMethods = {
  exportBids: {
    input: z
      .object({
        /** The sessions to export (a selection); with `patientId`, these and all of the patient's sessions. */
        sessionIds: z.array(z.number().int().positive()).optional(),
        /** Export every complete session of this patient. */
        patientId: z.number().int().positive().optional(),
        /** Folder to write the dataset into (created). */
        path: z.string().trim().min(1).max(4096),
      })
      .strict(),
    output: z.object({ folder: z.string(), files: z.array(z.string()) }),
  },
} as const;
