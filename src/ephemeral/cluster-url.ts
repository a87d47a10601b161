// Kept apart from the connection code: the configuration checks these URLs without loading ioredis.

/** REDIS_URL of a Redis Cluster: `redis-cluster://[user:password@]host:port[,host:port...]`. */
export const CLUSTER_URL_PROTOCOL = 'redis-cluster:';

export interface ClusterAddress {
  /** Seed nodes: any reachable one tells the client the whole cluster. */
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
}

export function isClusterUrl(url: string): boolean {
  return url.startsWith(`${CLUSTER_URL_PROTOCOL}//`);
}

/** Parses a redis-cluster:// URL; throws an Error saying what is wrong with it. */
export function parseClusterUrl(url: string): ClusterAddress {
  if (!isClusterUrl(url)) throw new Error(`expected a URL starting with ${CLUSTER_URL_PROTOCOL}//`);
  let rest = url.slice(CLUSTER_URL_PROTOCOL.length + 2).replace(/\/$/, '');
  const address: ClusterAddress = { nodes: [] };
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const credentials = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = credentials.indexOf(':');
    const user = decodeURIComponent(colon >= 0 ? credentials.slice(0, colon) : '');
    if (user) address.username = user;
    address.password = decodeURIComponent(colon >= 0 ? credentials.slice(colon + 1) : credentials);
  }
  for (const node of rest.split(',')) {
    const match = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/.exec(node.trim());
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65_535) {
      throw new Error(
        `expected host:port for each cluster node, separated by commas (got ${JSON.stringify(node)})`,
      );
    }
    address.nodes.push({ host: match[1]!.replace(/^\[|\]$/g, ''), port });
  }
  return address;
}

/** REDIS_CLUSTER_NODES (`host:port,host:port`) as the redis-cluster:// URL it stands for. */
export function clusterUrlOfNodes(nodes: string): string {
  const url = `${CLUSTER_URL_PROTOCOL}//${nodes.trim()}`;
  parseClusterUrl(url);
  return url;
}

/** A plain redis:// URL of one node (the first seed), without credentials: for probes of one server. */
export function firstNodeUrl(url: string): string {
  if (!isClusterUrl(url)) return url;
  const node = parseClusterUrl(url).nodes[0]!;
  return `redis://${node.host.includes(':') ? `[${node.host}]` : node.host}:${node.port}`;
}
