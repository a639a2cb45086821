// ConnectionPolicy (connection_policy.h): rate limits, the inbox bound, abuse refusals, heartbeat.
#include "connection_policy.h"

#include "broadcaster.h"
#include "logging.h"
#include "session.h"
#include "tokens.h"

#include <QWebSocket>

namespace chalk::server {

using namespace chalk::protocol;

namespace {
// Statements a peer may queue while one of its calls awaits storage; more is refused.
constexpr qsizetype kInboxMax = 256;
} // namespace

ConnectionPolicy::ConnectionPolicy(const ServerOptions &options,
                                   std::function<QList<Session *>()> sessions, RateLimitedLog &log,
                                   QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_log(log)
    , m_sessions(std::move(sessions))
{
    if (!m_options.password.isEmpty())
        m_passwordHash = hashToken(m_options.password);
    m_heartbeat.setInterval(m_options.heartbeatIntervalMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &ConnectionPolicy::pingAll);
    m_pongDeadline.setSingleShot(true);
    // The answer must come before the next ping goes out.
    m_pongDeadline.setInterval(
        std::clamp(m_options.heartbeatTimeoutMs, 1, std::max(1, m_options.heartbeatIntervalMs)));
    connect(&m_pongDeadline, &QTimer::timeout, this, &ConnectionPolicy::dropSilentPeers);
    m_clock.start();
}

void ConnectionPolicy::configure(Session *s) const
{
    // A larger frame or message fails in the FrameReader as soon as its header is read, and
    // the connection is closed with 1009 (too big) before its payload is buffered.
    s->reader().setMaxMessageBytes(m_options.limits.statementBytes);
    s->setCloseGraceMs(m_options.closeGraceMs);
    s->setAllowance(PeerAllowance(TokenBucket(m_options.messageRate, m_options.messageBurst),
                                  TokenBucket(m_options.callRate, m_options.callBurst),
                                  TokenBucket(m_options.frameRate, m_options.frameBurst),
                                  TokenBucket(m_options.pingRate, m_options.pingBurst)));
}

qint64 ConnectionPolicy::nowMs() const
{
    // ServerOptions::clockMs: tests hold the clock so a bucket refills only when they say.
    return m_options.clockMs ? m_options.clockMs() : m_clock.elapsed();
}

bool ConnectionPolicy::admitFrame(Session *s, const IncomingFrame &frame)
{
    const qint64 now = nowMs();
    QString over;
    if (!s->allowance().takeFrame(now)) {
        over = QStringLiteral("frame rate limit: more than %1 frames per second (burst %2)")
                   .arg(m_options.frameRate)
                   .arg(m_options.frameBurst);
    } else if (frame.kind == IncomingFrame::Kind::Ping && !s->allowance().takePing(now)) {
        over = QStringLiteral("ping rate limit: more than %1 pings per second (burst %2)")
                   .arg(m_options.pingRate)
                   .arg(m_options.pingBurst);
    }
    if (over.isEmpty())
        return true;
    // Not an answer in turn like rate_limited: frames below the statement level have no
    // answer, and a peer that floods them is not a client that reads answers.
    m_log.warn(QStringLiteral("frame budget"),
               QStringLiteral("closing %1: %2").arg(s->socket()->peerAddress().toString(), over));
    s->close(QWebSocketProtocol::CloseCodePolicyViolated, over);
    return false;
}

// Edits and deletes change what the room reads as a new message does: one budget for all.
static bool countsAsMessage(protocol::Call call)
{
    return call == Call::CreateMessage || call == Call::EditMessage || call == Call::DeleteMessage;
}

bool ConnectionPolicy::admit(Session *s, Decoded &decoded)
{
    const qint64 now = nowMs();
    const auto *req = std::get_if<CallRequest>(&decoded);
    QString limited;
    if (!s->allowance().takeCall(now)) {
        limited = QStringLiteral("call rate limit: more than %1 calls per second (burst %2)")
                      .arg(m_options.callRate)
                      .arg(m_options.callBurst);
    } else if (req && countsAsMessage(req->call) && !s->allowance().takeMessage(now)) {
        limited = QStringLiteral("message rate limit: more than %1 create_message, edit_message "
                                 "or delete_message per second (burst %2)")
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
            return false;
    }
    if (s->waitingCalls() >= kInboxMax) {
        Broadcaster::sendError(s, Error::RateLimited,
                               QStringLiteral("too many calls waiting; wait for the answers"));
        noteRefusal(s, now);
        return false;
    }
    return true;
}

bool ConnectionPolicy::noteRefusal(Session *s, qint64 nowMs)
{
    if (m_options.abuseRefusals <= 0)
        return false;
    const int refusals = s->allowance().noteRefusal(nowMs, m_options.abuseWindowMs);
    if (refusals < m_options.abuseRefusals)
        return false;
    qCWarning(lcServer) << "closing" << s->socket()->peerAddress().toString() << "user"
                        << s->user().uuid << ":" << refusals << "calls refused for the rate limit";
    s->close(QWebSocketProtocol::CloseCodePolicyViolated,
             QStringLiteral("rate limit exceeded again and again"));
    return true;
}

bool ConnectionPolicy::passwordMatches(const QString &password) const
{
    return constantTimeEquals(hashToken(password), m_passwordHash);
}

void ConnectionPolicy::startHeartbeat()
{
    if (m_options.heartbeatIntervalMs > 0)
        m_heartbeat.start();
}

void ConnectionPolicy::stop()
{
    m_heartbeat.stop();
    m_pongDeadline.stop();
}

void ConnectionPolicy::pingAll()
{
    for (Session *s : m_sessions()) {
        if (!s->isClosed())
            s->ping();
    }
    m_pongDeadline.start();
}

void ConnectionPolicy::dropSilentPeers()
{
    const QList<Session *> sessions = m_sessions();
    for (Session *s : sessions) {
        if (!s->isAwaitingPong() || s->isClosed())
            continue;
        qCInfo(lcServer) << "dropping" << s->user().uuid << ": no answer to the heartbeat";
        s->markClosed();
        s->socket()->abort(); // a dead peer would not answer a close handshake either
        emit silent(s);
    }
}

} // namespace chalk::server
