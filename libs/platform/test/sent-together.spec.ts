import { SentTogether } from '../src';

/** Group commit: what arrives while a send is under way goes out in the next one. */
describe('SentTogether', () => {
  /** A send that waits until the spec lets it finish, recording what each send carried. */
  function gatedSend() {
    const sent: number[][] = [];
    const gates: (() => void)[] = [];
    let failNext = false;
    const send = async (items: number[]) => {
      sent.push(items);
      await new Promise<void>((resolve) => gates.push(resolve));
      if (failNext) {
        failNext = false;
        throw new Error('database away');
      }
      return items.map((i) => i * 10);
    };
    const openGate = async () => {
      while (!gates.length) await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    };
    return { sent, send, openGate, failOnce: () => (failNext = true) };
  }

  it('sends an idle caller at once, and those arriving meanwhile together in the next send; each gets its own results', async () => {
    const { sent, send, openGate } = gatedSend();
    const together = new SentTogether(send);
    const first = together.submit([1]);
    expect(sent).toEqual([[1]]);
    const second = together.submit([2, 3]);
    const third = together.submit([4]);
    await openGate();
    expect(await first).toEqual([10]);
    await openGate();
    expect(await second).toEqual([20, 30]);
    expect(await third).toEqual([40]);
    expect(sent).toEqual([[1], [2, 3, 4]]);
  });

  it('a failed send fails every caller of its batch; the next batch goes out', async () => {
    const { sent, send, openGate, failOnce } = gatedSend();
    const together = new SentTogether(send);
    failOnce();
    const failing = together.submit([1]);
    const next = together.submit([2]);
    await openGate();
    await expect(failing).rejects.toThrow('database away');
    await openGate();
    expect(await next).toEqual([20]);
    expect(sent).toEqual([[1], [2]]);
  });
});
