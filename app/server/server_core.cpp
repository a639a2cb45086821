// ServerCore (server_core.h): accepting connections, serving each session's calls in order.
#include "server_core.h"

#include "logging.h"

#include <QPointer>
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
    // Both ask m_gate (the connection caps) before they make a socket.
    if (isSecure()) {
        auto *ssl = new GatedServer<QSslServer>(m_gate, true, this);
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(m_options.tlsCertificate);
        config.setPrivateKey(m_options.tlsKey);
        config.setPeerVerifyMode(QSslSocket::VerifyNone); // clients have no certificates
        config.setProtocol(QSsl::TlsV1_2OrLater);
        config.setCiphers(forwardSecretAead(config.ciphers()));
        ssl->setSslConfiguration(config);
        ssl->setHandshakeTimeout(
            std::min(m_options.tlsHandshakeTimeoutMs, m_options.handshakeTimeoutMs));
        m_tcpServer = ssl;
    } else {
        m_tcpServer = new GatedServer<QTcpServer>(m_gate, false, this);
    }
    // QSslServer counts the sockets in their TLS handshake here (connection_gate.h bounds them).
    m_tcpServer->setMaxPendingConnections(m_options.maxPendingConnections);
    connect(m_tcpServer, &QTcpServer::acceptError, this, &ServerCore::onAcceptError);
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
    m_gate.watchAccepting(m_tcpServer);
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

QList<QSslCipher> ServerCore::forwardSecretAead(const QList<QSslCipher> &ciphers)
{
    // TLS 1.3 suites all are (ephemeral key exchange, AEAD). TLS 1.2: ECDHE or DHE with GCM,
    // CCM or ChaCha20-Poly1305; no static RSA (no forward secrecy), no CBC (padding oracles).
    QList<QSslCipher> kept;
    for (const QSslCipher &c : ciphers) {
        const QString name = c.name();
        const bool tls13 = c.protocol() == QSsl::TlsV1_3;
        const bool ephemeral =
            name.startsWith(QLatin1String("ECDHE-")) || name.startsWith(QLatin1String("DHE-"));
        const bool aead = name.contains(QLatin1String("GCM")) ||
                          name.contains(QLatin1String("CCM")) ||
                          name.contains(QLatin1String("CHACHA20"));
        if (tls13 || (ephemeral && aead))
            kept.append(c);
    }
    return kept;
}

void ServerCore::onAcceptError(QAbstractSocket::SocketError error)
{
    // Qt pauses accepting itself on an error it does not take as temporary; resume after a
    // while (ConnectionGate pauses and resumes on the errors Qt retries at once).
    if (error == QAbstractSocket::TemporaryError)
        return;
    m_log.warn(QStringLiteral("accepting paused"),
               QStringLiteral("accepting failed (%1): pausing accepting for %2 ms")
                   .arg(m_tcpServer->errorString())
                   .arg(m_options.acceptPauseMs));
    QTimer::singleShot(m_options.acceptPauseMs, this, [this] {
        if (m_tcpServer->isListening())
            m_tcpServer->resumeAccepting();
    });
}

void ServerCore::onNewTcpConnection()
{
    while (QTcpSocket *tcp = m_tcpServer->nextPendingConnection()) {
        // Qt writes a WebSocket frame's header and payload in two writes; with Nagle's
        // algorithm and the peer's delayed ACK the payload of a 20-60 KB frame then waits
        // ~40 ms. Statements are small and latency matters more than packet count.
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_handshaking.insert(peerKey(tcp->peerAddress(), tcp->peerPort()), tcp);
        // Connected before QWebSocket's own reading (made once the upgrade is done, and
        // direct), so once the session exists every byte goes through its FrameReader and
        // QWebSocket finds the socket drained. Before that, QWebSocketServer reads the request.
        connect(tcp, &QIODevice::readyRead, this, [this, tcp] {
            if (Session *s = m_sessionOf.value(tcp))
                readFrames(s);
        });
        connect(tcp, &QObject::destroyed, this, [this, tcp] { m_sessionOf.remove(tcp); });
        connect(tcp, &QObject::destroyed, this,
                [this, key = peerKey(tcp->peerAddress(), tcp->peerPort())] {
                    m_handshaking.remove(key);
                });
        // QWebSocketServer's own handshake timeout does not cover handleConnection() (tested:
        // a silent socket stayed open), so the deadline is kept here.
        QTimer::singleShot(m_options.handshakeTimeoutMs, tcp, [this, tcp] {
            const QString key = peerKey(tcp->peerAddress(), tcp->peerPort());
            if (m_handshaking.value(key) == tcp) {
                m_log.info(QStringLiteral("handshake timeout"),
                           QStringLiteral("dropping %1: no WebSocket handshake in time")
                               .arg(tcp->peerAddress().toString()));
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
        QTcpSocket *tcp = m_handshaking.take(peerKey(socket->peerAddress(), socket->peerPort()));
        if (!tcp) { // cannot happen: every socket is accepted by m_tcpServer
            qCWarning(lcServer) << "a WebSocket without its TCP socket; dropped";
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto *s = new Session(socket, m_options.maxPendingBytes, this, m_writeQueue);
        s->setTcpSocket(tcp);
        m_policy.configure(s);
        m_sessions.append(s);
        // Read by us, not QWebSocket, which would answer pings itself and accept what RFC 6455
        // refuses (the connection in onNewTcpConnection).
        m_sessionOf.insert(tcp, s);
        // Not while this core is being destroyed: its sockets go away with it then.
        connect(socket, &QWebSocket::disconnected, s, [core = QPointer<ServerCore>(this), s] {
            if (core)
                core->onDisconnected(s);
        });
        s->startServing();
        runSession(s); // greets, drains the inbox; finishes on its own
        readFrames(s); // frames that came with the handshake
    }
}

void ServerCore::readFrames(Session *s)
{
    QTcpSocket *tcp = s->tcpSocket();
    if (!tcp || !tcp->isOpen()) // closed or aborted: nothing more to read
        return;
    FrameReader &reader = s->reader();
    reader.append(tcp->readAll());
    IncomingFrame frame;
    while (reader.next(frame)) {
        using Kind = IncomingFrame::Kind;
        if (s->isClosed()) {
            // After our close frame only the peer's close matters (the close handshake).
            if (frame.kind == Kind::Close)
                s->answerClose(frame.closeCode);
            continue;
        }
        if (!m_policy.admitFrame(s, frame))
            continue;
        switch (frame.kind) {
        case Kind::Fragment:
            break;
        case Kind::Text:
            onText(s, frame.payload);
            break;
        case Kind::Binary:
            Broadcaster::sendError(
                s, Error::BadData,
                QStringLiteral("binary frames are not statements; send JSON text"));
            break;
        case Kind::Ping:
            s->answerPing(frame.payload);
            break;
        case Kind::Pong:
            s->notePong(frame.payload);
            break;
        case Kind::Close:
            s->answerClose(frame.closeCode);
            break;
        case Kind::Failed:
            m_log.info(QStringLiteral("protocol error"),
                       QStringLiteral("closing %1 with %2: %3")
                           .arg(tcp->peerAddress().toString())
                           .arg(frame.closeCode)
                           .arg(QString::fromLatin1(frame.payload)));
            s->close(frame.closeCode, QString::fromLatin1(frame.payload));
            break;
        }
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
    m_unread.detach(s->user().uuid);
    s->deleteLater();
}

void ServerCore::onText(Session *s, const QByteArray &utf8)
{
    if (s->isClosed())
        return;
    Decoded decoded = decodeCall(utf8, m_options.limits);
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
