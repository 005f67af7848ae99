import { describe, expect, it } from 'vitest';
import { everySeconds, scheduleCron } from '../src/cron-schedule.js';

describe('everySeconds', () => {
  it('reads "every N seconds" expressions', () => {
    expect(everySeconds('*/15 * * * * *')).toBe(15);
    expect(everySeconds('0/30 * * * * *')).toBe(30);
    expect(everySeconds('* * * * * *')).toBe(1);
    expect(everySeconds('  */5  * * * * * ')).toBe(5);
  });

  it('leaves everything else to node-cron', () => {
    expect(everySeconds('*/7 * * * * *')).toBeNull(); // 7 doesn't divide 60: node-cron restarts at :00
    expect(everySeconds('*/15 * * * *')).toBeNull(); // five fields: minutes
    expect(everySeconds('*/15 */2 * * * *')).toBeNull();
    expect(everySeconds('5 * * * * *')).toBeNull();
    expect(everySeconds('*/0 * * * * *')).toBeNull();
  });
});

describe('scheduleCron', () => {
  it('fires on whole seconds and stops on destroy', async () => {
    const at: number[] = [];
    let done!: () => void;
    const twice = new Promise<void>((resolve) => (done = resolve));
    const task = scheduleCron('* * * * * *', () => {
      at.push(Date.now());
      if (at.length === 2) done();
    });
    await twice;
    await task.destroy();
    const count = at.length;
    for (const t of at) expect(t % 1000).toBeLessThan(100);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(at.length).toBe(count);
  });

  it('skips a firing while the previous run is still going', async () => {
    let runs = 0;
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const first = new Promise<void>((resolve) => (started = resolve));
    const task = scheduleCron('* * * * * *', async () => {
      runs++;
      started();
      await blocked;
    });
    await first;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(runs).toBe(1);
    release();
    await task.destroy();
  });

  it('hands other expressions to node-cron, which fires them; destroyed before it has loaded, nothing fires', async () => {
    const everySecondAsARange = '0-59 * * * * *'; // every second, but not an "every N seconds" expression
    expect(everySeconds(everySecondAsARange)).toBeNull();
    let fired = 0;
    let firstFiring!: () => void;
    const first = new Promise<void>((resolve) => (firstFiring = resolve));
    const task = scheduleCron(everySecondAsARange, () => {
      fired++;
      firstFiring();
    });
    await first;
    await task.destroy();
    const count = fired;

    let early = 0;
    const gone = scheduleCron(everySecondAsARange, () => {
      early++;
    });
    await gone.destroy();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(fired).toBe(count);
    expect(early).toBe(0);
  });
});
