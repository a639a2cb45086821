#include "chat_client.h"

#include "protocol/drawing_json.h"
#include "settings_store.h"

#include <QCoroSignal>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QWebSocket>
#include <QtConcurrent/QtConcurrentRun>
#include <cmath>

Q_LOGGING_CATEGORY(lcClient, "chalk.client")

namespace chalk::client {

using namespace protocol;
using namespace std::chrono_literals;

namespace {

// After `resumed` the server re-enters the user's last room by itself; give it this long
// before entering the wanted room ourselves.
constexpr auto kResumeEnterGrace = 3s;

QString hostText(const QUrl &url)
{
    return url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
}

// Secrets never reach the log: tokens and passwords are blanked before a frame is logged.
QString forLog(const QString &text)
{
    if (!text.contains(QLatin1String("\"token\"")) && !text.contains(QLatin1String("\"password\"")))
        return text; // shared, not copied: drawings can be megabytes
    QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    QJsonObject root = doc.object();
    QJsonObject payload = root.value(QLatin1String("payload")).toObject();
    for (const char *key : {"token", "password"}) {
        if (payload.contains(QLatin1String(key)))
            payload.insert(QLatin1String(key), QStringLiteral("<redacted>"));
    }
    root.insert(QStringLiteral("payload"), payload);
    return QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Compact));
}

// Ours (and the original's final version) put the one object under "object"; earlier
// versions of the original used the object's kind as the key.
QJsonObject objectOf(const Envelope &env)
{
    for (const char *key : {"object", "room", "user", "message", "drawing", "line"}) {
        const QJsonValue v = env.payload.value(QLatin1String(key));
        if (v.isObject())
            return v.toObject();
    }
    return {};
}

} // namespace

// One awaited request. Lives outside the client's ownership so a coroutine waiting on it is
// always resumed (done is emitted) before it is deleted.
class ChatClient::Waiter : public QObject {
    Q_OBJECT
public:
    QString clientId;
    QString callName;
    QString expected;
    bool finished = false;
    std::optional<Envelope> result;

    void finish(std::optional<Envelope> r)
    {
        if (finished)
            return;
        finished = true;
        result = std::move(r);
        emit done();
    }

signals:
    void done();
};

ChatClient::ChatClient(QObject *parent)
    : ChatClient(std::make_shared<QSettingsStore>(), ClientOptions{}, parent)
{}

ChatClient::ChatClient(std::shared_ptr<SettingsStore> settings, ClientOptions options,
                       QObject *parent)
    : QObject(parent)
    , m_settings(settings ? std::move(settings) : std::make_shared<QSettingsStore>())
    , m_options(options)
    , m_backoff(options.backoffMin, options.backoffMax)
    , m_outbox(new Outbox(this))
{
    m_reconnectTimer.setSingleShot(true);
    m_deadlineTimer.setSingleShot(true);
    m_connectTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    m_resumeEnterTimer.setSingleShot(true);
    m_heartbeatTimer.setInterval(m_options.heartbeatInterval);
    m_deadlineTimer.setInterval(m_options.heartbeatTimeout);
    m_connectTimer.setInterval(m_options.connectTimeout);
    m_retryTimer.setInterval(m_options.retryDelay);
    m_resumeEnterTimer.setInterval(kResumeEnterGrace);
    connect(m_outbox, &Outbox::entryAdded, this, &ChatClient::saveOutbox);
    connect(m_outbox, &Outbox::entryAcknowledged, this, &ChatClient::saveOutbox);
    connect(m_outbox, &Outbox::entryFailed, this, &ChatClient::saveOutbox);

    connect(&m_reconnectTimer, &QTimer::timeout, this, [this] {
        setState(State::Reconnecting, tr("Reconnecting to %1…").arg(hostText(m_url)));
        openSocket();
    });
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &ChatClient::heartbeat);
    connect(&m_deadlineTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcClient) << "no answer to a heartbeat: the link is dead";
        m_lastError = tr("the server stopped answering");
        linkLost(m_socket);
    });
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        m_lastError = tr("the handshake timed out");
        linkLost(m_socket);
    });
    connect(&m_retryTimer, &QTimer::timeout, this, &ChatClient::flushOutbox);
    connect(&m_resumeEnterTimer, &QTimer::timeout, this, [this] {
        if (!m_wantedRoom.isEmpty() && m_currentRoom != m_wantedRoom)
            enterRoom(m_wantedRoom);
    });
}

