// Options of one ChatServer instance; chalkroom-server fills them from its command line.
#pragma once

#include "login_throttle.h"
#include "protocol/limits.h"

#include <QHostAddress>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <functional>

namespace chalk::server {

// Accounts (register, login): off, offered next to anonymous use (the default, as in the
// original: nobody has to sign up), or required before any other call.
enum class AccountsMode { Off, Optional, Required };

// The Argon2id work factor of new password hashes; libsodium's "interactive" values by
// default (about 50 ms and 64 MiB a hash here). A stored hash carries its own factor, so
// changing it does not lock anybody out.
struct PasswordWork {
    quint64 opsLimit = 2;            // passes (crypto_pwhash_OPSLIMIT_INTERACTIVE)
    std::size_t memLimit = 64 << 20; // bytes per hash (crypto_pwhash_MEMLIMIT_INTERACTIVE)
    int threads = 2;                 // hashes at the same time, each holding memLimit
};

struct ServerOptions {
    QHostAddress host{QHostAddress::LocalHost};
    quint16 port = 0; // 0: any free port (tests)
    protocol::Limits limits;
    // room_changed is sent at most once per room per this interval (coalesced fan-out), and
    // once per (1 + members / roomChangeMembersPerStep) intervals in a big room: each one
    // carries every member to every connection, so a join storm of 1000 was O(N^2) bytes.
    int roomChangeCoalesceMs = 200;
    int roomChangeMembersPerStep = 100;
    // Presence (presence_tracker.h): a connection gets at most one presence_changed per
    // interval, with every change since the last, of at most presenceBatchMax users (more wait
    // for the next interval, so a thousand leaving at once do not make one huge frame).
    // 1 s: "offline" a second late is unnoticeable; 1000 users leaving a room cost each member
    // about one frame a second, not 1000 (bench/run_scenario.sh presence). 0 = no limit.
    int presenceIntervalMs = 1000;
    int presenceBatchMax = 500;
    QString password; // empty = no password asked
    AccountsMode accounts = AccountsMode::Optional;
    PasswordWork passwordWork;
    LoginThrottleOptions loginThrottle;
    // A peer that lets more than this wait unsent (it does not read its socket) is cut off,
    // so one slow reader cannot make the server's memory grow. 0 = no limit.
    qint64 maxPendingBytes = 1024 * 1024;
    // Every interval each peer is pinged; one that has not answered within the timeout is
    // dropped (a dead network path otherwise keeps its session for hours). 0 = off.
    int heartbeatIntervalMs = 25000;
    int heartbeatTimeoutMs = 10000;

    // TCP connections accepted but not yet through the TLS/WebSocket handshake are queued up
    // to this many; more wait in the kernel's backlog. QSslServer counts every socket still in
    // its TLS handshake here: at Qt's 64, 64 silent sockets stopped every wss:// client (issue
    // 14), so the bound is the connection caps below, not this queue.
    int maxPendingConnections = 1024;
    // A connection that has not completed the TLS and WebSocket handshakes within this time
    // is dropped, so idle half-open sockets (slowloris) do not hold server resources.
    int handshakeTimeoutMs = 10000;
    // The TLS handshake alone: a client does it in a few round trips.
    int tlsHandshakeTimeoutMs = 5000;
    // Open connections (handshaking ones included) in all; over it a new one is closed at
    // once. 0: the descriptor limit less a reserve (ConnectionGate::defaultMaxConnections), so
    // accept(2) does not meet EMFILE.
    int maxConnections = 0;
    // Open connections from one address (a household or office behind one NAT fits); 0 = off.
    int maxConnectionsPerAddress = 32;
    // TLS handshakes under way from one address; each costs a key exchange. 0 = off.
    int maxHandshakesPerAddress = 8;
    // accept(2) failing for want of descriptors (EMFILE, ENFILE): accepting pauses this long
    // instead of retrying at once, so the server keeps serving the connections it has.
    int acceptPauseMs = 500;
    // Both set: serve wss:// (TLS) with this certificate and private key.
    QSslCertificate tlsCertificate = QSslCertificate(); // spelled out: its default ctor is explicit
    QSslKey tlsKey = QSslKey();

    // Rooms on this server (create_room beyond it: too_many_rooms). Each room costs memory
    // (its board is kept once loaded) and a line in every rooms_listed. 0 = no limit.
    int maxRooms = 10000;

    // Call rate limits per connection (token buckets; rate <= 0 = off). create_message has its
    // own bucket: a person types a few messages a second at most, a script thousands. The
    // overall bucket counts every frame; live drawing (change_draw_line every ~40 ms) and
    // typing notices stay far below it. A call over a limit is answered rate_limited.
    double messageRate = 20; // create_message per second
    int messageBurst = 50;
    double callRate = 100; // calls (frames) of any kind per second
    int callBurst = 200;
    // Every WebSocket frame a peer sends (data, continuation, binary, ping, pong, close) takes
    // from a per-connection budget, and pings from their own, smaller one: each ping makes
    // the server write a pong, and empty continuation frames cost a core without ever being
    // a statement. A legitimate client sends one frame per statement (QWebSocket's frames are
    // 512 KiB) and a pong per heartbeat. Over either budget: closed with 1008. rate <= 0: off.
    double frameRate = 200;
    int frameBurst = 400;
    double pingRate = 10;
    int pingBurst = 50;
    // A connection that is refused this many calls (rate_limited) within abuseWindowMs keeps
    // ignoring the answers: it is closed with 1008 (policy violation). 0 = never closed.
    int abuseRefusals = 50;
    int abuseWindowMs = 10000;
    // A peer closed by the server (1008, 1001) that has not completed the close handshake
    // after this long is aborted: a peer that does not read never receives the close frame.
    int closeGraceMs = 2000;
    // Monotonic milliseconds for the rate limits; empty = a steady clock started with the
    // server. Tests hold it still so a bucket refills only when they say (no timing).
    std::function<qint64()> clockMs;
};

} // namespace chalk::server
