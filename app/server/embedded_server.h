// The one server header the desktop app includes: the chat server run inside the app's own
// process, with its storage, behind a handle that shows nothing of how it is built (sessions,
// storage classes, options stay the server's own). chalkroom-server and the tests use the
// rest of app/server directly; the desktop code (ui/, app/main.cpp) never does.
#pragma once

#include <QCoroTask>
#include <QHostAddress>
#include <QString>
#include <QUrl>
#include <memory>

namespace chalk::server {

class ChatServer;

class EmbeddedServer {
public:
    // storageSpec: "memory" or "sqlite:PATH"; empty: SQLite in the user's data folder, or
    // memory when there is no writable one.
    explicit EmbeddedServer(QString storageSpec = {});
    ~EmbeddedServer();
    EmbeddedServer(const EmbeddedServer &) = delete;
    EmbeddedServer &operator=(const EmbeddedServer &) = delete;

    // Opens the storage and listens on host:port (0: any free port). A server still running
    // is stopped first. False with errorString() when the port is taken or the storage
    // cannot be opened; nothing runs then.
    QCoro::Task<bool> start(QHostAddress host, quint16 port);
    // Stops listening, closes every session, waits for pending storage writes.
    QCoro::Task<void> stop();

    bool isListening() const;
    quint16 port() const; // 0 when not listening
    QUrl url() const;     // ws://host:port as listened on; empty when not listening
    QString errorString() const;
    QString storageSpec() const;

private:
    std::unique_ptr<ChatServer> m_chat; // null when stopped
    QString m_spec;
    QString m_error;
};

} // namespace chalk::server