ChatClient::~ChatClient()
{
    m_wantConnection = false;
    failAllWaiters();
    if (m_socket) {
        QWebSocket *s = m_socket;
        disconnect(s, nullptr, this, nullptr);
        s->abort();
        delete s;
    }
}

void ChatClient::setOptions(const ClientOptions &options)
{
    m_options = options;
    m_backoff = Backoff(options.backoffMin, options.backoffMax);
    m_heartbeatTimer.setInterval(options.heartbeatInterval);
    m_deadlineTimer.setInterval(options.heartbeatTimeout);
    m_connectTimer.setInterval(options.connectTimeout);
    m_retryTimer.setInterval(options.retryDelay);
}

#ifndef QT_NO_SSL
void ChatClient::setSslConfiguration(const QSslConfiguration &config)
{
    m_sslConfig = config;
    m_sslConfigSet = true;
}

void ChatClient::trustCertificate(const QSslCertificate &certificate)
{
    if (!m_sslConfigSet)
        m_sslConfig = QSslConfiguration::defaultConfiguration();
    m_sslConfig.addCaCertificate(certificate);
    m_sslConfigSet = true;
}
#endif

void ChatClient::setState(State state, const QString &text)
{
    if (state == m_state && text == m_stateText)
        return;
    m_state = state;
    m_stateText = text;
    emit stateChanged(state, text);
}

void ChatClient::connectToServer(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))) {
        disconnectFromServer();
        setState(State::Disconnected,
                 tr("Not a server address (ws://host:port or wss://host:port): %1")
                     .arg(url.toDisplayString()));
        return;
    }
    if (m_socket)
        dropSocket();
    resetSession();
    if (url.adjusted(QUrl::RemovePath) != m_url.adjusted(QUrl::RemovePath)) {
        // Another server: its rooms are not ours, and nothing queued can go there.
        m_wantedRoom.clear();
        m_noResumeUrl.clear();
        const QList<OutboxEntry> entries = m_outbox->entries();
        for (const OutboxEntry &e : entries)
            m_outbox->fail(e.clientId, QStringLiteral("server_changed"),
                           tr("the connection moved to another server"));
    }
    m_reconnectTimer.stop();
    m_url = url;
    loadOutbox();
    m_wantConnection = true;
    m_backoff.reset();
    m_wasConnected = false;
    m_lastError.clear();
    setState(State::Connecting, tr("Connecting to %1…").arg(hostText(url)));
    openSocket();
}

void ChatClient::disconnectFromServer()
{
    m_wantConnection = false;
    m_reconnectTimer.stop();
    if (QWebSocket *s = m_socket) {
        m_socket = nullptr;
        dropSocket(); // stops the timers
        disconnect(s, nullptr, this, nullptr);
        // A polite close frame; the socket goes once the server answers (or soon anyway).
        connect(s, &QWebSocket::disconnected, s, &QObject::deleteLater);
        QTimer::singleShot(2000, s, &QObject::deleteLater);
        s->close();
    }
    resetSession();
    setState(State::Disconnected, tr("Disconnected"));
}

