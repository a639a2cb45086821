// ConnectionGate and GatedServer (connection_gate.h): connection caps per address and in all.
#include "connection_gate.h"

#include "server_options.h"

#include <QEvent>
#include <QSocketNotifier>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <memory>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace chalk::server {

ConnectionGate::ConnectionGate(const ServerOptions &options, RateLimitedLog &log, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_log(log)
    , m_maxConnections(options.maxConnections > 0 ? options.maxConnections
                                                  : defaultMaxConnections())
{}

int ConnectionGate::defaultMaxConnections()
{
#ifdef Q_OS_UNIX
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
        const qint64 fds = qint64(std::min<rlim_t>(limit.rlim_cur, 1 << 24));
        // Room for SQLite (database, WAL, journal), the listening socket, the event loop's
        // and the signal watcher's pipes, the password hasher's threads, logs: 64, or a
        // twentieth of a large limit.
        const qint64 reserve = std::max<qint64>(64, fds / 20);
        return int(std::max<qint64>(fds / 2, fds - reserve));
    }
#endif
    return 100000;
}

QHostAddress ConnectionGate::peerOf(qintptr descriptor)
{
#ifdef Q_OS_UNIX
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    QHostAddress peer(reinterpret_cast<const sockaddr *>(&address));
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : peer;
#else
    Q_UNUSED(descriptor);
    return {};
#endif
}

bool ConnectionGate::admit(const QHostAddress &peer, bool tls)
{
    const Count c = m_byAddress.value(peer);
    QString refusal;
    if (m_total >= m_maxConnections) {
        refusal = QStringLiteral("%1 connections open (--max-connections)").arg(m_total);
    } else if (m_options.maxConnectionsPerAddress > 0 &&
               c.connections >= m_options.maxConnectionsPerAddress) {
        refusal = QStringLiteral("%1 connections from it (--max-connections-per-address)")
                      .arg(c.connections);
    } else if (tls && m_options.maxHandshakesPerAddress > 0 &&
               c.handshakes >= m_options.maxHandshakesPerAddress) {
        refusal = QStringLiteral("%1 TLS handshakes from it under way "
                                 "(--max-handshakes-per-address)")
                      .arg(c.handshakes);
    }
    if (refusal.isEmpty())
        return true;
    m_log.warn(QStringLiteral("connections refused"),
               QStringLiteral("refusing a connection from %1: %2").arg(peer.toString(), refusal));
    return false;
}

void ConnectionGate::track(QTcpSocket *socket, const QHostAddress &peer, bool tls)
{
    ++m_total;
    Count &c = m_byAddress[peer];
    ++c.connections;
    if (tls)
        ++c.handshakes;
    struct State {
        bool released = false;
        bool inHandshake = false;
    };
    auto state = std::make_shared<State>();
    state->inHandshake = tls;
    const auto handshakeOver = [this, peer, state] {
        if (!state->inHandshake)
            return;
        state->inHandshake = false;
        const auto it = m_byAddress.find(peer);
        if (it != m_byAddress.end())
            --it->handshakes;
    };
    const auto release = [this, peer, state, handshakeOver] {
        if (state->released)
            return;
        handshakeOver();
        state->released = true;
        --m_total;
        const auto it = m_byAddress.find(peer);
        if (it != m_byAddress.end() && --it->connections <= 0)
            m_byAddress.erase(it);
    };
    if (auto *ssl = qobject_cast<QSslSocket *>(socket))
        connect(ssl, &QSslSocket::encrypted, this, handshakeOver);
    connect(socket, &QAbstractSocket::disconnected, this, release);
    connect(socket, &QObject::destroyed, this, release);
}

void ConnectionGate::watchAccepting(QTcpServer *server)
{
    m_server = server;
    // The listening socket's notifier (a child of Qt's socket engine, a child of the server).
    for (QSocketNotifier *n : server->findChildren<QSocketNotifier *>()) {
        if (n->type() == QSocketNotifier::Read)
            n->installEventFilter(this);
    }
}

bool ConnectionGate::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::SockAct)
        return QObject::eventFilter(watched, event);
    // Each wake-up makes Qt accept until accept(2) fails; one that brought nothing failed at
    // once. Three in a row: out of descriptors (a spurious wake-up is rare and costs one pause).
    m_emptyWakeups = m_acceptedSinceWakeup == 0 ? m_emptyWakeups + 1 : 0;
    m_acceptedSinceWakeup = 0;
    if (m_emptyWakeups >= 3 && !m_paused) {
        pauseAccepting(QStringLiteral("accept(2) brings no connection (out of descriptors?)"));
        return true;
    }
    return QObject::eventFilter(watched, event);
}

void ConnectionGate::pauseAccepting(const QString &why)
{
    if (!m_server || m_paused)
        return;
    m_paused = true;
    m_log.warn(
        QStringLiteral("accepting paused"),
        QStringLiteral("%1: pausing accepting for %2 ms").arg(why).arg(m_options.acceptPauseMs));
    m_server->pauseAccepting();
    QTimer::singleShot(m_options.acceptPauseMs, this, [this] {
        m_paused = false;
        m_emptyWakeups = 0;
        m_acceptedSinceWakeup = 0;
        if (m_server && m_server->isListening())
            m_server->resumeAccepting();
    });
}

template <class Base> void GatedServer<Base>::incomingConnection(qintptr descriptor)
{
    m_gate.noteAccepted();
    const QHostAddress peer = ConnectionGate::peerOf(descriptor);
    if (!m_gate.admit(peer, m_tls)) {
#ifdef Q_OS_UNIX
        ::close(int(descriptor));
#endif
        return;
    }
    Base::incomingConnection(descriptor);
    // The base made the socket as its newest child (QTcpServer, QSslServer alike).
    const QObjectList &children = this->children();
    int looked = 0;
    for (auto it = children.crbegin(); it != children.crend() && looked < 4; ++it, ++looked) {
        auto *socket = qobject_cast<QTcpSocket *>(*it);
        if (socket && socket->socketDescriptor() == descriptor) {
            m_gate.track(socket, peer, m_tls);
            return;
        }
    }
}

template class GatedServer<QTcpServer>;
template class GatedServer<QSslServer>;

} // namespace chalk::server
