import type { Clock } from './clock.ts';
import { cryptoRandom, type RandomSource } from './random.ts';

/** Generates 24-hex MongoDB ObjectIds: 4-byte seconds, 5-byte process random, 3-byte counter. */
export interface IdGenerator {
  next(): string;
}

export const OBJECT_ID_PATTERN = /^[a-f0-9]{24}$/;

export function isObjectId(value: string): boolean {
  return OBJECT_ID_PATTERN.test(value);
}

export function objectIdGenerator(clock: Clock, random: RandomSource = cryptoRandom): IdGenerator {
  const processPart = random.bytes(5);
  let counter = random.bytes(3).readUIntBE(0, 3);
  return {
    next() {
      const buf = Buffer.alloc(12);
      buf.writeUInt32BE(Math.floor(clock.now().getTime() / 1000) >>> 0, 0);
      processPart.copy(buf, 4);
      counter = (counter + 1) % 0x1000000;
      buf.writeUIntBE(counter, 9, 3);
      return buf.toString('hex');
    },
  };
}