void ChatClient::openSocket()
{
    if (m_socket)
        dropSocket();
    auto *s = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = s;
    // Drawings are large, but a peer must not make us buffer gigabytes.
    s->setMaxAllowedIncomingFrameSize(m_options.maxIncomingBytes);
    s->setMaxAllowedIncomingMessageSize(m_options.maxIncomingBytes);
#ifndef QT_NO_SSL
    if (m_sslConfigSet)
        s->setSslConfiguration(m_sslConfig);
    connect(s, &QWebSocket::sslErrors, this, [this, s](const QList<QSslError> &errors) {
        if (s != m_socket)
            return;
        QStringList texts;
        for (const QSslError &e : errors)
            texts << e.errorString();
        m_lastError = tr("certificate not trusted (%1)").arg(texts.join(QLatin1String("; ")));
        emit sslErrors(errors);
    });
#endif
    connect(s, &QWebSocket::connected, this, [this, s] {
        if (s == m_socket)
            onConnected();
    });
    connect(s, &QWebSocket::disconnected, this, [this, s] { linkLost(s); });
    connect(s, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, s](QAbstractSocket::SocketError) {
                if (s != m_socket)
                    return;
                if (m_lastError.isEmpty())
                    m_lastError = s->errorString();
                // A failed handshake may not be followed by disconnected(): treat it here.
                if (s->state() == QAbstractSocket::UnconnectedState)
                    linkLost(s);
            });
    connect(s, &QWebSocket::textMessageReceived, this, [this, s](const QString &text) {
        if (s == m_socket)
            onTextMessage(s, text);
    });
    connect(s, &QWebSocket::binaryMessageReceived, this, [this, s](const QByteArray &) {
        if (s == m_socket)
            trafficSeen(); // the protocol has no binary statements; alive all the same
    });
    connect(s, &QWebSocket::pong, this, [this, s](quint64, const QByteArray &) {
        if (s == m_socket)
            trafficSeen();
    });
    m_connectTimer.start();
    s->open(m_url);
}

void ChatClient::dropSocket()
{
    QWebSocket *s = m_socket;
    m_socket = nullptr;
    m_connectTimer.stop();
    m_heartbeatTimer.stop();
    m_deadlineTimer.stop();
    if (!s)
        return;
    disconnect(s, nullptr, this, nullptr);
    s->abort();
    s->deleteLater();
}

void ChatClient::resetSession()
{
    m_ready = false;
    m_enteringRoom.clear();
    m_lastTyping = {};
    m_currentRoom.clear();
    m_resumeClientId.clear();
    m_resumeEnterTimer.stop();
    m_retryTimer.stop();
    // Nothing in flight is known to have arrived: resend after the next resume.
    m_outbox->markAllPending();
    failAllWaiters();
}

void ChatClient::onConnected()
{
    m_connectTimer.stop();
    m_wasConnected = true;
    m_lastError.clear();
    setState(State::Connected, tr("Connected to %1").arg(hostText(m_url)));
    m_heartbeatTimer.start();
}

void ChatClient::linkLost(QWebSocket *socket)
{
    if (!socket || socket != m_socket)
        return; // an old socket, or handled already
    const bool wasReady = m_ready;
    // The server's reason for closing (at most 123 bytes by the protocol), e.g. a shutdown.
    m_closeReason = socket->closeReason().simplified().left(123);
    if (!m_resumeClientId.isEmpty()) {
        // The original server closes the link on an unknown call: never ask it again.
        m_noResumeUrl = m_url;
    }
    dropSocket();
    resetSession();
    if (!m_wantConnection) {
        setState(State::Disconnected, tr("Disconnected"));
        return;
    }
    if (!m_options.autoReconnect) {
        m_wantConnection = false;
        setState(State::Disconnected, wasReady ? tr("Connection lost") : m_lastError);
        return;
    }
    scheduleReconnect(wasReady);
}

void ChatClient::scheduleReconnect(bool wasReady)
{
    const auto delay = m_backoff.next();
    const int seconds = int(std::ceil(double(delay.count()) / 1000.0));
    QString text;
    if ((wasReady || m_wasConnected) && !m_closeReason.isEmpty())
        text = tr("Connection lost (%1), retrying in %2 s").arg(m_closeReason).arg(seconds);
    else if (wasReady || m_wasConnected)
        text = tr("Connection lost, retrying in %1 s").arg(seconds);
    else
        text = tr("Cannot reach %1 (%2), retrying in %3 s")
                   .arg(hostText(m_url), m_lastError.isEmpty() ? tr("no answer") : m_lastError)
                   .arg(seconds);
    m_wasConnected = false;
    setState(State::Reconnecting, text);
    m_reconnectTimer.start(delay);
}

