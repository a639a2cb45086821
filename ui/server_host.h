// Runs the bundled server inside the desktop app: on 127.0.0.1:9000 (or a free port when
// 9000 is taken) by default, elsewhere when the user shares on the network. Relistening
// replaces the server (same storage file), so connected clients reconnect by themselves.
// The server itself is reached only through server/embedded_server.h (the desktop code sees
// no server internals); this class adds the app's policy and the signal the window follows.
#pragma once

#include <QCoroTask>
#include <QHostAddress>
#include <QObject>
#include <QUrl>
#include <memory>

namespace chalk::server {
class EmbeddedServer;
}

namespace chalk::ui {

class ServerHost : public QObject {
    Q_OBJECT
public:
    // storageSpec: "memory" or "sqlite:PATH"; empty: SQLite in the user's data folder.
    explicit ServerHost(QString storageSpec = {}, QObject *parent = nullptr);
    ~ServerHost() override;

    // Listens on host:port; when that port is taken and fallbackToFreePort, on any free port.
    QCoro::Task<bool> start(QHostAddress host, quint16 port, bool fallbackToFreePort);
    // Stops and starts again on another address (no fallback: the user asked for this one).
    QCoro::Task<bool> relisten(QHostAddress host, quint16 port);
    QCoro::Task<void> stop();

    bool isListening() const;
    QHostAddress host() const { return m_host; }
    quint16 port() const;
    // Where this process's own client connects: the loopback address for a wildcard listen.
    QUrl localUrl() const;
    QString errorString() const { return m_error; }
    QString storageSpec() const;

signals:
    void listening(const QUrl &localUrl);

private:
    QCoro::Task<bool> tryStart(QHostAddress host, quint16 port);

    std::unique_ptr<server::EmbeddedServer> m_server;
    QHostAddress m_host;
    QString m_error;
};

} // namespace chalk::ui
