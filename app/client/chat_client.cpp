#include "chat_client.h"

#include "settings_store.h"

#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcClient, "chalk.client")

namespace chalk::client {

using namespace protocol;
using namespace std::chrono_literals;

namespace {

// After `resumed` the server re-enters the user's last room by itself; give it this long
// before entering the wanted room ourselves.
constexpr auto kResumeEnterGrace = 3s;

// Secrets never reach the log: tokens and passwords are blanked before a frame is logged.
QString forLog(const QString &text)
{
    // "password" without quotes: change_password's own fields are "old" and "new".
    if (!text.contains(QLatin1String("\"token\"")) && !text.contains(QLatin1String("password")))
        return text; // shared, not copied: drawings can be megabytes
    QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8());
    QJsonObject root = doc.object();
    QJsonObject payload = root.value(QLatin1String("payload")).toObject();
    const bool changePassword =
        payload.value(QLatin1String("message")).toString() == name(Call::ChangePassword);
    for (const char *key : {"token", "password", "old", "new"}) {
        if (!changePassword && (qstrcmp(key, "old") == 0 || qstrcmp(key, "new") == 0))
            continue;
        if (payload.contains(QLatin1String(key)))
            payload.insert(QLatin1String(key), QStringLiteral("<redacted>"));
    }
    root.insert(QStringLiteral("payload"), payload);
    return QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Compact));
}

QString fieldOf(const Envelope &env, const char *key)
{
    return env.payload.value(QLatin1String(key)).toString();
}

} // namespace

ChatClient::ChatClient(QObject *parent)
    : ChatClient(std::make_shared<QSettingsStore>(), ClientOptions{}, parent)
{}

ChatClient::ChatClient(std::shared_ptr<SettingsStore> settings, ClientOptions options,
                       QObject *parent)
    : QObject(parent)
    , m_settings(settings ? std::move(settings) : std::make_shared<QSettingsStore>())
    , m_options(options)
    , m_connection(options)
    , m_session(m_settings,
                [this](Call call, const QJsonObject &fields, const QString &clientId) {
                    return sendCall(call, fields, clientId);
                })
    , m_router([this](Call call, const QJsonObject &fields,
                      const QString &clientId) { return sendCall(call, fields, clientId); },
               [this] { return m_features.supports(Feature::ClientIdEcho); })
    , m_outbox(new Outbox(this))
    , m_outboxStore(m_settings)
{
    m_retryTimer = m_connection.clock().createTimer(true, [this] { flushOutbox(); });
    m_resumeEnterTimer = m_connection.clock().createTimer(true, [this] {
        if (!m_wantedRoom.isEmpty() && m_currentRoom != m_wantedRoom)
            enterRoom(m_wantedRoom);
    });
    m_retryTimer->setInterval(m_options.retryDelay);
    m_paceTimer = m_connection.clock().createTimer(false, [this] {
        m_pacer.refill();
        if (m_pacer.isFull())
            m_paceTimer->stop();
        flushOutbox();
    });
    m_pacer = OutboxPacer(m_options.outboxPace);
    m_paceTimer->setInterval(m_options.outboxPace.tick);
    m_resumeEnterTimer->setInterval(kResumeEnterGrace);
    m_reads = std::make_unique<ReadTracker>(
        m_connection.clock(),
        [this](const QString &room, const QString &message) { return markRead(room, message); });
    m_reads->setDelay(m_options.markReadDelay);
    connect(m_outbox, &Outbox::entryAdded, this, &ChatClient::saveOutbox);
    connect(m_outbox, &Outbox::entryReplaced, this, &ChatClient::saveOutbox);
    connect(m_outbox, &Outbox::entryAcknowledged, this, &ChatClient::saveOutbox);
    connect(m_outbox, &Outbox::entryFailed, this, &ChatClient::saveOutbox);

    connect(&m_connection, &Connection::stateChanged, this, &ChatClient::stateChanged);
    connect(&m_connection, &Connection::frameReceived, this, &ChatClient::onFrame);
    connect(&m_connection, &Connection::linkDown, this, [this] {
        m_session.linkLost();
        resetSession();
    });
#ifndef QT_NO_SSL
    connect(&m_connection, &Connection::sslErrors, this, &ChatClient::sslErrors);
#endif
    connect(&m_session, &SessionAuth::settled, this, &ChatClient::onSettled);
    connect(&m_session, &SessionAuth::passwordRequired, this, &ChatClient::passwordRequired);
    connect(&m_session, &SessionAuth::accountRequired, this, &ChatClient::accountRequired);
}