void ChatClient::heartbeat()
{
    if (!m_socket || m_state != State::Connected)
        return;
    m_socket->ping();
    if (!m_deadlineTimer.isActive())
        m_deadlineTimer.start();
}

void ChatClient::trafficSeen()
{
    m_deadlineTimer.stop();
}

QString ChatClient::tokenOrigin() const
{
    // Scheme and host: the embedded server may get another free port on the next start.
    return m_url.scheme() + QLatin1String("://") + m_url.host();
}

struct ChatClient::DecodedFrame {
    std::optional<Envelope> env;
    std::optional<Drawing> drawing;
};

namespace {
constexpr qsizetype kDecodeOnWorker = 64 * 1024; // characters
} // namespace

// Runs on the GUI thread for small frames, on a worker for big ones.
ChatClient::DecodedFrame ChatClient::decodeFrame(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    // A board's drawing_got can be megabytes: read straight into lines (protocol/drawing_json.h).
    if (utf8.size() > kDecodeOnWorker) {
        if (auto drawing = decodeDrawingGot(utf8))
            return {std::move(drawing->envelope), std::move(drawing->drawing)};
    }
    return {decodeEnvelope(utf8), std::nullopt};
}

void ChatClient::onTextMessage(QWebSocket *socket, const QString &text)
{
    trafficSeen();
    if (m_incoming.isEmpty() && text.size() <= kDecodeOnWorker) {
        handleFrame(text, decodeFrame(text));
        return;
    }
    m_incoming.append({socket, text, nullptr});
    pumpIncoming();
}

// Handles queued frames in order; a big one not yet decoded goes to a worker and the queue
// waits for it.
void ChatClient::pumpIncoming()
{
    while (!m_incoming.isEmpty() && !m_decoding) {
        Incoming &head = m_incoming.first();
        if (!head.socket || head.socket != m_socket) { // a frame of a link that is gone
            m_incoming.removeFirst();
            continue;
        }
        if (!head.decoded && head.text.size() > kDecodeOnWorker) {
            m_decoding = true;
            auto *watcher = new QFutureWatcher<DecodedFrame>(this);
            connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
                watcher->deleteLater();
                m_decoding = false;
                if (!m_incoming.isEmpty())
                    m_incoming.first().decoded = std::make_shared<DecodedFrame>(watcher->result());
                pumpIncoming();
            });
            watcher->setFuture(QtConcurrent::run(&ChatClient::decodeFrame, head.text));
            return;
        }
        const Incoming frame = m_incoming.takeFirst();
        handleFrame(frame.text,
                    frame.decoded ? std::move(*frame.decoded) : decodeFrame(frame.text));
    }
}

void ChatClient::handleFrame(const QString &text, DecodedFrame decoded)
{
    const std::optional<Envelope> &env = decoded.env;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!env) {
        emit statementLogged(Direction::Received, QStringLiteral("?"),
                             QStringLiteral("(not a statement)"), text.left(4096), now);
        qCWarning(lcClient) << "ignoring a frame that is not a statement";
        return;
    }
    emit statementLogged(Direction::Received, typeName(env->type), env->message, forLog(text), now);
    m_decodedDrawing = std::move(decoded.drawing);
    handleEnvelope(*env);
    m_decodedDrawing.reset();
}

