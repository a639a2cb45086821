// Broadcaster (broadcaster.h): frames encoded once, answers, fan-out.
#include "broadcaster.h"

#include "session.h"

namespace chalk::server {

using namespace chalk::protocol;

WireFrame Broadcaster::frame(Result result, QJsonObject fields)
{
    return WireFrame(encodeResult(result, fields));
}

void Broadcaster::reply(Session *s, Result result, QJsonObject fields, const QString &clientId)
{
    if (!clientId.isEmpty())
        fields.insert(QStringLiteral("client_id"), clientId);
    s->sendDirect(frame(result, std::move(fields)));
}

void Broadcaster::replyError(Session *s, Error error, const QString &detail, Call call,
                             const QString &clientId, const QString &field)
{
    const CallError e{error, detail, field, QString(name(call)), clientId};
    s->sendDirect(WireFrame(e.encode()));
}

void Broadcaster::sendError(Session *s, Error error, const QString &detail)
{
    s->send(WireFrame(CallError{error, detail, {}, {}, {}}.encode()));
}

void Broadcaster::fanOut(const QList<Session *> &recipients, Result result,
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

QList<Session *> Broadcaster::everyone() const
{
    QList<Session *> out;
    out.reserve(m_connections.size());
    for (Session *s : m_connections) {
        if (s->isAuthenticated() && !s->isClosed())
            out.append(s);
    }
    return out;
}

} // namespace chalk::server
