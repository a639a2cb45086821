#include "server_core.h"

#include "logging.h"
#include "protocol/colors.h"
#include "protocol/drawing_json.h"
#include "session.h"
#include "tokens.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>
#include <exception>

namespace chalk::server {

using namespace chalk::protocol;

namespace {
// Statements a peer may queue while one of its calls awaits storage; more is refused.
constexpr qsizetype kInboxMax = 256;
} // namespace

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
    m_roomChangeTimer.setSingleShot(true);
    m_roomChangeTimer.setInterval(std::max(0, m_options.roomChangeCoalesceMs));
    connect(&m_roomChangeTimer, &QTimer::timeout, this, &ServerCore::flushRoomChanges);
    if (!m_options.password.isEmpty())
        m_passwordHash = hashToken(m_options.password);
    m_heartbeat.setInterval(m_options.heartbeatIntervalMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &ServerCore::pingAll);
    m_pongDeadline.setSingleShot(true);
    // The answer must come before the next ping goes out.
    m_pongDeadline.setInterval(
        std::clamp(m_options.heartbeatTimeoutMs, 1, std::max(1, m_options.heartbeatIntervalMs)));
    connect(&m_pongDeadline, &QTimer::timeout, this, &ServerCore::dropSilentPeers);
    m_clock.start();
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
    m_rooms.clear();
    m_roomOrder.clear();
    for (const Room &r : *rooms) {
        auto state = std::make_shared<RoomState>();
        state->room = r;
        state->room.users.clear(); // members are not persisted
        m_rooms.insert(r.uuid, state);
        m_roomOrder.append(r.uuid);
    }
    if (!m_tcpServer->listen(m_options.host, m_options.port)) {
        m_error = QStringLiteral("cannot listen on %1:%2: %3")
                      .arg(m_options.host.toString())
                      .arg(m_options.port)
                      .arg(m_tcpServer->errorString());
        co_return false;
    }
    if (m_options.heartbeatIntervalMs > 0)
        m_heartbeat.start();
    qCInfo(lcServer) << "listening on" << m_options.host.toString() << m_tcpServer->serverPort()
                     << (isSecure() ? "(TLS)" : "") << "with" << m_storage->describe() << ","
                     << m_rooms.size() << "rooms";
    co_return true;
}

QCoro::Task<void> ServerCore::stop()
{
    m_tcpServer->close();
    m_heartbeat.stop();
    m_pongDeadline.stop();
    m_roomChangeTimer.stop();
    m_dirtyRooms.clear();
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
        // A larger frame or message is refused by Qt itself: it closes the socket with 1009
        // (CloseCodeTooMuchData) before we see a byte of it.
        socket->setMaxAllowedIncomingFrameSize(quint64(m_options.limits.statementBytes));
        socket->setMaxAllowedIncomingMessageSize(quint64(m_options.limits.statementBytes));
        auto *s = new Session(socket, m_options.maxPendingBytes, this, m_writeQueue);
        s->setTcpSocket(m_handshaking.take(peerKey(socket->peerAddress(), socket->peerPort())));
        s->closeGraceMs = m_options.closeGraceMs;
        s->messageBucket = TokenBucket(m_options.messageRate, m_options.messageBurst);
        s->callBucket = TokenBucket(m_options.callRate, m_options.callBurst);
        m_sessions.append(s);
        connect(socket, &QWebSocket::textMessageReceived, s,
                [this, s](const QString &text) { onText(s, text); });
        connect(socket, &QWebSocket::binaryMessageReceived, s, [this, s](const QByteArray &) {
            if (!s->isClosed())
                s->send(WireFrame(CallError{
                    Error::BadData,
                    QStringLiteral("binary frames are not statements; send JSON text"),
                    {},
                    {},
                    {}}.encode()));
        });
        connect(socket, &QWebSocket::disconnected, s, [this, s] { onDisconnected(s); });
        connect(socket, &QWebSocket::pong, s, [s] { s->awaitingPong = false; });
        s->running = true;
        runSession(s); // drains the inbox; finishes on its own
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
    leaveCurrentRoom(s);
    s->deleteLater();
}