void ChatClient::handleEnvelope(const Envelope &env)
{
    const QString clientId = env.payload.value(QLatin1String("client_id")).toString();
    if (!clientId.isEmpty())
        m_echoSeen = true;

    if (env.type == Type::Error) {
        const QString detail = env.payload.value(QLatin1String("detail")).toString();
        const QString call = env.payload.value(QLatin1String("call")).toString();
        const bool resumePending = !m_resumeClientId.isEmpty();
        if (resumePending &&
            (clientId == m_resumeClientId ||
             (clientId.isEmpty() && (call.isEmpty() || call == name(Call::Resume))))) {
            handleResumeAnswer(env);
        } else if (call == name(Call::EnterRoom) && m_currentRoom.isEmpty() &&
                   !m_wantedRoom.isEmpty() &&
                   errorFromName(env.message) == Error::NoSpecifiedRoom) {
            // The room we were in is gone (deleted while away, or a new database).
            const QString gone = m_wantedRoom;
            m_wantedRoom.clear();
            dropOutboxFor(gone, env.message);
        } else if (!clientId.isEmpty() && m_outbox->entry(clientId)) {
            const auto error = errorFromName(env.message);
            if (error == Error::RateLimited || error == Error::StorageFailed) {
                // Not stored: try again a little later on this link (same client_id).
                m_outbox->markAllPending();
                m_retryTimer.start();
            } else {
                m_outbox->fail(clientId, env.message, detail);
            }
        }
        emit errorReceived(env.message, detail, call);
        resolveWaiters(env);
        emit envelopeReceived(env);
        return;
    }
    if (env.type != Type::Result)
        return;

    const auto result = resultFromName(env.message);
    if (!result) {
        qCInfo(lcClient) << "ignoring unknown result" << env.message.left(64);
        emit envelopeReceived(env);
        return;
    }
    switch (*result) {
    case Result::UserCreated:
        if (m_ready) {
            // The original answers change_user_name with user_created of the same user.
            const User user = User::fromJson(objectOf(env));
            if (user.uuid == m_user.uuid && !user.name.isEmpty()) {
                m_user.name = user.name;
                emit userChanged(m_user);
            }
            break;
        }
        handleUserCreated(env);
        break;
    case Result::Resumed:
        handleResumeAnswer(env);
        break;
    case Result::RoomsListed: {
        QList<Room> rooms;
        for (const QJsonValue &v : env.payload.value(QLatin1String("list")).toArray())
            rooms.append(Room::fromJson(v.toObject()));
        emit roomsListed(rooms);
        break;
    }
    case Result::RoomCreated:
        emit roomCreated(Room::fromJson(objectOf(env)));
        break;
    case Result::RoomEntered: {
        Room room = Room::fromJson(objectOf(env));
        if (room.uuid.isEmpty())
            room.uuid = m_enteringRoom; // the original answers without the room
        m_enteringRoom.clear();
        if (room.uuid.isEmpty())
            break;
        m_currentRoom = room.uuid;
        m_wantedRoom = room.uuid;
        m_user.roomUuid = room.uuid;
        m_resumeEnterTimer.stop();
        emit roomEntered(room);
        // Back in a room: what was written offline in it goes out now, in order.
        flushOutbox();
        break;
    }
    case Result::RoomLeft:
        m_currentRoom.clear();
        m_wantedRoom.clear();
        m_user.roomUuid.clear();
        emit roomLeft();
        break;
    case Result::RoomDeleted: {
        const Room room = Room::fromJson(objectOf(env));
        dropOutboxFor(room.uuid, QStringLiteral("room_deleted"));
        if (room.uuid == m_wantedRoom)
            m_wantedRoom.clear();
        if (room.uuid == m_currentRoom) {
            m_currentRoom.clear();
            m_user.roomUuid.clear();
        }
        emit roomDeleted(room);
        break;
    }
    case Result::RoomChanged:
        emit roomChanged(Room::fromJson(objectOf(env)));
        break;
    case Result::UserChanged: {
        const User user = User::fromJson(objectOf(env));
        if (m_user.uuid.isEmpty() || user.uuid == m_user.uuid) {
            m_user.name = user.name;
            m_user.uuid = user.uuid;
            emit userChanged(m_user);
        }
        break;
    }
    case Result::MessageCreated: {
        const Message message = Message::fromJson(objectOf(env));
        m_outbox->acknowledge(message, m_user.uuid);
        emit messageCreated(message);
        break;
    }
    case Result::MessagesListed: {
        QList<Message> messages;
        const QJsonArray list = env.payload.value(QLatin1String("list")).toArray();
        messages.reserve(list.size());
        for (const QJsonValue &v : list)
            messages.append(Message::fromJson(v.toObject()));
        emit messagesListed(messages, env.payload.value(QLatin1String("has_more")).toBool(false),
                            env.payload.value(QLatin1String("before")).toString());
        break;
    }
    case Result::DrawingGot:
        emit drawingGot(m_decodedDrawing ? *m_decodedDrawing : Drawing::fromJson(objectOf(env)));
        break;
    case Result::DrawLineChanged:
        emit drawLineChanged(Line::fromJson(objectOf(env)));
        break;
    case Result::DrawLineRemoved: {
        QString uuid = env.payload.value(QLatin1String("uuid")).toString();
        if (uuid.isEmpty())
            uuid = objectOf(env).value(QLatin1String("uuid")).toString();
        emit drawLineRemoved(uuid);
        break;
    }
    case Result::UserTyping:
        emit userTyping(User::fromJson(objectOf(env)));
        break;
    case Result::Authenticated:
        break;
    }
    resolveWaiters(env);
    emit envelopeReceived(env);
}

