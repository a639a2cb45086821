#include "connection.h"

#include "protocol/drawing_json.h"

#include <QFutureWatcher>
#include <QLoggingCategory>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cmath>

Q_DECLARE_LOGGING_CATEGORY(lcClient)

namespace chalk::client {

using namespace protocol;

namespace {
constexpr qsizetype kDecodeOnWorker = 64 * 1024; // characters
} // namespace

QString serverOrigin(const QUrl &url)
{
    return url.scheme() + QLatin1String("://") + url.host();
}

QString hostText(const QUrl &url)
{
    return url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
}

Connection::Connection(ClientOptions options, QObject *parent)
    : QObject(parent)
    , m_clock(options.clock ? options.clock : qtClientClock())
{
    m_reconnectTimer = m_clock->createTimer(true, [this] {
        m_countdownTimer->stop();
        setState(State::Reconnecting, tr("Reconnecting to %1…").arg(hostText(m_url)));
        openSocket();
    });
    m_heartbeatTimer = m_clock->createTimer(false, [this] { heartbeat(); });
    m_deadlineTimer = m_clock->createTimer(true, [this] {
        qCInfo(lcClient) << "no answer to a heartbeat: the link is dead";
        m_lastError = tr("the server stopped answering");
        onSocketLost(m_socket);
    });
    m_connectTimer = m_clock->createTimer(true, [this] {
        m_lastError = tr("the handshake timed out");
        onSocketLost(m_socket);
    });
    m_countdownTimer = m_clock->createTimer(false, [this] { showCountdown(); });
    m_countdownTimer->setInterval(std::chrono::seconds(1));
    setOptions(options);
}

Connection::~Connection()
{
    m_wanted = false;
    if (QWebSocket *s = m_socket) {
        disconnect(s, nullptr, this, nullptr);
        s->abort();
        delete s;
    }
}

void Connection::setOptions(const ClientOptions &options)
{
    m_options = options;
    m_backoff = Backoff(options.backoffMin, options.backoffMax);
    m_heartbeatTimer->setInterval(options.heartbeatInterval);
    m_deadlineTimer->setInterval(options.heartbeatTimeout);
    m_connectTimer->setInterval(options.connectTimeout);
}

#ifndef QT_NO_SSL
void Connection::setSslConfiguration(const QSslConfiguration &config)
{
    m_sslConfig = config;
    m_sslConfigSet = true;
}

void Connection::trustCertificate(const QSslCertificate &certificate)
{
    if (!m_sslConfigSet)
        m_sslConfig = QSslConfiguration::defaultConfiguration();
    m_sslConfig.addCaCertificate(certificate);
    m_sslConfigSet = true;
}
#endif

void Connection::setState(State state, const QString &text)
{
    if (state == m_state && text == m_stateText)
        return;
    m_state = state;
    m_stateText = text;
    emit stateChanged(state, text);
}

bool Connection::isServerUrl(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return url.isValid() && (scheme == QLatin1String("ws") || scheme == QLatin1String("wss"));
}

bool Connection::open(const QUrl &url)
{
    if (!isServerUrl(url)) {
        close();
        setState(State::Disconnected,
                 tr("Not a server address (ws://host:port or wss://host:port): %1")
                     .arg(url.toDisplayString()));
        return false;
    }
    dropSocket();
    m_reconnectTimer->stop();
    m_countdownTimer->stop();
    m_url = url;
    m_wanted = true;
    m_backoff.reset();
    m_reached = false;
    m_lastError.clear();
    setState(State::Connecting, tr("Connecting to %1…").arg(hostText(url)));
    openSocket();
    return true;
}

void Connection::reconnectNow()
{
    if (!m_wanted || !m_reconnectTimer->isActive())
        return;
    m_reconnectTimer->stop();
    m_countdownTimer->stop();
    setState(State::Reconnecting, tr("Reconnecting to %1…").arg(hostText(m_url)));
    openSocket();
}

bool Connection::isWaitingToReconnect() const
{
    return m_reconnectTimer->isActive();
}

void Connection::close()
{
    m_wanted = false;
    m_reconnectTimer->stop();
    m_countdownTimer->stop();
    if (QWebSocket *s = m_socket) {
        m_socket = nullptr;
        dropSocket(); // stops the timers
        disconnect(s, nullptr, this, nullptr);
        // A polite close frame; the socket goes once the server answers (or soon anyway).
        connect(s, &QWebSocket::disconnected, s, &QObject::deleteLater);
        QTimer::singleShot(2000, s, &QObject::deleteLater);
        s->close();
    }
    setState(State::Disconnected, tr("Disconnected"));
}

bool Connection::send(const QString &text)
{
    if (!m_socket || m_state != State::Connected)
        return false;
    m_socket->sendTextMessage(text);
    return true;
}

void Connection::markEstablished()
{
    m_established = true;
    m_backoff.reset();
}

void Connection::openSocket()
{
    dropSocket();
    auto *s = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = s;
    m_established = false;
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
            onSocketConnected();
    });
    connect(s, &QWebSocket::disconnected, this, [this, s] { onSocketLost(s); });
    connect(s, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, s](QAbstractSocket::SocketError) {
                if (s != m_socket)
                    return;
                if (m_lastError.isEmpty())
                    m_lastError = s->errorString();
                // A failed handshake may not be followed by disconnected(): treat it here.
                if (s->state() == QAbstractSocket::UnconnectedState)
                    onSocketLost(s);
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
    m_connectTimer->start();
    s->open(m_url);
}