void ServerCore::pingAll()
{
    for (Session *s : std::as_const(m_sessions)) {
        if (s->isClosed())
            continue;
        s->awaitingPong = true;
        s->socket()->ping();
    }
    m_pongDeadline.start();
}

void ServerCore::dropSilentPeers()
{
    const QList<Session *> sessions = m_sessions;
    for (Session *s : sessions) {
        if (!s->awaitingPong || s->isClosed())
            continue;
        qCInfo(lcServer) << "dropping" << s->user.uuid << ": no answer to the heartbeat";
        s->markClosed();
        s->socket()->abort(); // a dead peer would not answer a close handshake either
        dropSession(s);
    }
}

void ServerCore::onText(Session *s, const QString &text)
{
    if (s->isClosed())
        return;
    const qint64 now = nowMs();
    Decoded decoded = decodeCall(text.toUtf8(), m_options.limits);
    const auto *req = std::get_if<CallRequest>(&decoded);
    QString limited;
    if (!s->callBucket.take(now)) {
        limited = QStringLiteral("call rate limit: more than %1 calls per second (burst %2)")
                      .arg(m_options.callRate)
                      .arg(m_options.callBurst);
    } else if (req && req->call == Call::CreateMessage && !s->messageBucket.take(now)) {
        limited = QStringLiteral("message rate limit: more than %1 create_message per second "
                                 "(burst %2)")
                      .arg(m_options.messageRate)
                      .arg(m_options.messageBurst);
    }
    if (!limited.isEmpty()) {
        // Answered in turn (through the inbox), so it never overtakes an earlier answer.
        decoded = CallError{Error::RateLimited,
                            limited,
                            {},
                            req ? QString(name(req->call)) : QString(),
                            req ? req->clientId : QString()};
        if (noteRefusal(s, now))
            return;
    }
    if (s->inbox.size() >= kInboxMax) {
        s->send(WireFrame(CallError{
            Error::RateLimited,
            QStringLiteral("too many calls waiting; wait for the answers"),
            {},
            {},
            {}}.encode()));
        noteRefusal(s, now);
        return;
    }
    s->inbox.enqueue(std::move(decoded));
    if (!s->running) {
        s->running = true;
        runSession(s);
    }
}

bool ServerCore::noteRefusal(Session *s, qint64 nowMs)
{
    if (m_options.abuseRefusals <= 0)
        return false;
    if (s->refusalWindowStartMs < 0 || nowMs - s->refusalWindowStartMs > m_options.abuseWindowMs) {
        s->refusalWindowStartMs = nowMs;
        s->refusals = 0;
    }
    if (++s->refusals < m_options.abuseRefusals)
        return false;
    qCWarning(lcServer) << "closing" << s->socket()->peerAddress().toString() << "user"
                        << s->user.uuid << ":" << s->refusals << "calls refused for the rate limit";
    s->close(QWebSocketProtocol::CloseCodePolicyViolated,
             QStringLiteral("rate limit exceeded again and again"));
    return true;
}

qint64 ServerCore::nowMs() const
{
    return m_options.clockMs ? m_options.clockMs() : m_clock.elapsed();
}

bool ServerCore::alive(const SessionPtr &s)
{
    return s && !s->isClosed();
}

