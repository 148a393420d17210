// The raw-echo anchor: a minimal WebSocket echo server on the gateway's own event loop, codec and output
// buffer, so that a gateway's `health` p50 reads as a ratio to one WebSocket round trip on this machine.
#pragma once

namespace openclaw::bench {

/// Listens on 127.0.0.1:port (0 = any free port), prints {"scenario":"echo-server","port":N} once
/// listening, and echoes every text and binary frame as one unmasked frame until SIGTERM or SIGINT.
int echoServer(int port);

} // namespace openclaw::bench
