import { describe, expect, test } from 'vitest';
import { RateMeter } from './rate-meter';

describe('RateMeter', () => {
  test('reports pushes per second over the window since the previous measurement', () => {
    const meter = new RateMeter(0);
    for (let i = 0; i < 40; i++) meter.increment();
    expect(meter.measure(2000)).toEqual({ averagePerSecond: 20, countSinceLastMeasurement: 40 });
    for (let i = 0; i < 10; i++) meter.increment();
    expect(meter.measure(3000)).toEqual({ averagePerSecond: 10, countSinceLastMeasurement: 10 });
    expect(meter.totalItems).toBe(50);
  });

  test('a second reading within the same second repeats the last window instead of inflating the rate', () => {
    const meter = new RateMeter(0);
    for (let i = 0; i < 20; i++) meter.increment();
    expect(meter.measure(1000)).toEqual({ averagePerSecond: 20, countSinceLastMeasurement: 20 });
    for (let i = 0; i < 5; i++) meter.increment();
    expect(meter.measure(1030)).toEqual({ averagePerSecond: 20, countSinceLastMeasurement: 20 });
    // The 5 pushes are not lost: they count in the next full window.
    for (let i = 0; i < 15; i++) meter.increment();
    expect(meter.measure(2000)).toEqual({ averagePerSecond: 20, countSinceLastMeasurement: 20 });
  });
});
