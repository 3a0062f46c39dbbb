import { account, lotsProgram, operations } from './scaling';
const p = lotsProgram();
const small = account(p, 10, 10).state, big = account(p, 3000, 10).state, lots = account(p, 0, 1000).state;
const ops = operations(p, small);
for (const [name, op] of ops) {
  const line: string[] = [];
  for (const s of [small, big, lots]) {
    for (let i = 0; i < 500; i++) op(s, i);
    const t0 = performance.now(); for (let i = 0; i < 3000; i++) op(s, i); line.push((((performance.now() - t0) * 1000) / 3000).toFixed(2));
  }
  console.log(name.padEnd(40), line.join('  '));
}
