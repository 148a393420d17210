// The raw-echo anchor: a minimal WebSocket echo server on the gateway's own event loop, codec and output
// buffer, so that a gateway's `health` p50 reads as a ratio to one WebSocket round trip on this machine.
#pragma once

namespace openclaw::bench {

/// Listens on 127.0.0.1:port (0 = any free port) with `loops` event-loop threads (0: as many as a gateway
/// runs here; peers handed to them in turn), prints {"scenario":"echo-server","port":N} once listening, and
/// until SIGTERM or SIGINT echoes every text frame as one unmasked frame, and sends the payload of every
/// binary frame to every peer as a text frame (the anchor for one event to many sessions).
int echoServer(int port, int loops);

} // namespace openclaw::bench