QCoro::Task<void> ServerCore::runSession(SessionPtr s)
{
    if (!s->greeted) {
        s->greeted = true;
        if (m_options.password.isEmpty()) {
            try {
                co_await welcome(s);
            } catch (...) {
                qCWarning(lcServer) << "greeting a new connection failed";
            }
        } else {
            s->send(WireFrame(CallError{
                Error::Unauthorized,
                QStringLiteral("this server asks for a password: send authenticate"),
                {},
                {},
                {}}.encode()));
        }
    }
    while (alive(s) && !s->inbox.isEmpty()) {
        // Nothing a handler throws may reach the event loop or stop this session's queue.
        try {
            co_await dispatch(s, s->inbox.dequeue());
        } catch (const std::exception &e) {
            qCWarning(lcServer) << "a call failed:" << e.what();
        } catch (...) {
            qCWarning(lcServer) << "a call failed with an unknown exception";
        }
    }
    // Nothing can arrive between the loop's last check and here (one thread, no await), so
    // the next text message finds running == false and starts a new run.
    if (s)
        s->running = false;
}

QCoro::Task<void> ServerCore::welcome(SessionPtr s)
{
    const QString uuid = newUuid();
    s->user = User{uuid, QStringLiteral("user-") + uuid, {}};
    const QString token = newResumeToken();
    s->tokenHash = hashToken(token);
    // Saved before the token is handed out, so a resume with it always finds the user.
    const bool saved = co_await m_storage->saveUser(s->user, s->tokenHash);
    if (!alive(s))
        co_return;
    if (!saved)
        qCWarning(lcServer) << "could not store a new user; resume will not find it";
    QJsonObject created{{QStringLiteral("object"), s->user.toJson()}};
    if (saved)
        created.insert(QStringLiteral("token"), token);
    // Only now: broadcasts (room_created, room_changed) must not come before user_created.
    s->authenticated = true;
    s->send(frame(Result::UserCreated, created));
    s->send(roomsListedFrame());
}

const ServerCore::Route ServerCore::kRoutes[] = {
    {Call::CreateRoom, &ServerCore::createRoom, false},
    {Call::EnterRoom, &ServerCore::enterRoom, false},
    {Call::LeaveRoom, &ServerCore::leaveRoom, false},
    {Call::DeleteRoom, &ServerCore::deleteRoom, false},
    {Call::ListRooms, &ServerCore::listRooms, false},
    {Call::ChangeColor, &ServerCore::changeColor, false},
    {Call::ChangeName, &ServerCore::changeName, false},
    {Call::ChangeUserName, &ServerCore::changeUserName, false},
    {Call::CreateMessage, &ServerCore::createMessage, true},
    {Call::ListMessages, &ServerCore::listMessages, true},
    {Call::ChangeDrawLine, &ServerCore::changeDrawLine, true},
    {Call::GetDrawing, &ServerCore::getDrawing, true},
    {Call::ResetDrawing, &ServerCore::resetDrawing, true},
    {Call::Typing, &ServerCore::typing, true},
    {Call::RemoveDrawLine, &ServerCore::removeDrawLine, true},
    {Call::Resume, &ServerCore::resume, false},
    {Call::Authenticate, &ServerCore::authenticate, false},
};

QCoro::Task<void> ServerCore::dispatch(SessionPtr s, Decoded decoded)
{
    if (auto *error = std::get_if<CallError>(&decoded)) {
        s->send(WireFrame(error->encode()));
        co_return;
    }
    CallRequest req = std::get<CallRequest>(std::move(decoded));
    static_assert(std::size(kRoutes) == std::size_t(kCallCount), "every call needs a route");
    const Route &route = kRoutes[std::size_t(req.call)];
    Q_ASSERT(route.call == req.call);
    if (!s->authenticated && req.call != Call::Authenticate) {
        replyError(s, Error::Unauthorized,
                   QStringLiteral("send authenticate with the password first"), req);
        co_return;
    }
    if (route.needsRoom && s->user.roomUuid.isEmpty()) {
        replyError(s, Error::NoSelectedRoom, QStringLiteral("enter a room first"), req);
        co_return;
    }
    co_await (this->*route.handler)(s, std::move(req));
}

// ---- rooms ---------------------------------------------------------------------------------

ServerCore::RoomPtr ServerCore::room(const QString &uuid) const
{
    RoomPtr r = m_rooms.value(uuid);
    return r && !r->deleted ? r : nullptr;
}