void ChatClient::handleUserCreated(const Envelope &env)
{
    const User offered = User::fromJson(objectOf(env));
    const QString token = env.payload.value(QLatin1String("token")).toString();
    const QString stored = m_settings->value(QLatin1String(kTokenKey));
    const QString storedOrigin = m_settings->value(QLatin1String(kTokenServerKey));
    if (!stored.isEmpty() && storedOrigin == tokenOrigin() && stored != token &&
        m_noResumeUrl != m_url) {
        // Ask for the old identity back; until the answer, the offered one is kept aside.
        m_pendingUser = offered;
        m_pendingToken = token;
        m_resumeClientId = newUuid();
        if (sendCall(Call::Resume, {{QStringLiteral("token"), stored}}, m_resumeClientId))
            return;
        m_resumeClientId.clear();
    }
    if (!token.isEmpty()) {
        m_settings->setValue(QLatin1String(kTokenKey), token);
        m_settings->setValue(QLatin1String(kTokenServerKey), tokenOrigin());
    }
    settleIdentity(offered);
    if (!m_wantedRoom.isEmpty())
        enterRoom(m_wantedRoom);
}

void ChatClient::handleResumeAnswer(const Envelope &env)
{
    m_resumeClientId.clear();
    if (env.type == Type::Result) {
        m_resumeSupported = true;
        settleIdentity(User::fromJson(objectOf(env)));
        // The server re-enters the user's last room by itself; enter ours if it does not.
        if (!m_wantedRoom.isEmpty())
            m_resumeEnterTimer.start();
        return;
    }
    // bad_token (a new database) or unknown_call (a server without resume): quietly take the
    // identity this connection offered.
    qCInfo(lcClient) << "resume refused (" << env.message << "): continuing with a new identity";
    if (!m_pendingToken.isEmpty()) {
        m_settings->setValue(QLatin1String(kTokenKey), m_pendingToken);
        m_settings->setValue(QLatin1String(kTokenServerKey), tokenOrigin());
    }
    settleIdentity(m_pendingUser);
    m_pendingToken.clear();
    if (!m_wantedRoom.isEmpty())
        enterRoom(m_wantedRoom);
}

void ChatClient::settleIdentity(const User &user)
{
    m_user = user;
    m_user.roomUuid.clear(); // a fresh link is in no room until room_entered
    m_ready = true;
    m_backoff.reset();
    emit userChanged(m_user);
    emit ready();
}

void ChatClient::dropOutboxFor(const QString &roomUuid, const QString &reason)
{
    for (const OutboxEntry &e : m_outbox->entriesForRoom(roomUuid))
        m_outbox->fail(e.clientId, reason, tr("the room no longer exists"));
}

