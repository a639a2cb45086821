#include "outbox.h"

#include "protocol/limits.h"

#include <QJsonObject>

namespace chalk::client {

namespace {

QString kindName(OutboxKind kind)
{
    switch (kind) {
    case OutboxKind::Line:
        return QStringLiteral("line");
    case OutboxKind::LineRemoval:
        return QStringLiteral("remove_line");
    case OutboxKind::Message:
        break;
    }
    return QStringLiteral("message");
}

std::optional<OutboxKind> kindFromName(const QString &name)
{
    if (name.isEmpty() || name == QLatin1String("message"))
        return OutboxKind::Message; // entries saved before issue 12 have no kind
    if (name == QLatin1String("line"))
        return OutboxKind::Line;
    if (name == QLatin1String("remove_line"))
        return OutboxKind::LineRemoval;
    return std::nullopt;
}

OutboxEntry newEntry(OutboxKind kind, const QString &roomUuid)
{
    OutboxEntry e;
    e.clientId = protocol::newUuid();
    e.kind = kind;
    e.roomUuid = roomUuid;
    e.queued = QDateTime::currentDateTimeUtc();
    return e;
}

} // namespace

Outbox::Outbox(QObject *parent)
    : QObject(parent)
{}

QString Outbox::enqueue(const QString &roomUuid, const QString &body, const QString &replyTo)
{
    OutboxEntry e = newEntry(OutboxKind::Message, roomUuid);
    e.body = body.trimmed(); // the server stores it trimmed; the fallback ack compares bodies
    e.replyTo = replyTo;
    m_entries.append(e);
    emit entryAdded(e);
    return e.clientId;
}

QString Outbox::enqueueLine(const QString &roomUuid, const protocol::Line &line)
{
    for (OutboxEntry &e : m_entries) {
        if (e.kind == OutboxKind::Line && e.roomUuid == roomUuid && e.line.uuid == line.uuid) {
            e.line = line;
            e.state = DeliveryState::Pending; // the newer points have not been written yet
            emit entryReplaced(e);
            return e.clientId;
        }
    }
    OutboxEntry e = newEntry(OutboxKind::Line, roomUuid);
    e.line = line;
    m_entries.append(e);
    emit entryAdded(e);
    return e.clientId;
}

QString Outbox::enqueueLineRemoval(const QString &roomUuid, const QString &lineUuid,
                                   bool mayBeOnServer)
{
    bool withdrew = false;
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        const OutboxEntry &e = m_entries[i];
        if (e.kind == OutboxKind::Line && e.roomUuid == roomUuid && e.line.uuid == lineUuid &&
            e.attempts == 0) {
            const OutboxEntry withdrawn = m_entries.takeAt(i);
            emit entryFailed(withdrawn, QStringLiteral("withdrawn"),
                             QStringLiteral("removed before it was sent"));
            withdrew = true;
            break;
        }
    }
    if (withdrew && !mayBeOnServer)
        return {};
    OutboxEntry e = newEntry(OutboxKind::LineRemoval, roomUuid);
    e.line.uuid = lineUuid;
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

QList<OutboxEntry> Outbox::entriesForRoom(const QString &roomUuid, OutboxKind kind) const
{
    QList<OutboxEntry> out;
    for (const OutboxEntry &e : m_entries) {
        if (e.roomUuid == roomUuid && e.kind == kind)
            out.append(e);
    }
    return out;
}

qsizetype Outbox::count(OutboxKind kind) const
{
    return std::count_if(m_entries.cbegin(), m_entries.cend(),
                         [kind](const OutboxEntry &e) { return e.kind == kind; });
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
            if (m_entries[i].clientId == message.clientId &&
                m_entries[i].kind == OutboxKind::Message) {
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
            if (e.kind == OutboxKind::Message && e.attempts > 0 && e.body == body &&
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

std::optional<OutboxEntry> Outbox::acknowledgeLine(OutboxKind kind, const QString &clientId,
                                                   const QString &lineUuid)
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        const OutboxEntry &e = m_entries[i];
        if (e.kind != kind)
            continue;
        const bool match = !clientId.isEmpty()
                               ? e.clientId == clientId
                               : e.attempts > 0 && !lineUuid.isEmpty() && e.line.uuid == lineUuid;
        if (!match)
            continue;
        OutboxEntry taken = m_entries.takeAt(i);
        taken.state = DeliveryState::Stored;
        emit entryAcknowledged(taken, protocol::Message{});
        return taken;
    }
    return std::nullopt;
}

QVariantList Outbox::toVariantList() const
{
    QVariantList out;
    out.reserve(m_entries.size());
    for (const OutboxEntry &e : m_entries) {
        QVariantMap map{{QStringLiteral("client_id"), e.clientId},
                        {QStringLiteral("body"), e.body},
                        {QStringLiteral("room_uuid"), e.roomUuid},
                        {QStringLiteral("queued"), e.queued},
                        {QStringLiteral("attempts"), e.attempts}};
        if (!e.replyTo.isEmpty())
            map.insert(QStringLiteral("reply_to"), e.replyTo);
        if (e.kind != OutboxKind::Message) {
            map.insert(QStringLiteral("kind"), kindName(e.kind));
            map.insert(QStringLiteral("line"), e.line.toJson().toVariantMap());
        }
        out.append(map);
    }
    return out;
}

void Outbox::restore(const QVariantList &saved)
{
    for (const QVariant &v : saved) {
        const QVariantMap o = v.toMap();
        OutboxEntry e;
        const std::optional<OutboxKind> kind =
            kindFromName(o.value(QStringLiteral("kind")).toString());
        if (!kind)
            continue;
        e.kind = *kind;
        e.clientId = o.value(QStringLiteral("client_id")).toString();
        e.body = o.value(QStringLiteral("body")).toString().trimmed();
        if (e.kind == OutboxKind::Message)
            e.replyTo = protocol::normalizeUuid(o.value(QStringLiteral("reply_to")).toString());
        if (e.kind != OutboxKind::Message)
            e.line = protocol::Line::fromJson(
                QJsonObject::fromVariantMap(o.value(QStringLiteral("line")).toMap()));
        e.roomUuid = protocol::normalizeUuid(o.value(QStringLiteral("room_uuid")).toString());
        const QVariant queued = o.value(QStringLiteral("queued"));
        e.queued = queued.typeId() == QMetaType::QDateTime
                       ? queued.toDateTime()
                       : protocol::parseIsoTime(queued.toString());
        e.attempts = std::max(0, o.value(QStringLiteral("attempts")).toInt());
        // The file is ours, but it may be old or edited: take only what can be sent.
        const bool sendable =
            e.kind == OutboxKind::Message ? !e.body.isEmpty()
            : e.kind == OutboxKind::Line
                ? !e.line.uuid.isEmpty() && !e.line.points.isEmpty() &&
                      e.line.points.size() <= qsizetype(protocol::Limits{}.pointsPerLine) * 2
                : !e.line.uuid.isEmpty();
        if (e.clientId.isEmpty() || e.clientId.size() > 64 || !sendable || e.roomUuid.isEmpty() ||
            entry(e.clientId))
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
