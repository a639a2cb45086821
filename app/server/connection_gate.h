// Who may hold a connection (issue 14, docs/SECURITY.md): at most maxConnections in all (below
// the descriptor limit), maxPerAddress from one address, and over TLS at most
// maxHandshakesPerAddress from one address still in the TLS handshake. GatedServer asks it
// before a descriptor becomes a socket, so a refused connection costs one close(2). Not for
// what a connection may do once open (ConnectionPolicy).
#pragma once

#include "rate_limited_log.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpServer>

class QTcpSocket;
class QEvent;

namespace chalk::server {

struct ServerOptions;

class ConnectionGate : public QObject {
    Q_OBJECT
public:
    ConnectionGate(const ServerOptions &options, RateLimitedLog &log, QObject *parent = nullptr);

    // May a new connection from `peer` be accepted? Refusals are logged (rate-limited).
    bool admit(const QHostAddress &peer, bool tls);
    // Counts `socket` (just made for an admitted connection) until it disconnects or is
    // destroyed; a TLS socket's handshake until it is encrypted.
    void track(QTcpSocket *socket, const QHostAddress &peer, bool tls);

    // Watches `server`'s listening socket (after listen()): when its wake-ups bring no
    // connection again and again, accept(2) is failing (EMFILE, ENFILE: Qt 6.4 retries at
    // once, a core spinning), so accepting pauses ServerOptions::acceptPauseMs.
    void watchAccepting(QTcpServer *server);
    // GatedServer: a connection was accepted (admitted or not).
    void noteAccepted() { ++m_acceptedSinceWakeup; }

    int maxConnections() const { return m_maxConnections; }
    int openConnections() const { return m_total; }

    // The descriptor limit (RLIMIT_NOFILE) less what the server needs besides connections
    // (storage files, the listening socket, Qt's own pipes): the default of --max-connections.
    static int defaultMaxConnections();
    // The address of the peer of an accepted descriptor (IPv4-mapped IPv6 as IPv4).
    static QHostAddress peerOf(qintptr descriptor);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void pauseAccepting(const QString &why);

    struct Count {
        int connections = 0;
        int handshakes = 0;
    };
    const ServerOptions &m_options;
    RateLimitedLog &m_log;
    int m_maxConnections;
    int m_total = 0;
    QHash<QHostAddress, Count> m_byAddress;
    QPointer<QTcpServer> m_server;
    int m_acceptedSinceWakeup = 0;
    int m_emptyWakeups = 0;
    bool m_paused = false;
};

// A listening server (QTcpServer or QSslServer) that asks a ConnectionGate before it makes a
// socket for an accepted descriptor.
template <class Base> class GatedServer : public Base {
public:
    GatedServer(ConnectionGate &gate, bool tls, QObject *parent)
        : Base(parent)
        , m_gate(gate)
        , m_tls(tls)
    {}

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    ConnectionGate &m_gate;
    bool m_tls;
};

} // namespace chalk::server