void ChatClient::saveOutbox()
{
    if (m_outbox->isEmpty()) {
        m_settings->remove(QLatin1String(kOutboxKey));
        m_settings->remove(QLatin1String(kOutboxServerKey));
        return;
    }
    QJsonArray entries = m_outbox->toJson();
    while (entries.size() > kOutboxKeep)
        entries.removeFirst();
    m_settings->setValue(QLatin1String(kOutboxKey),
                         QString::fromUtf8(QJsonDocument(entries).toJson(QJsonDocument::Compact)));
    m_settings->setValue(QLatin1String(kOutboxServerKey), tokenOrigin());
}

void ChatClient::loadOutbox()
{
    if (!m_outbox->isEmpty() || m_settings->value(QLatin1String(kOutboxServerKey)) != tokenOrigin())
        return;
    const QString saved = m_settings->value(QLatin1String(kOutboxKey));
    if (saved.isEmpty())
        return;
    m_outbox->restore(QJsonDocument::fromJson(saved.toUtf8()).array());
}

void ChatClient::flushOutbox()
{
    if (!m_ready || !m_socket || m_state != State::Connected || m_currentRoom.isEmpty())
        return;
    // Copy: markSent emits signals whose slots may touch the outbox.
    const QList<OutboxEntry> entries = m_outbox->entries();
    for (const OutboxEntry &e : entries) {
        if (e.roomUuid != m_currentRoom || e.state != DeliveryState::Pending)
            continue;
        if (!sendCall(Call::CreateMessage, {{QStringLiteral("body"), e.body}}, e.clientId))
            return;
        m_outbox->markSent(e.clientId);
    }
}

bool ChatClient::sendCall(Call call, const QJsonObject &fields, const QString &clientId)
{
    if (!m_socket || m_state != State::Connected)
        return false;
    QJsonObject payload = fields;
    if (!clientId.isEmpty())
        payload.insert(QStringLiteral("client_id"), clientId);
    const QString text = QString::fromUtf8(encodeCall(call, payload));
    m_socket->sendTextMessage(text);
    emit statementLogged(Direction::Sent, typeName(Type::Call), name(call), forLog(text),
                         QDateTime::currentDateTimeUtc());
    return true;
}

bool ChatClient::createRoom(const QString &name, const QString &color)
{
    QJsonObject f;
    if (!name.isEmpty())
        f.insert(QStringLiteral("name"), name);
    if (!color.isEmpty())
        f.insert(QStringLiteral("color"), color);
    return sendCall(Call::CreateRoom, f);
}

bool ChatClient::enterRoom(const QString &uuid)
{
    if (!sendCall(Call::EnterRoom, {{QStringLiteral("uuid"), uuid}}))
        return false;
    m_enteringRoom = uuid;
    return true;
}

bool ChatClient::leaveRoom()
{
    return sendCall(Call::LeaveRoom);
}

bool ChatClient::deleteRoom(const QString &uuid)
{
    return sendCall(Call::DeleteRoom, {{QStringLiteral("uuid"), uuid}});
}

bool ChatClient::listRooms()
{
    return sendCall(Call::ListRooms);
}

bool ChatClient::changeRoomColor(const QString &uuid, const QString &color)
{
    return sendCall(Call::ChangeColor,
                    {{QStringLiteral("uuid"), uuid}, {QStringLiteral("color"), color}});
}

bool ChatClient::changeRoomName(const QString &uuid, const QString &name)
{
    return sendCall(Call::ChangeName,
                    {{QStringLiteral("uuid"), uuid}, {QStringLiteral("name"), name}});
}

bool ChatClient::changeUserName(const QString &name)
{
    return sendCall(Call::ChangeUserName, {{QStringLiteral("name"), name}});
}

QString ChatClient::sendMessage(const QString &body)
{
    if (body.trimmed().isEmpty())
        return {};
    const QString room = !m_currentRoom.isEmpty() ? m_currentRoom : m_wantedRoom;
    if (room.isEmpty())
        return {};
    const QString clientId = m_outbox->enqueue(room, body);
    flushOutbox();
    return clientId;
}

