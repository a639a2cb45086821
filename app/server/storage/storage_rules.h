// Rules both storages apply the same way, so the conformance test can hold them to one
// behaviour: what a stored message looks like, and how `limit` is read.
#pragma once

#include "protocol/limits.h"
#include "protocol/objects.h"

#include <QDateTime>

namespace chalk::server::storage_rules {

// Storage keeps milliseconds since the epoch in UTC; give back exactly that.
inline QDateTime normalizedTime(const QDateTime &t)
{
    return QDateTime::fromMSecsSinceEpoch(
        t.isValid() ? t.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch(), Qt::UTC);
}

// A stored message gets a uuid and a time if it has none; its author is in its room.
inline void normalizeNewMessage(protocol::Message &m)
{
    if (m.uuid.isEmpty())
        m.uuid = protocol::newUuid();
    m.created = normalizedTime(m.created);
    m.user.roomUuid = m.roomUuid;
}

// A reply's quote of the message it answers, as that message is now: its sender's name and
// the start of its body, or nothing but the name once it is deleted.
inline void setQuote(protocol::Message &reply, const QString &sender, const QString &body,
                     bool deleted)
{
    reply.replyToSender = sender;
    reply.replyToDeleted = deleted;
    reply.replyToText =
        deleted ? QString() : protocol::quoteOf(body, protocol::Limits{}.replyQuote);
}

// Pages are at least empty and at most 10 000 rows (callers enforce the protocol's 200).
inline int clampLimit(int limit)
{
    return std::clamp(limit, 0, 10000);
}

} // namespace chalk::server::storage_rules