ChatClient::~ChatClient()
{
    m_router.failAll();
    // The connection is a member: no signal of it may reach a half-destroyed client.
    disconnect(&m_connection, nullptr, this, nullptr);
}

void ChatClient::setOptions(const ClientOptions &options)
{
    m_options = options;
    m_connection.setOptions(options);
    m_retryTimer->setInterval(options.retryDelay);
    m_pacer.setPace(options.outboxPace);
    m_paceTimer->setInterval(options.outboxPace.tick);
    m_reads->setDelay(options.markReadDelay);
}

#ifndef QT_NO_SSL
void ChatClient::setSslConfiguration(const QSslConfiguration &config)
{
    m_connection.setSslConfiguration(config);
}

void ChatClient::trustCertificate(const QSslCertificate &certificate)
{
    m_connection.trustCertificate(certificate);
}
#endif

void ChatClient::connectToServer(const QUrl &url)
{
    resetSession();
    if (!Connection::isServerUrl(url)) {
        m_connection.open(url); // refuses it and says why in the state text
        return;
    }
    if (url.adjusted(QUrl::RemovePath) != m_connection.url().adjusted(QUrl::RemovePath)) {
        // Another server: its rooms are not ours, and nothing queued can go there.
        m_wantedRoom.clear();
        const QList<OutboxEntry> entries = m_outbox->entries();
        for (const OutboxEntry &e : entries)
            m_outbox->fail(e.clientId, QStringLiteral("server_changed"),
                           tr("the connection moved to another server"));
    }
    m_session.setServer(url);
    m_outboxStore.load(*m_outbox, serverOrigin(url));
    m_connection.open(url);
}

void ChatClient::disconnectFromServer()
{
    resetSession();
    m_connection.close();
}

void ChatClient::reconnectNow()
{
    m_connection.reconnectNow();
}

void ChatClient::resetSession()
{
    m_session.reset();
    m_features.reset();
    m_enteringRoom.clear();
    m_lastTyping = {};
    m_currentRoom.clear();
    m_resumeEnterTimer->stop();
    m_retryTimer->stop();
    m_paceTimer->stop();
    m_pacer.fill(); // the next link's buckets on the server start full
    m_reads->reset();
    m_presence.clear(); // stale once the link is gone; the next link's snapshot says it again
    m_roomPages.clear();
    // Nothing in flight is known to have arrived: resend after the next resume.
    m_outbox->markAllPending();
    m_router.failAll();
}

void ChatClient::onFrame(const IncomingFrame &frame)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!frame.envelope) {
        emit statementLogged(Direction::Received, QStringLiteral("?"),
                             QStringLiteral("(not a statement)"), frame.text.left(4096), now);
        qCWarning(lcClient) << "ignoring a frame that is not a statement";
        return;
    }
    const Envelope &env = *frame.envelope;
    emit statementLogged(Direction::Received, typeName(env.type), env.message, forLog(frame.text),
                         now);
    const QString clientId = fieldOf(env, "client_id");
    if (!clientId.isEmpty())
        m_features.learnClientIdEchoed();
    if (env.type == Type::Error) {
        handleError(env);
    } else if (env.type == Type::Result) {
        // A big drawing_got was read straight into lines on the worker: no second decode.
        std::optional<AnyAnswer> answer;
        if (frame.drawing)
            answer = makeAnswer<Result::DrawingGot>(
                DrawingPayload{*frame.drawing, DrawingPayload::clearedByIn(env.payload)}, clientId);
        else
            answer = decodeAnswer(env); // payloadObject() reads older shapes too
        if (!answer) {
            qCInfo(lcClient) << "ignoring unknown result" << env.message.left(64);
            emit envelopeReceived(env);
            return;
        }
        std::visit([this](auto &&a) { on(std::move(a)); }, std::move(*answer));
    } else {
        return; // a call from the server: not in this protocol
    }
    m_router.resolve(env);
    emit envelopeReceived(env);
}