void Connection::dropSocket()
{
    QWebSocket *s = m_socket;
    m_socket = nullptr;
    m_connectTimer->stop();
    m_heartbeatTimer->stop();
    m_deadlineTimer->stop();
    if (!s)
        return;
    disconnect(s, nullptr, this, nullptr);
    s->abort();
    s->deleteLater();
}

void Connection::onSocketConnected()
{
    m_connectTimer->stop();
    m_reached = true;
    m_lastError.clear();
    setState(State::Connected, tr("Connected to %1").arg(hostText(m_url)));
    m_heartbeatTimer->start();
}

void Connection::onSocketLost(QWebSocket *socket)
{
    if (!socket || socket != m_socket)
        return; // an old socket, or handled already
    const bool wasEstablished = m_established;
    // The server's reason for closing (at most 123 bytes by the protocol), e.g. a shutdown.
    m_closeReason = socket->closeReason().simplified().left(123);
    dropSocket();
    emit linkDown();
    if (!m_wanted) {
        setState(State::Disconnected, tr("Disconnected"));
        return;
    }
    if (!m_options.autoReconnect) {
        m_wanted = false;
        setState(State::Disconnected, wasEstablished ? tr("Connection lost") : m_lastError);
        return;
    }
    scheduleReconnect();
}

void Connection::scheduleReconnect()
{
    const auto delay = m_backoff.next();
    const bool wasUp = m_established || m_reached;
    if (wasUp && !m_closeReason.isEmpty())
        m_waitReason = tr("Connection lost (%1)").arg(m_closeReason);
    else if (wasUp)
        m_waitReason = tr("Connection lost");
    else
        m_waitReason =
            tr("Cannot reach %1 (%2)")
                .arg(hostText(m_url), m_lastError.isEmpty() ? tr("no answer") : m_lastError);
    m_reached = false;
    m_established = false;
    m_reconnectTimer->start(delay);
    m_countdownTimer->start();
    showCountdown();
}

void Connection::showCountdown()
{
    if (!m_reconnectTimer->isActive()) {
        m_countdownTimer->stop();
        return;
    }
    // Whole seconds, rounded up: "in 0 s" never shows while the wait is still running. Read
    // from the reconnect timer itself, so text and attempt share the client's clock.
    const qint64 left = m_reconnectTimer->remaining().count();
    const int seconds = int(std::max<qint64>(1, (left + 999) / 1000));
    setState(State::Reconnecting, tr("%1, retrying in %2 s").arg(m_waitReason).arg(seconds));
}

void Connection::heartbeat()
{
    if (!m_socket || m_state != State::Connected)
        return;
    m_socket->ping();
    if (!m_deadlineTimer->isActive())
        m_deadlineTimer->start();
}

void Connection::trafficSeen()
{
    m_deadlineTimer->stop();
}

// Runs on the GUI thread for small frames, on a worker for big ones.
IncomingFrame Connection::decodeFrame(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    // A board's drawing_got can be megabytes: read straight into lines (protocol/drawing_json.h).
    if (utf8.size() > kDecodeOnWorker) {
        if (auto drawing = decodeDrawingGot(utf8))
            return {text, std::move(drawing->envelope), std::move(drawing->drawing)};
    }
    return {text, decodeEnvelope(utf8), std::nullopt};
}

void Connection::onTextMessage(QWebSocket *socket, const QString &text)
{
    trafficSeen();
    if (m_incoming.isEmpty() && text.size() <= kDecodeOnWorker) {
        emit frameReceived(decodeFrame(text));
        return;
    }
    m_incoming.append({socket, text, nullptr});
    pumpIncoming();
}

// Hands on queued frames in order; a big one not yet decoded goes to a worker and the queue
// waits for it.
void Connection::pumpIncoming()
{
    while (!m_incoming.isEmpty() && !m_decoding) {
        Queued &head = m_incoming.first();
        if (!head.socket || head.socket != m_socket) { // a frame of a link that is gone
            m_incoming.removeFirst();
            continue;
        }
        if (!head.decoded && head.text.size() > kDecodeOnWorker) {
            m_decoding = true;
            auto *watcher = new QFutureWatcher<IncomingFrame>(this);
            connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
                watcher->deleteLater();
                m_decoding = false;
                if (!m_incoming.isEmpty())
                    m_incoming.first().decoded = std::make_shared<IncomingFrame>(watcher->result());
                pumpIncoming();
            });
            watcher->setFuture(QtConcurrent::run(&Connection::decodeFrame, head.text));
            return;
        }
        const Queued frame = m_incoming.takeFirst();
        emit frameReceived(frame.decoded ? std::move(*frame.decoded) : decodeFrame(frame.text));
    }
}

} // namespace chalk::client
