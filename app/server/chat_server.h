// The chat server: a QWebSocketServer, one Session per connection, rooms in memory,
// storage behind the Storage interface. Serves the statement protocol (docs/PROTOCOL.md).
#pragma once

#include "server_options.h"
#include "storage/storage.h"

#include <QCoroTask>
#include <QObject>
#include <QUrl>
#include <memory>

namespace chalk::server {

class ServerCore;

class ChatServer : public QObject {
    Q_OBJECT
public:
    explicit ChatServer(std::unique_ptr<Storage> storage, ServerOptions options = {},
                        QObject *parent = nullptr);
    ~ChatServer() override;

    // Opens storage, loads rooms, listens. False with errorString() when the port is
    // taken or the storage cannot be opened.
    QCoro::Task<bool> start();
    // Stops listening, closes every session, waits for pending storage writes.
    QCoro::Task<void> stop();

    QUrl url() const; // ws://host:port, or wss:// with TLS
    quint16 port() const;
    QString errorString() const;
    int sessionCount() const;
    // Users whose presence changed and who wait for the next presence_changed flush, and the
    // presence_changed frames written so far (tests wait on the first, benchmarks read both).
    int pendingPresenceChanges() const;
    qint64 presenceFramesSent() const;
    bool isListening() const;

private:
    std::unique_ptr<ServerCore> m_core;
};

} // namespace chalk::server
