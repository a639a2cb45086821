// Options of one ChatServer instance; chalkroom-server fills them from its command line.
#pragma once

#include "protocol/limits.h"

#include <QHostAddress>
#include <QString>

namespace chalk::server {

struct ServerOptions {
    QHostAddress host{QHostAddress::LocalHost};
    quint16 port = 0; // 0: any free port (tests)
    protocol::Limits limits;
    // room_changed is sent at most once per room per this interval (coalesced fan-out).
    int roomChangeCoalesceMs = 200;
    QString password; // empty = no password asked
    // A peer that lets more than this wait unsent (it does not read its socket) is cut off,
    // so one slow reader cannot make the server's memory grow. 0 = no limit.
    qint64 maxPendingBytes = 1024 * 1024;
    // Every interval each peer is pinged; one that has not answered within the timeout is
    // dropped (a dead network path otherwise keeps its session for hours). 0 = off.
    int heartbeatIntervalMs = 25000;
    int heartbeatTimeoutMs = 10000;
};

} // namespace chalk::server