void ChatClient::handleError(const Envelope &env)
{
    // The names, for every error (one this client does not know by name still answers its
    // call); the typed CallError for the ones it knows.
    const QString clientId = fieldOf(env, "client_id");
    const QString detail = fieldOf(env, "detail");
    const QString call = fieldOf(env, "call");
    const std::optional<CallError> typed = decodeError(env);
    const auto is = [&typed](Error e) { return typed && typed->error == e; };
    if (m_session.onError(env.message, call, clientId)) {
        // The resume was refused: the session took the identity this link offered.
    } else if (call == name(Call::EnterRoom) && m_currentRoom.isEmpty() &&
               !m_wantedRoom.isEmpty() && is(Error::NoSpecifiedRoom)) {
        // The room we were in is gone (deleted while away, or a new database).
        const QString gone = m_wantedRoom;
        m_wantedRoom.clear();
        dropOutboxFor(gone, env.message);
    } else if (call == name(Call::ListRooms) && is(Error::NoSpecifiedRoom)) {
        // The room the next page was to start after is gone: list again from the first.
        m_roomPages.clear();
        listRooms();
    } else if (!clientId.isEmpty() && m_outbox->entry(clientId)) {
        if (is(Error::RateLimited) || is(Error::StorageFailed)) {
            // Not stored: try again a little later on this link (same client_id).
            m_outbox->markAllPending();
            m_pacer.drain();
            m_retryTimer->start();
        } else {
            m_outbox->fail(clientId, env.message, detail);
        }
    }
    emit errorReceived(env.message, detail, call);
    if (typed)
        emit callErrorReceived(*typed);
    else
        qCInfo(lcClient) << "an error this client does not know:" << env.message.left(64);
}

void ChatClient::onSettled(const User &user, bool resumed)
{
    m_user = user;
    m_user.roomUuid.clear(); // a fresh link is in no room until room_entered
    m_connection.markEstablished();
    emit userChanged(m_user);
    emit ready();
    if (m_wantedRoom.isEmpty())
        return;
    if (resumed)
        m_resumeEnterTimer->start(); // the server re-enters the last room; ours if it does not
    else
        enterRoom(m_wantedRoom);
}

void ChatClient::dropOutboxFor(const QString &roomUuid, const QString &reason)
{
    for (const OutboxEntry &e : m_outbox->entriesForRoom(roomUuid))
        m_outbox->fail(e.clientId, reason, tr("the room no longer exists"));
}

QString ChatClient::roomToSendTo() const
{
    return !m_currentRoom.isEmpty() ? m_currentRoom : m_wantedRoom;
}

void ChatClient::saveOutbox()
{
    m_outboxStore.save(*m_outbox, serverOrigin(m_connection.url()));
}

void ChatClient::flushOutbox()
{
    if (!isReady() || !isConnected() || m_currentRoom.isEmpty())
        return;
    // Copy: markSent emits signals whose slots may touch the outbox.
    const QList<OutboxEntry> entries = m_outbox->entries();
    for (const OutboxEntry &e : entries) {
        if (e.roomUuid != m_currentRoom || e.state != DeliveryState::Pending)
            continue;
        if (!m_pacer.take(e.kind == OutboxKind::Message)) {
            if (!m_paceTimer->isActive())
                m_paceTimer->start();
            return; // the rest in order, as the pacer refills
        }
        bool sent = false;
        switch (e.kind) {
        case OutboxKind::Message:
            sent = send<Call::CreateMessage>(
                {e.body, e.replyTo.isEmpty() ? std::nullopt : std::optional(e.replyTo)},
                e.clientId);
            break;
        case OutboxKind::Line: // always whole: an append could land on nothing after a drop
            sent = send<Call::ChangeDrawLine>(
                {e.line.uuid, e.line.points, e.line.color, e.line.tool,
                 e.line.width > 0 ? std::optional(e.line.width) : std::nullopt, false},
                e.clientId);
            break;
        case OutboxKind::LineRemoval:
            sent = send<Call::RemoveDrawLine>({e.line.uuid}, e.clientId);
            break;
        }
        if (!sent)
            return;
        m_outbox->markSent(e.clientId);
    }
}

bool ChatClient::sendCall(Call call, const QJsonObject &fields, const QString &clientId)
{
    if (!isConnected())
        return false;
    QJsonObject payload = fields;
    if (!clientId.isEmpty())
        payload.insert(QStringLiteral("client_id"), clientId);
    const QString text = QString::fromUtf8(encodeCall(call, payload));
    if (!m_connection.send(text))
        return false;
    emit statementLogged(Direction::Sent, typeName(Type::Call), name(call), forLog(text),
                         QDateTime::currentDateTimeUtc());
    return true;
}

QCoro::Task<std::optional<Envelope>> ChatClient::request(Call call, QJsonObject fields,
                                                         Result expected,
                                                         std::chrono::milliseconds timeout)
{
    return m_router.request(call, std::move(fields), expected, timeout);
}

} // namespace chalk::client