QJsonObject ServerCore::roomJson(const RoomState &state) const
{
    // For room_created and room_deleted (rare, and empty rooms): the one member-list builder
    // is roomBytes().
    return QJsonDocument::fromJson(roomBytes(state)).object();
}

namespace {

// Replaces the empty value of `"key":{}` or `"key":[]` in compact JSON by `value`. Safe on
// encoder output: a quote followed by a colon only ends a key (inside a string a quote is
// escaped), so the needle cannot match peer-controlled text.
void spliceValue(QByteArray &json, QLatin1String key, char empty, const QByteArray &value)
{
    QByteArray needle;
    needle.reserve(key.size() + 5);
    needle.append('"').append(key.data(), key.size()).append("\":");
    needle.append(empty).append(empty == '[' ? ']' : '}');
    const qsizetype at = json.indexOf(needle);
    Q_ASSERT(at >= 0);
    if (at >= 0)
        json.replace(at + needle.size() - 2, 2, value);
}

} // namespace

QByteArray ServerCore::roomBytes(const RoomState &state) const
{
    Room r = state.room;
    r.users.clear();
    QByteArray json = QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact);
    QByteArray members("[");
    QSet<QString> seen; // one user may be connected twice (a resume before the old link died)
    for (Session *m : state.members) {
        if (seen.contains(m->user.uuid))
            continue;
        seen.insert(m->user.uuid);
        if (members.size() > 1)
            members.append(',');
        members.append(m->userJson());
    }
    members.append(']');
    spliceValue(json, QLatin1String("users"), '[', members);
    return json;
}

WireFrame ServerCore::roomFrame(Result result, const RoomState &room, const QString &clientId) const
{
    QJsonObject fields{{QStringLiteral("object"), QJsonObject()}};
    if (!clientId.isEmpty())
        fields.insert(QStringLiteral("client_id"), clientId);
    QByteArray json = encodeResult(result, fields);
    spliceValue(json, QLatin1String("object"), '{', roomBytes(room));
    return WireFrame(std::move(json));
}

WireFrame ServerCore::roomsListedFrame(const QString &clientId) const
{
    QJsonObject fields{{QStringLiteral("list"), QJsonArray()}};
    if (!clientId.isEmpty())
        fields.insert(QStringLiteral("client_id"), clientId);
    QByteArray list("[");
    for (const QString &uuid : m_roomOrder) {
        if (const RoomPtr r = room(uuid)) {
            if (list.size() > 1)
                list.append(',');
            list.append(roomBytes(*r));
        }
    }
    list.append(']');
    QByteArray json = encodeResult(Result::RoomsListed, fields);
    spliceValue(json, QLatin1String("list"), '[', list);
    return WireFrame(std::move(json));
}

void ServerCore::markRoomChanged(const QString &roomUuid, bool membersToo)
{
    bool &forMembers = m_dirtyRooms[roomUuid];
    forMembers = forMembers || membersToo;
    if (!m_roomChangeTimer.isActive())
        m_roomChangeTimer.start();
}

void ServerCore::flushRoomChanges()
{
    const QHash<QString, bool> dirty = std::exchange(m_dirtyRooms, {});
    const QList<Session *> all = everyone();
    const qint64 now = nowMs();
    for (auto it = dirty.cbegin(); it != dirty.cend(); ++it) {
        const RoomPtr r = room(it.key());
        if (!r)
            continue;
        const int steps =
            1 + int(r->members.size()) / std::max(1, m_options.roomChangeMembersPerStep);
        if (steps > 1 && r->roomChangedAtMs >= 0 &&
            now - r->roomChangedAtMs < qint64(m_options.roomChangeCoalesceMs) * steps) {
            m_dirtyRooms.insert(it.key(), it.value()); // a big room: later
            continue;
        }
        r->roomChangedAtMs = now;
        // A count-only change skips the members: in a big room the member list in every
        // room_changed cost as much as the messages themselves (docs/PERFORMANCE.md).
        const WireFrame f = roomFrame(Result::RoomChanged, *r);
        for (Session *s : all) {
            if (it.value() || s->user.roomUuid != it.key())
                s->send(f);
        }
    }
    if (!m_dirtyRooms.isEmpty() && !m_roomChangeTimer.isActive())
        m_roomChangeTimer.start();
}

