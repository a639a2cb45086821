// ServerCore (server_core.h): accepting connections, serving each session's calls in order.
#include "server_core.h"

#include "logging.h"

#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>
#include <exception>

namespace chalk::server {

using namespace chalk::protocol;

ServerCore::ServerCore(std::unique_ptr<Storage> storage, ServerOptions options)
    : m_storage(std::move(storage))
    , m_options(std::move(options))
{
    if (isSecure()) {
        auto *ssl = new QSslServer(this);
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(m_options.tlsCertificate);
        config.setPrivateKey(m_options.tlsKey);
        config.setPeerVerifyMode(QSslSocket::VerifyNone); // clients have no certificates
        ssl->setSslConfiguration(config);
        ssl->setHandshakeTimeout(m_options.handshakeTimeoutMs);
        m_tcpServer = ssl;
    } else {
        m_tcpServer = new QTcpServer(this);
    }
    m_tcpServer->setMaxPendingConnections(m_options.maxPendingConnections);
    // QSslServer offers a connection only once its TLS handshake is done.
    connect(m_tcpServer, &QTcpServer::pendingConnectionAvailable, this,
            &ServerCore::onNewTcpConnection);
    // The WebSocket handshake runs on sockets handed over by m_tcpServer (already decrypted
    // for TLS), so this server itself never listens and stays in NonSecureMode.
    m_server =
        new QWebSocketServer(QStringLiteral("chalkroom"), QWebSocketServer::NonSecureMode, this);
    m_server->setHandshakeTimeout(std::chrono::milliseconds(m_options.handshakeTimeoutMs));
    m_server->setMaxPendingConnections(m_options.maxPendingConnections);
    connect(m_server, &QWebSocketServer::newConnection, this, &ServerCore::onNewConnection);
    m_writeQueue = new WriteQueue(this);
    connect(&m_policy, &ConnectionPolicy::silent, this, &ServerCore::dropSession);
}

ServerCore::~ServerCore()
{
    // Sessions go before the storage they might still be waiting on; their coroutines see a
    // null QPointer if they are ever resumed.
    const QList<Session *> sessions = std::exchange(m_sessions, {});
    for (Session *s : sessions) {
        s->markClosed();
        delete s;
    }
}

QCoro::Task<bool> ServerCore::start()
{
    if (!co_await m_storage->open()) {
        m_error = QStringLiteral("cannot open storage %1: %2")
                      .arg(m_storage->describe(), m_storage->lastError());
        co_return false;
    }
    const auto rooms = co_await m_storage->listRooms();
    if (!rooms) {
        m_error = QStringLiteral("cannot read rooms from %1: %2")
                      .arg(m_storage->describe(), m_storage->lastError());
        co_return false;
    }
    m_rooms.load(*rooms);
    if (!m_tcpServer->listen(m_options.host, m_options.port)) {
        m_error = QStringLiteral("cannot listen on %1:%2: %3")
                      .arg(m_options.host.toString())
                      .arg(m_options.port)
                      .arg(m_tcpServer->errorString());
        co_return false;
    }
    m_policy.startHeartbeat();
    qCInfo(lcServer) << "listening on" << m_options.host.toString() << m_tcpServer->serverPort()
                     << (isSecure() ? "(TLS)" : "") << "with" << m_storage->describe() << ","
                     << m_rooms.size() << "rooms";
    co_return true;
}

QCoro::Task<void> ServerCore::stop()
{
    m_tcpServer->close();
    m_policy.stop();
    m_rooms.stop();
    m_presence.stop();
    const QList<Session *> sessions = m_sessions;
    for (Session *s : sessions) {
        s->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("server stopping"));
        dropSession(s);
    }
    co_await m_storage->flush();
    qCInfo(lcServer) << "stopped";
}

// ---- connections ---------------------------------------------------------------------------

bool ServerCore::isSecure() const
{
    return !m_options.tlsCertificate.isNull() && !m_options.tlsKey.isNull();
}

namespace {
QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + QLatin1Char('/') + QString::number(port);
}
} // namespace

void ServerCore::onNewTcpConnection()
{
    while (QTcpSocket *tcp = m_tcpServer->nextPendingConnection()) {
        // Qt writes a WebSocket frame's header and payload in two writes; with Nagle's
        // algorithm and the peer's delayed ACK the payload of a 20-60 KB frame then waits
        // ~40 ms. Statements are small and latency matters more than packet count.
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_handshaking.insert(peerKey(tcp->peerAddress(), tcp->peerPort()), tcp);
        connect(tcp, &QObject::destroyed, this,
                [this, key = peerKey(tcp->peerAddress(), tcp->peerPort())] {
                    m_handshaking.remove(key);
                });
        // QWebSocketServer's own handshake timeout does not cover handleConnection() (tested:
        // a silent socket stayed open), so the deadline is kept here.
        QTimer::singleShot(m_options.handshakeTimeoutMs, tcp, [this, tcp] {
            const QString key = peerKey(tcp->peerAddress(), tcp->peerPort());
            if (m_handshaking.value(key) == tcp) {
                qCInfo(lcServer) << "dropping" << tcp->peerAddress().toString()
                                 << ": no WebSocket handshake in time";
                m_handshaking.remove(key);
                tcp->abort();
            }
        });
        m_server->handleConnection(tcp); // takes ownership
    }
}

