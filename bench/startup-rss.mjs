// `node --import bench/startup-rss.mjs …`: prints the process's CPU time (µs) and resident memory when it exits
// (bench/startup.ts reads it for processes too short-lived to sample from outside).
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`cpu=${user + system} rss=${process.memoryUsage.rss()}\n`);
});
