/**
 * The sample model every room shares. Units live in the descriptors, never in the numbers.
 */

/** Physical units Tonus knows how to display and convert. */
export type Unit = 'uV' | 'mV' | 'V' | 'g' | 'm/s^2' | 'deg/s' | 'rad/s' | 'deg' | 'counts' | 'none';

/** What kind of signal a stream carries; decides default processing and chart grouping. */
export type SignalKind = 'emg' | 'accel' | 'gyro' | 'angle' | 'marker' | 'other';

export interface ChannelDescriptor {
  /** Stable id within its stream, e.g. `emg1`, `accX`. */
  id: string;
  /** Human label, e.g. `EMG 1` or `Accel X`. */
  label: string;
  kind: SignalKind;
  unit: Unit;
  /** Physical range the sensor can represent, used for clipping detection and file headers. */
  rangeMin: number;
  rangeMax: number;
}

export interface StreamDescriptor {
  /** Stable id within its device, e.g. `emg` or `imu`. */
  id: string;
  label: string;
  sampleRateHz: number;
  channels: readonly ChannelDescriptor[];
  /**
   * Gyro channel measuring rotation about the joint's axis (the stretch velocity), when the mounting is
   * known; otherwise live analysis uses the first gyro channel.
   */
  jointAxisChannelId?: string;
}

/**
 * A block of consecutive samples of one stream.
 * Guarantees: `data.length` equals the stream's channel count; every channel array and `timestampsMs`
 * have the same length; `firstSeq` counts samples since the stream started (gaps show as jumps);
 * timestamps are milliseconds since the Unix epoch on the host clock, derived by a fitted clock model.
 */
export interface SampleBlock {
  streamId: string;
  firstSeq: number;
  timestampsMs: Float64Array;
  /** Channel-major: `data[channel][sample]`, in the channel descriptor's unit. */
  data: readonly Float32Array[];
}

/** Number of samples in a block. */
export const blockLength = (block: SampleBlock): number => block.timestampsMs.length;