void ServerCore::leaveCurrentRoom(Session *s)
{
    if (s->user.roomUuid.isEmpty())
        return;
    if (const RoomPtr r = room(s->user.roomUuid)) {
        r->members.removeOne(s);
        markRoomChanged(r->room.uuid);
    }
    s->user.roomUuid.clear();
}

QCoro::Task<bool> ServerCore::ensureBoard(RoomPtr r)
{
    if (r->boardLoaded)
        co_return true;
    auto lines = co_await m_storage->lines(r->room.uuid);
    if (!lines)
        co_return false;
    // Another call may have loaded (and changed) the board meanwhile: memory wins then.
    if (!r->boardLoaded)
        r->setLines(std::move(*lines));
    co_return true;
}

void ServerCore::persistUser(Session *s)
{
    if (s->tokenHash.isEmpty())
        return;
    // Not awaited: the answer does not depend on it, and Storage::flush() waits for it on stop.
    m_storage->saveUser(s->user, s->tokenHash);
}

// ---- sending -------------------------------------------------------------------------------

WireFrame ServerCore::frame(Result result, QJsonObject fields)
{
    return WireFrame(encodeResult(result, fields));
}

WireFrame ServerCore::drawingFrame(RoomState &r, const QString &clientId)
{
    if (r.joinedLines.isNull()) {
        QByteArray joined("[");
        for (const Line &line : std::as_const(r.lines)) {
            QByteArray &encoded = r.encodedLines[line.uuid];
            if (encoded.isEmpty())
                encoded = encodeLineJson(line);
            if (joined.size() > 1)
                joined.append(',');
            joined.append(encoded);
        }
        joined.append(']');
        r.joinedLines = joined;
    }
    // The envelope is encoded with an empty `lines` array and the lines are put into it.
    QJsonObject fields{
        {QStringLiteral("object"), Drawing{Drawing::uuidForRoom(r.room.uuid), {}}.toJson()}};
    if (!clientId.isEmpty())
        fields.insert(QStringLiteral("client_id"), clientId);
    QByteArray envelope = encodeResult(Result::DrawingGot, fields);
    spliceValue(envelope, QLatin1String("lines"), '[', r.joinedLines);
    return WireFrame(std::move(envelope));
}

void ServerCore::reply(Session *s, Result result, QJsonObject fields, const QString &clientId)
{
    if (!clientId.isEmpty())
        fields.insert(QStringLiteral("client_id"), clientId);
    s->sendDirect(frame(result, std::move(fields)));
}

void ServerCore::replyError(Session *s, Error error, const QString &detail, const CallRequest &req,
                            const QString &field)
{
    const CallError e{error, detail, field, QString(name(req.call)), req.clientId};
    s->sendDirect(WireFrame(e.encode()));
}

void ServerCore::fanOut(const QList<Session *> &recipients, Result result,
                        const QJsonObject &fields, Session *caller, const QString &clientId,
                        const QString &messageUuid)
{
    const WireFrame shared = frame(result, fields);
    for (Session *r : recipients) {
        if (r == caller && !clientId.isEmpty())
            continue;
        r->send(shared, messageUuid);
    }
    if (caller && !clientId.isEmpty() && recipients.contains(caller))
        reply(caller, result, fields, clientId);
}

QList<Session *> ServerCore::everyone() const
{
    QList<Session *> out;
    out.reserve(m_sessions.size());
    for (Session *s : m_sessions) {
        if (s->authenticated && !s->isClosed())
            out.append(s);
    }
    return out;
}

} // namespace chalk::server
