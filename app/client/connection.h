// The link to a server and its states (as Quassel's CoreConnection): one QWebSocket at a time,
// the connect timeout, reconnects with backoff, the heartbeat, and incoming frames decoded in
// the order they came (frames over 64 KiB on a worker thread, so a big board does not freeze
// the window). It knows nothing of identities, rooms or the outbox: ChatClient does.
#pragma once

#include "backoff.h"
#include "client_clock.h"
#include "client_options.h"
#include "protocol/codec.h"
#include "protocol/objects.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QWebSocket>
#include <chrono>
#include <memory>
#include <optional>

#ifndef QT_NO_SSL
#include <QSslConfiguration>
#include <QSslError>
#endif

namespace chalk::client {

// One text frame as received, and what it decodes to.
struct IncomingFrame {
    QString text;
    std::optional<protocol::Envelope> envelope; // nullopt: not a statement
    std::optional<protocol::Drawing> drawing;   // a big drawing_got, read straight into lines
};

// Scheme and host: what a resume token and a saved outbox belong to (the embedded server may
// get another free port on the next start).
QString serverOrigin(const QUrl &url);
// "host:port" (or "host") for status texts.
QString hostText(const QUrl &url);

class Connection : public QObject {
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected, Reconnecting };
    Q_ENUM(State)

    explicit Connection(ClientOptions options, QObject *parent = nullptr);
    ~Connection() override;

    // Whether the address is one open() accepts (ws:// or wss://).
    static bool isServerUrl(const QUrl &url);
    // ws:// or wss://: connects, and reconnects by itself until close(). False (and
    // Disconnected with the reason as text) for any other address.
    bool open(const QUrl &url);
    // A polite close; no reconnect.
    void close();
    // While a reconnect is waiting: attempt it now (the wait is cut short, the backoff stays).
    void reconnectNow();
    // True while a reconnect waits for its time (reconnectNow() can cut it short).
    bool isWaitingToReconnect() const;

    State state() const { return m_state; }
    QString stateText() const { return m_stateText; }
    QUrl url() const { return m_url; }
    bool isConnected() const { return m_state == State::Connected && m_socket; }
    QWebSocket *socket() const { return m_socket; }

    // New intervals and limits; the clock stays the one the Connection was made with.
    void setOptions(const ClientOptions &options);
    // The clock of the timers (ClientOptions::clock, or Qt's).
    ClientClock &clock() const { return *m_clock; }
    // The link carries a settled session: the backoff starts over, and losing it now reads
    // "Connection lost" rather than "Cannot reach".
    void markEstablished();
    // Writes one text frame; false when not connected.
    bool send(const QString &text);

#ifndef QT_NO_SSL
    // Applied to every connection attempt (e.g. a self-signed certificate trusted on purpose).
    void setSslConfiguration(const QSslConfiguration &config);
    QSslConfiguration sslConfiguration() const
    {
        return m_sslConfig;
    }
    void trustCertificate(const QSslCertificate &certificate);
#endif

signals:
    void stateChanged(chalk::client::Connection::State state, const QString &text);
    // The socket of this attempt is gone (lost, replaced or closed): nothing in flight is
    // known to have arrived. Emitted before any reconnect is scheduled.
    void linkDown();
    void frameReceived(const chalk::client::IncomingFrame &frame);
#ifndef QT_NO_SSL
    void sslErrors(const QList<QSslError> &errors);
#endif

private:
    void setState(State state, const QString &text);
    void openSocket();
    void dropSocket();
    void onSocketConnected();
    void onSocketLost(QWebSocket *socket);
    void scheduleReconnect();
    void showCountdown(); // the state text with the seconds left of the wait
    void heartbeat();
    void trafficSeen();
    void onTextMessage(QWebSocket *socket, const QString &text);
    void pumpIncoming();
    static IncomingFrame decodeFrame(const QString &text);

    ClientOptions m_options;
    Backoff m_backoff;
    QPointer<QWebSocket> m_socket;
    QUrl m_url;
    State m_state = State::Disconnected;
    QString m_stateText;
    bool m_wanted = false;      // reconnect until close()
    bool m_reached = false;     // this attempt's socket reached Connected
    bool m_established = false; // this attempt's socket carried a settled session
    QString m_lastError;
    QString m_closeReason;
    QString m_waitReason; // "Cannot reach …" / "Connection lost …" of the waiting reconnect
    // Frames that wait for a big one ahead of them to be decoded on the worker, so the order
    // stays.
    struct Queued {
        QPointer<QWebSocket> socket;
        QString text;
        std::shared_ptr<IncomingFrame> decoded; // set once the worker is done
    };
    QList<Queued> m_incoming;
    bool m_decoding = false;
    std::shared_ptr<ClientClock> m_clock;
    std::unique_ptr<ClientTimer> m_reconnectTimer;
    std::unique_ptr<ClientTimer> m_countdownTimer; // "retrying in N s" goes down each second
    std::unique_ptr<ClientTimer> m_heartbeatTimer;
    std::unique_ptr<ClientTimer> m_deadlineTimer;
    std::unique_ptr<ClientTimer> m_connectTimer;
#ifndef QT_NO_SSL
    QSslConfiguration m_sslConfig;
    bool m_sslConfigSet = false;
#endif
};

} // namespace chalk::client
