import { account, lotsProgram, operations } from './scaling';
const p = lotsProgram();
const big = account(p, 3000, 10).state;
const ops = operations(p, big);
const apply = ops.find(([n]) => n === 'applyEntries')![1];
const t0 = performance.now(); for (let i = 0; i < 5000; i++) apply(big, i); console.log((((performance.now() - t0) * 1000) / 5000).toFixed(2));
