// `node --import bench/startup-rss.mjs …`: prints the process's resident memory when it exits
// (bench/startup.ts reads it for processes too short-lived to sample from outside).
process.on('exit', () => process.stderr.write(`rss=${process.memoryUsage.rss()}\n`));
