// Messages the user wrote that the server has not acknowledged yet. Each has a client_id
// chosen here; a resend after a reconnect reuses it, so the server stores it once.
#pragma once

#include "protocol/objects.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QVariantList>
#include <optional>

namespace chalk::client {

// Pending: waiting for a link. Sent: written to a connected socket (one tick).
// Stored: the server's message_created arrived, so it is in the database (two ticks).
enum class DeliveryState { Pending, Sent, Stored };

struct OutboxEntry {
    QString clientId; // uuid, stable across resends
    QString body;     // trimmed, as the server stores it
    QString roomUuid; // the room it was written in; only sent there
    QDateTime queued;
    DeliveryState state = DeliveryState::Pending;
    int attempts = 0; // how many times it was written to a socket
};

class Outbox : public QObject {
    Q_OBJECT
public:
    explicit Outbox(QObject *parent = nullptr);

    // Queues a message and returns its client_id.
    QString enqueue(const QString &roomUuid, const QString &body);

    const QList<OutboxEntry> &entries() const { return m_entries; }
    QList<OutboxEntry> entriesForRoom(const QString &roomUuid) const;
    std::optional<OutboxEntry> entry(const QString &clientId) const;
    bool isEmpty() const { return m_entries.isEmpty(); }
    qsizetype size() const { return m_entries.size(); }

    void markSent(const QString &clientId);
    // The link dropped: nothing in flight is known to have arrived.
    void markAllPending();

    // A message_created arrived. Matches by client_id; against a server that does not echo
    // client_id, by the oldest sent entry of the own user with the same body. Removes the
    // matched entry and returns it.
    std::optional<OutboxEntry> acknowledge(const protocol::Message &message,
                                           const QString &ownUserUuid);
    // For keeping unsent messages across a restart of the app (OutboxStore): one map per
    // entry with client_id, body, room_uuid, queued (a QDateTime) and attempts.
    QVariantList toVariantList() const;
    // Adds saved entries (as Pending) that are not here yet; ignores malformed ones. `queued`
    // may also be an ISO 8601 string (the JSON form kept before issue 9).
    void restore(const QVariantList &saved);

    // The server refused it for good (too long, no room...): removes it.
    std::optional<OutboxEntry> fail(const QString &clientId, const QString &error,
                                    const QString &detail);

signals:
    void entryAdded(const chalk::client::OutboxEntry &entry);
    void entryStateChanged(const chalk::client::OutboxEntry &entry);
    void entryAcknowledged(const chalk::client::OutboxEntry &entry,
                           const chalk::protocol::Message &message);
    void entryFailed(const chalk::client::OutboxEntry &entry, const QString &error,
                     const QString &detail);

private:
    QList<OutboxEntry> m_entries;
};

} // namespace chalk::client