void ServerCore::onNewConnection()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        auto *s = new Session(socket, m_options.maxPendingBytes, this, m_writeQueue);
        s->setTcpSocket(m_handshaking.take(peerKey(socket->peerAddress(), socket->peerPort())));
        m_policy.configure(s);
        m_sessions.append(s);
        connect(socket, &QWebSocket::textMessageReceived, s,
                [this, s](const QString &text) { onText(s, text); });
        connect(socket, &QWebSocket::binaryMessageReceived, s, [this, s](const QByteArray &) {
            if (!s->isClosed())
                Broadcaster::sendError(
                    s, Error::BadData,
                    QStringLiteral("binary frames are not statements; send JSON text"));
        });
        connect(socket, &QWebSocket::disconnected, s, [this, s] { onDisconnected(s); });
        s->startServing();
        runSession(s); // greets, drains the inbox; finishes on its own
    }
}

void ServerCore::onDisconnected(Session *s)
{
    s->markClosed();
    dropSession(s);
}

void ServerCore::dropSession(Session *s)
{
    if (!m_sessions.removeOne(s))
        return;
    m_presence.drop(s); // first: the room it leaves hears of it
    m_rooms.leave(s);
    s->deleteLater();
}

void ServerCore::onText(Session *s, const QString &text)
{
    if (s->isClosed())
        return;
    Decoded decoded = decodeCall(text.toUtf8(), m_options.limits);
    if (!m_policy.admit(s, decoded))
        return;
    s->queueCall(std::move(decoded));
    if (s->startServing())
        runSession(s);
}

QCoro::Task<void> ServerCore::runSession(SessionPtr s)
{
    if (s->takeGreeting()) {
        if (!m_policy.asksPassword()) {
            try {
                co_await m_handlers.greet(s);
            } catch (...) {
                qCWarning(lcServer) << "greeting a new connection failed";
            }
            if (s)
                m_presence.update(s);
        } else {
            Broadcaster::sendError(
                s, Error::Unauthorized,
                QStringLiteral("this server asks for a password: send authenticate"));
        }
    }
    while (alive(s) && s->hasWaitingCalls()) {
        // Nothing a handler throws may reach the event loop or stop this session's queue.
        try {
            co_await dispatch(s, s->takeCall());
        } catch (const std::exception &e) {
            qCWarning(lcServer) << "a call failed:" << e.what();
        } catch (...) {
            qCWarning(lcServer) << "a call failed with an unknown exception";
        }
        // Identities change only in calls (and the greeting): presence follows here.
        if (s)
            m_presence.update(s);
    }
    // Nothing can arrive between the loop's last check and here (one thread, no await), so
    // the next text message finds the session not serving and starts a new run.
    if (s)
        s->stopServing();
}

QCoro::Task<void> ServerCore::dispatch(SessionPtr s, Decoded decoded)
{
    if (auto *error = std::get_if<CallError>(&decoded)) {
        s->send(WireFrame(error->encode()));
        co_return;
    }
    CallRequest req = std::get<CallRequest>(std::move(decoded));
    // The central checks, from the call's row of the statement table.
    const Needs need = needs(req.call);
    if (need != Needs::Nothing && !s->isAdmitted()) {
        Broadcaster::replyError(s, Error::Unauthorized,
                                QStringLiteral("send authenticate with the password first"),
                                req.call, req.clientId);
        co_return;
    }
    if ((need == Needs::Identity || need == Needs::Room) && !s->isAuthenticated()) {
        Broadcaster::replyError(
            s, Error::AccountRequired,
            QStringLiteral("this server requires an account: register or login"), req.call,
            req.clientId);
        co_return;
    }
    if (need == Needs::Room && s->roomUuid().isEmpty()) {
        Broadcaster::replyError(s, Error::NoSelectedRoom, QStringLiteral("enter a room first"),
                                req.call, req.clientId);
        co_return;
    }
    co_await std::visit([&](auto &&typed) { return m_handlers.handle(s, std::move(typed)); },
                        std::move(req.typed));
}

} // namespace chalk::server
