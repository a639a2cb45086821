// What a connection is allowed: the size of its statements, its call rates and waiting calls
// (refused with rate_limited; a peer refused again and again is closed), the heartbeat that
// drops a silent peer, and the server password. Not for serving calls (CallHandlers) nor for
// accepting sockets (ServerCore).
#pragma once

#include "frame_reader.h"
#include "protocol/codec.h"
#include "rate_limited_log.h"
#include "server_options.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <functional>

namespace chalk::server {

class Session;

class ConnectionPolicy : public QObject {
    Q_OBJECT
public:
    // `sessions`: the connections the heartbeat pings.
    ConnectionPolicy(const ServerOptions &options, std::function<QList<Session *>()> sessions,
                     RateLimitedLog &log, QObject *parent = nullptr);

    // A new connection: its statement size limits, rate buckets and close grace.
    void configure(Session *s) const;
    // Applies the rate limits to a statement just decoded (over a limit it becomes the
    // rate_limited answer, served in turn) and bounds the calls waiting. False: drop it (the
    // inbox is full, or the session was closed for abuse).
    bool admit(Session *s, protocol::Decoded &decoded);
    // Counts one WebSocket frame against the connection's frame budget (and a ping against the
    // ping budget). False: over budget, the session was closed with 1008; ignore the frame.
    bool admitFrame(Session *s, const IncomingFrame &frame);

    bool asksPassword() const { return !m_passwordHash.isEmpty(); }
    bool passwordMatches(const QString &password) const;

    void startHeartbeat();
    void stop();

signals:
    // No pong in time: the session is closed and its socket aborted; drop it.
    void silent(Session *s);

private:
    // Counts a rate_limited refusal; true when the session was closed for abuse.
    bool noteRefusal(Session *s, qint64 nowMs);
    qint64 nowMs() const;
    void pingAll();
    void dropSilentPeers();

    const ServerOptions &m_options;
    RateLimitedLog &m_log;
    std::function<QList<Session *>()> m_sessions;
    QByteArray m_passwordHash;
    QTimer m_heartbeat;
    QTimer m_pongDeadline;
    QElapsedTimer m_clock; // monotonic, for the rate limits
};

} // namespace chalk::server
