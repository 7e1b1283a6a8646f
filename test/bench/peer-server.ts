/**
 * The `peer` package's PeerServer on a loopback port, as a developer would
 * run it: started by the benchmark as its own Node process, so that it never
 * shares an event loop with the load generator.
 *
 * Usage: node test/bench/peer-server.ts PORT
 */
import { PeerServer } from "peer";

const port = Number(process.argv[2]);
PeerServer({ port, host: "127.0.0.1", path: "/" }, () => console.log(`PeerServer ready on ${port}`));
