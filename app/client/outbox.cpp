#include "outbox.h"

namespace chalk::client {

Outbox::Outbox(QObject *parent)
    : QObject(parent)
{}

QString Outbox::enqueue(const QString &roomUuid, const QString &body)
{
    OutboxEntry e;
    e.clientId = protocol::newUuid();
    e.body = body.trimmed(); // the server stores it trimmed; the fallback ack compares bodies
    e.roomUuid = roomUuid;
    e.queued = QDateTime::currentDateTimeUtc();
    m_entries.append(e);
    emit entryAdded(e);
    return e.clientId;
}

QList<OutboxEntry> Outbox::entriesForRoom(const QString &roomUuid) const
{
    QList<OutboxEntry> out;
    for (const OutboxEntry &e : m_entries) {
        if (e.roomUuid == roomUuid)
            out.append(e);
    }
    return out;
}

std::optional<OutboxEntry> Outbox::entry(const QString &clientId) const
{
    for (const OutboxEntry &e : m_entries) {
        if (e.clientId == clientId)
            return e;
    }
    return std::nullopt;
}

void Outbox::markSent(const QString &clientId)
{
    for (OutboxEntry &e : m_entries) {
        if (e.clientId == clientId) {
            ++e.attempts;
            if (e.state != DeliveryState::Sent) {
                e.state = DeliveryState::Sent;
                emit entryStateChanged(e);
            }
            return;
        }
    }
}

void Outbox::markAllPending()
{
    for (OutboxEntry &e : m_entries) {
        if (e.state != DeliveryState::Pending) {
            e.state = DeliveryState::Pending;
            emit entryStateChanged(e);
        }
    }
}

std::optional<OutboxEntry> Outbox::acknowledge(const protocol::Message &message,
                                               const QString &ownUserUuid)
{
    qsizetype found = -1;
    if (!message.clientId.isEmpty()) {
        for (qsizetype i = 0; i < m_entries.size(); ++i) {
            if (m_entries[i].clientId == message.clientId) {
                found = i;
                break;
            }
        }
    } else if (!ownUserUuid.isEmpty() && message.user.uuid == ownUserUuid) {
        // A server without client_id echo (the original): the oldest entry already written,
        // in that room, with that body. Bodies are compared trimmed, as stored.
        const QString body = message.body.trimmed();
        for (qsizetype i = 0; i < m_entries.size(); ++i) {
            const OutboxEntry &e = m_entries[i];
            if (e.attempts > 0 && e.body == body &&
                (message.roomUuid.isEmpty() || e.roomUuid == message.roomUuid)) {
                found = i;
                break;
            }
        }
    }
    if (found < 0)
        return std::nullopt;
    OutboxEntry e = m_entries.takeAt(found);
    e.state = DeliveryState::Stored;
    emit entryAcknowledged(e, message);
    return e;
}

QVariantList Outbox::toVariantList() const
{
    QVariantList out;
    out.reserve(m_entries.size());
    for (const OutboxEntry &e : m_entries) {
        out.append(QVariantMap{{QStringLiteral("client_id"), e.clientId},
                               {QStringLiteral("body"), e.body},
                               {QStringLiteral("room_uuid"), e.roomUuid},
                               {QStringLiteral("queued"), e.queued},
                               {QStringLiteral("attempts"), e.attempts}});
    }
    return out;
}

void Outbox::restore(const QVariantList &saved)
{
    for (const QVariant &v : saved) {
        const QVariantMap o = v.toMap();
        OutboxEntry e;
        e.clientId = o.value(QStringLiteral("client_id")).toString();
        e.body = o.value(QStringLiteral("body")).toString().trimmed();
        e.roomUuid = protocol::normalizeUuid(o.value(QStringLiteral("room_uuid")).toString());
        const QVariant queued = o.value(QStringLiteral("queued"));
        e.queued = queued.typeId() == QMetaType::QDateTime
                       ? queued.toDateTime()
                       : protocol::parseIsoTime(queued.toString());
        e.attempts = std::max(0, o.value(QStringLiteral("attempts")).toInt());
        // The file is ours, but it may be old or edited: take only what can be sent.
        if (e.clientId.isEmpty() || e.clientId.size() > 64 || e.body.isEmpty() ||
            e.roomUuid.isEmpty() || entry(e.clientId))
            continue;
        if (!e.queued.isValid())
            e.queued = QDateTime::currentDateTimeUtc();
        m_entries.append(e);
        emit entryAdded(e);
    }
}

std::optional<OutboxEntry> Outbox::fail(const QString &clientId, const QString &error,
                                        const QString &detail)
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].clientId == clientId) {
            OutboxEntry e = m_entries.takeAt(i);
            emit entryFailed(e, error, detail);
            return e;
        }
    }
    return std::nullopt;
}

} // namespace chalk::client
