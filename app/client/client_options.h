// How the client behaves on the wire: heartbeat, backoff and timeouts (the Connection), the
// outbox retry and the history page size (ChatClient). Tests pass short ones, or a clock of
// their own that only moves when they move it.
#pragma once

#include "outbox_pacer.h"

#include <QtGlobal>
#include <chrono>
#include <memory>

namespace chalk::client {

class ClientClock;

struct ClientOptions {
    std::chrono::milliseconds heartbeatInterval{25000}; // ping the server this often
    std::chrono::milliseconds heartbeatTimeout{10000};  // no traffic this long after a ping: dead
    std::chrono::milliseconds backoffMin{1000};
    // At most 10 s between attempts (issue 12: 25 s and more felt broken). The server is
    // usually this machine's own or one on the local network: a restart takes seconds, and
    // an attempt at an absent server costs one refused TCP connect, so waiting longer saves
    // nothing; the ±20 % jitter (Backoff) still spreads many clients of one server apart.
    std::chrono::milliseconds backoffMax{10000};
    std::chrono::milliseconds connectTimeout{15000}; // a handshake that hangs counts as failed
    std::chrono::milliseconds retryDelay{2000};      // outbox retry after rate_limited etc.
    OutboxPace outboxPace; // how fast what waited in the outbox goes out (outbox_pacer.h)
    quint64 maxIncomingBytes = 16 * 1024 * 1024; // drawings are big, but not unbounded
    int pageSize = 50;                           // messages per fetchMore page
    // Seeing the newest message of the open room marks it read this long after it settled:
    // a burst of messages is one mark_read, not one per message.
    std::chrono::milliseconds markReadDelay{800};
    bool autoReconnect = true;
    // What the timers above run on (client_clock.h); empty = Qt's timers, in real time. Read
    // when the Connection or ChatClient is made: setOptions() keeps the clock it has.
    std::shared_ptr<ClientClock> clock;
};

} // namespace chalk::client