bool ChatClient::listMessages(const QString &before, int limit)
{
    QJsonObject f;
    if (!before.isEmpty())
        f.insert(QStringLiteral("before"), before);
    if (limit > 0)
        f.insert(QStringLiteral("limit"), limit);
    return sendCall(Call::ListMessages, f);
}

bool ChatClient::changeDrawLine(const Line &line, bool append)
{
    QJsonArray points;
    for (double p : line.points)
        points.append(p);
    QJsonObject f{{QStringLiteral("uuid"), line.uuid},
                  {QStringLiteral("points"), points},
                  {QStringLiteral("color"), line.color},
                  {QStringLiteral("tool"), line.tool}};
    if (line.width > 0)
        f.insert(QStringLiteral("width"), line.width);
    if (append)
        f.insert(QStringLiteral("append"), true);
    return sendCall(Call::ChangeDrawLine, f);
}

bool ChatClient::getDrawing()
{
    return sendCall(Call::GetDrawing);
}

bool ChatClient::resetDrawing()
{
    return sendCall(Call::ResetDrawing);
}

bool ChatClient::sendTyping()
{
    // One notice per interval is enough (others show it for 4 s); keystrokes are not calls.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (m_lastTyping.isValid() && m_lastTyping.msecsTo(now) < kTypingIntervalMs &&
        m_lastTypingRoom == m_currentRoom)
        return true;
    if (!sendCall(Call::Typing))
        return false;
    m_lastTyping = now;
    m_lastTypingRoom = m_currentRoom;
    return true;
}

bool ChatClient::removeDrawLine(const QString &uuid)
{
    return sendCall(Call::RemoveDrawLine, {{QStringLiteral("uuid"), uuid}});
}

QCoro::Task<std::optional<Envelope>> ChatClient::request(Call call, QJsonObject fields,
                                                         Result expected,
                                                         std::chrono::milliseconds timeout)
{
    QPointer<ChatClient> self = this;
    QPointer<Waiter> waiter = new Waiter;
    waiter->clientId = newUuid();
    waiter->callName = name(call);
    waiter->expected = name(expected);
    m_waiters.append(waiter);
    if (!sendCall(call, fields, waiter->clientId)) {
        m_waiters.removeAll(waiter);
        delete waiter.data();
        co_return std::nullopt;
    }
    if (!waiter->finished)
        co_await qCoro(waiter.data(), &Waiter::done, timeout);
    // `this` may be gone by now: only the guarded pointers are used below.
    std::optional<Envelope> result;
    if (waiter) {
        result = waiter->result;
        if (self)
            self->m_waiters.removeAll(waiter);
        waiter->deleteLater();
    }
    co_return result;
}

void ChatClient::resolveWaiters(const Envelope &env)
{
    if (m_waiters.isEmpty())
        return;
    const QString clientId = env.payload.value(QLatin1String("client_id")).toString();
    const bool isError = env.type == Type::Error;
    const QString call = env.payload.value(QLatin1String("call")).toString();
    for (const QPointer<Waiter> &w : std::as_const(m_waiters)) {
        if (!w || w->finished)
            continue;
        bool match = false;
        if (!clientId.isEmpty()) {
            match = clientId == w->clientId && (isError || env.message == w->expected);
        } else if (isError) {
            // No echo (the original server): an error about this call, or about no call at all.
            match = call == w->callName || (call.isEmpty() && !m_echoSeen);
        } else {
            // A broadcast that answers the call (room_created), or a server without echo.
            match = env.message == w->expected;
        }
        if (match) {
            w->finish(env);
            return; // one answer resolves one request, oldest first
        }
    }
}

void ChatClient::failAllWaiters()
{
    const auto waiters = m_waiters;
    for (const QPointer<Waiter> &w : waiters) {
        if (w)
            w->finish(std::nullopt);
    }
}

} // namespace chalk::client

#include "chat_client.moc"
