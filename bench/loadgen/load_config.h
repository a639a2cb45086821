// What one loadgen run does; filled from the command line in main.cpp, shared read-only
// by every worker thread.
#pragma once

#include <QString>
#include <QUrl>
#include <atomic>

namespace chalk::bench {

enum class Mode { Fanout, Idle, Board };

struct LoadConfig {
    Mode mode = Mode::Fanout;
    QUrl url;
    int clients = 10;
    int senders = 1;
    int messages = 100;       // per sender
    double rate = 0;          // messages/s per sender; 0 = as fast as the window allows
    int inflight = 8;         // unacknowledged messages per sender
    int threads = 2;          // worker threads, each with its own event loop
    int pendingConnects = 32; // handshakes in progress per worker
    double timeoutS = 120;
    int settleMs = 500; // pause after everyone entered, so join-time fan-out is not measured
    int bodyPad = 0;    // extra characters in each body (message size)
    QString room;       // enter this room instead of creating one
    qint64 serverPid = 0;
    // idle
    double idleS = 0;
    bool idleEnter = false;   // idle clients enter the room too
    double pingIntervalS = 0; // clients ping the server this often (0 = never)
    // board
    int strokes = 0;
    int points = 32; // x,y pairs per stroke
    int joins = 3;   // late joiners, one after the other
    // logins during the fan-out (login_driver.h): < 0 = none and no login keys printed; 0 = none,
    // the keys printed as zeros (the control run); > 0 = logins per second
    double loginRate = -1;
    int loginAccounts = 10;  // registered before the clients connect, logged in round-robin
    int loginInflight = 100; // logins waiting at once; more that fall due are skipped
};

// Counters every worker bumps and the coordinator polls.
struct SharedCounters {
    std::atomic<qint64> sent{0};
    std::atomic<qint64> deliveries{0};
    std::atomic<qint64> errors{0};
    std::atomic<qint64> rejected{0};
    std::atomic<qint64> disconnects{0};
    std::atomic<int> sendersDone{0};
};

} // namespace chalk::bench
